/** The suite every vendor runs (probes, paging laws on each sandbox conversation): see vendorSuite. */
import { myscrm } from '../../../src/sources/myscrm/index.js';
import { vendorSuite } from '../../helpers/vendor-suite.js';

vendorSuite(myscrm);
