/**
 * Request ids: one per GraphQL operation, the client's own `x-request-id` when it is safe to echo
 * and to log (short, a plain charset: no spaces, quotes or control characters that could forge a
 * log line or a header), a new one otherwise.
 */
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The header's value when it can be used as a request id, else null. */
export function acceptedRequestId(value: string | null | undefined): string | null {
  return value && SAFE_REQUEST_ID.test(value) ? value : null;
}

export function newRequestId(): string {
  return randomUUID();
}
