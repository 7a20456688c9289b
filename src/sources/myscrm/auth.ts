/**
 * How a myscrm source proves who it is. The open API's scheme is not public (the vendor only
 * "strongly recommends login-state auth"), so it is configuration: one header per source, whose
 * name, optional scheme word and secret value the operator sets. Everything that knows about
 * myscrm credentials is in this file, so a scheme that turns out to be different (a signed query,
 * a token exchange) changes this function and nothing else.
 */
import { z } from 'zod';
import type { SecretSchema } from '../../config/secret.js';

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;

export function myscrmAuthSchema(secret: SecretSchema) {
  return z.strictObject({
    /** Header that carries the credential; `Authorization` unless the vendor says otherwise. */
    header: z.string().regex(HEADER_NAME, 'an HTTP header name').default('Authorization'),
    /** Word before the credential, e.g. `Bearer`; none when absent. */
    scheme: z.string().regex(SCHEME, 'a single word').optional(),
    /** The credential itself, from the environment. */
    token: secret,
  });
}

export type MyscrmAuth = z.output<ReturnType<typeof myscrmAuthSchema>>;

/** The headers every vendor call carries. Never log what this returns. */
export function myscrmAuthHeaders(auth: MyscrmAuth): Record<string, string> {
  return { [auth.header.toLowerCase()]: auth.scheme ? `${auth.scheme} ${auth.token}` : auth.token };
}
