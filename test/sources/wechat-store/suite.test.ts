/** The suite every vendor runs (probes, paging laws on each sandbox conversation): see vendorSuite. */
import { wechatStore } from '../../../src/sources/wechat-store/index.js';
import { vendorSuite } from '../../helpers/vendor-suite.js';

vendorSuite(wechatStore);
