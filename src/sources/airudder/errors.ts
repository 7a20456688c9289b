/**
 * What AIRUDDER's envelope `code`s mean to chatgraph (the vendor reuses HTTP numbers); any other
 * but `CODE_OK` is VENDOR_ERROR, with the vendor's own `message`.
 */
import { type EnvelopeCode, type EnvelopeCodes, ERROR_CODES } from '../../errors.js';

/** Not the vendor's wording: an auth error is where a vendor might echo the key back. */
const REFUSED: EnvelopeCode = {
  code: ERROR_CODES.VENDOR_AUTH_FAILED,
  message: (source, code) => `AIRUDDER refused the sign key of source "${source}" (code ${code}).`,
};

export const ENVELOPE_CODES: EnvelopeCodes = {
  401: REFUSED,
  403: REFUSED,
  429: {
    code: ERROR_CODES.VENDOR_RATE_LIMITED,
    message: (source, code) => `Source "${source}" is being rate-limited by AIRUDDER (code ${code}).`,
  },
};
