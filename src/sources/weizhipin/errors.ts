/**
 * What weizhipin's envelope `code`s mean to chatgraph. The token codes are first the client's to
 * handle (it refreshes its token once and retries, `TOKEN_REJECTED_CODES`); rejected again, the
 * source's credentials are refused. Any other code but 0 is VENDOR_ERROR.
 */
import { type EnvelopeCode, type EnvelopeCodes, ERROR_CODES } from '../../errors.js';
import { TOKEN_REJECTED_CODES } from './wire.js';

export const TOKEN_REJECTED: EnvelopeCode = {
  code: ERROR_CODES.VENDOR_AUTH_FAILED,
  message: (source) => `The vendor rejected a freshly issued tenant access token of source "${source}".`,
};

export const ENVELOPE_CODES: EnvelopeCodes = Object.fromEntries(
  [...TOKEN_REJECTED_CODES].map((code) => [code, TOKEN_REJECTED]),
);
