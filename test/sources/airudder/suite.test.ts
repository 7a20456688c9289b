/** The suite every vendor runs (probes, paging laws on each sandbox conversation): see vendorSuite. */
import { airudder } from '../../../src/sources/airudder/index.js';
import { vendorSuite } from '../../helpers/vendor-suite.js';

vendorSuite(airudder);
