/**
 * Reading vendor payloads with zod: a payload that does not fit becomes a `VENDOR_BAD_RESPONSE`
 * error naming the source and the field, never a crash and never the payload itself.
 */
import type { z } from 'zod';
import { ChatgraphError, ERROR_CODES } from '../errors.js';

export function parseWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new ChatgraphError(
    ERROR_CODES.VENDOR_BAD_RESPONSE,
    `Source "${source}" sent ${what} that cannot be read: field "${field}": ${issue?.message ?? 'invalid'}.`,
    { source, field },
  );
}

/**
 * The largest epoch time, in milliseconds, chatgraph reads: beyond it a double no longer holds
 * every millisecond (and far beyond it, seconds × 1000 overflows to Infinity). Vendor times past
 * it are not times at all, so the wire schemas refuse them instead of passing on Infinity.
 */
export const MAX_EPOCH_MS = Number.MAX_SAFE_INTEGER;
export const MAX_EPOCH_SECONDS = Math.floor(MAX_EPOCH_MS / 1000);

/** Parses a JSON document that a vendor nests inside a JSON string; undefined when it is not one. */
export function parseNestedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
