/**
 * Secrets never live in configuration files: a secret field names the environment variable that
 * holds it, `{ "env": "SHOP_COOKIE" }`, resolved when the file is loaded.
 */
import { z } from 'zod';
import { sourceHttpConfig } from '../sources/http.js';

export type Env = Record<string, string | undefined>;

export function secretFrom(env: Env) {
  return z.strictObject({ env: z.string().min(1) }).transform((ref, ctx) => {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      ctx.addIssue({ code: 'custom', message: `environment variable ${ref.env} is not set` });
      return z.NEVER;
    }
    return value;
  });
}

export type SecretSchema = ReturnType<typeof secretFrom>;

/** Fields every source has, whatever its vendor. */
export const baseSourceConfig = {
  /** How clients name the source; part of every id, so keep it stable. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63'),
  /** The vendor's base URL; the documented host unless you go through a proxy. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** Timeouts, retries, concurrency cap and circuit breaker; defaults in `src/sources/http.ts`. */
  http: sourceHttpConfig,
};
