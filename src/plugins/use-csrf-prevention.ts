/**
 * CSRF prevention: browsers send JSON POSTs only after a CORS preflight; anything a form or an
 * <img> could send (a GET, a form-encoded or plain-text POST) must carry the `x-graphql-yoga-csrf`
 * header, which a cross-site page cannot add without a preflight. As Yoga's own plugin, with a
 * refusal that says which header it wants, under its own code.
 */
import { CSRF_HEADER, csrfHeaderRequired } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { requestError } from './request-error.js';

const NON_PREFLIGHTED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

export function useCsrfPrevention(): ChatgraphPlugin {
  return {
    onRequestParse({ request }) {
      const type = request.headers.get('content-type')?.toLowerCase();
      const preflighted = type && !NON_PREFLIGHTED_CONTENT_TYPES.some((simple) => type.startsWith(simple));
      if (preflighted || request.headers.has(CSRF_HEADER)) return;
      throw requestError(csrfHeaderRequired(), 403);
    },
  };
}
