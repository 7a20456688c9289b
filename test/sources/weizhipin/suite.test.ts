/** The suite every vendor runs (probes, paging laws on each sandbox conversation): see vendorSuite. */
import { weizhipin } from '../../../src/sources/weizhipin/index.js';
import { vendorSuite } from '../../helpers/vendor-suite.js';

vendorSuite(weizhipin);
