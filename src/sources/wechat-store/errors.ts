/** What WeChat Shop's `base_resp.ret` codes mean to chatgraph; any other but 0 is VENDOR_ERROR. */
import { type EnvelopeCodes, ERROR_CODES } from '../../errors.js';
import { RET_NOT_AUTHORISED } from './wire.js';

export const ENVELOPE_CODES: EnvelopeCodes = {
  [RET_NOT_AUTHORISED]: {
    code: ERROR_CODES.VENDOR_AUTH_FAILED,
    message: (source, ret) =>
      `The back-office session of source "${source}" expired or is not authorised (ret ${ret}).`,
  },
};
