/**
 * What the myscrm open API's `errcode`s mean to chatgraph: the same on every endpoint. Any other
 * but 0 is VENDOR_ERROR.
 */
import { type EnvelopeCodes, ERROR_CODES } from '../../errors.js';
import { ERRCODE_INVALID_CREDENTIAL } from './wire.js';

export const ENVELOPE_CODES: EnvelopeCodes = {
  [ERRCODE_INVALID_CREDENTIAL]: {
    code: ERROR_CODES.VENDOR_AUTH_FAILED,
    message: (source, errcode) =>
      `The vendor rejected the credentials of source "${source}" (errcode ${errcode}).`,
  },
};
