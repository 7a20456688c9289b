/**
 * The lenient wire kit every vendor's `wire.ts` builds on. Reading vendor payloads with zod: a
 * payload that does not fit becomes a `VENDOR_BAD_RESPONSE` error naming the source and the field,
 * never a crash and never the payload itself; numbers and ids arrive as numbers or digit strings,
 * epoch times are refused when they are not times at all, and JSON nested in strings keeps every
 * digit of its long integers.
 */
import { z } from 'zod';
import { vendorBadResponse } from '../errors.js';

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
  throw vendorBadResponse(
    source,
    field,
    `Source "${source}" sent ${what} that cannot be read: field "${field}": ${issue?.message ?? 'invalid'}.`,
  );
}

/**
 * The largest epoch time, in milliseconds, chatgraph reads: the largest a `Date` holds (±100
 * million days), so every time read can be written as a `DateTime` (beyond it `toISOString`
 * throws, and far beyond it seconds × 1000 overflows to Infinity). Vendor times past it are not
 * times at all, so the wire schemas refuse them.
 */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;
export const MAX_EPOCH_SECONDS = Math.floor(MAX_EPOCH_MS / 1000);

/**
 * An integer the vendor sends as a number or as a digit string: a safe integer either way. A digit
 * string too long for a double is refused, as a number that large is: read as a number it would
 * be Infinity or a rounded value.
 */
export const looseInt = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int()),
]);

/** An id documented as a string that may arrive as a number: a string either way. */
export const looseId = z.union([z.string(), z.number().transform(String)]);

/** Epoch seconds (`looseInt`), refused when not a time at all (see `MAX_EPOCH_SECONDS`). */
export const epochSeconds = looseInt.refine(
  (value) => Math.abs(value) <= MAX_EPOCH_SECONDS,
  'not an epoch time',
);
/** Epoch milliseconds (`looseInt`), refused when not a time at all (see `MAX_EPOCH_MS`). */
export const epochMillis = looseInt.refine((value) => Math.abs(value) <= MAX_EPOCH_MS, 'not an epoch time');

/**
 * Below this an epoch time cannot be milliseconds of a chat message (it would be before March
 * 1973), and in seconds it reaches the year 5138: a vendor time under it is read as seconds.
 */
export const SECONDS_BELOW = 1e11;

/**
 * A time in ms from a vendor that documents milliseconds but has been seen sending seconds: a
 * value that can only be seconds (`SECONDS_BELOW`) is read as seconds rather than as a date in 1970.
 */
export const secondsOrMs = (value: number): number =>
  Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;

/** Parses a JSON document that a vendor nests inside a JSON string; undefined when it is not one. */
export function parseNestedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parseJsonLossless(value);
  } catch {
    return undefined;
  }
}

const INTEGER = /^-?\d+$/;

/**
 * `JSON.parse`, except that an integer a double cannot hold exactly (a 19-digit order or product
 * id) becomes a string of its digits instead of a rounded number. Node 20 has no access to a
 * number's source text in `JSON.parse`, so the text is parsed natively first, and only when that
 * holds a number beyond the safe integers (what such an integer, or a larger one, parses to) is it
 * parsed again with those integers quoted: a scan that skips strings (and their escapes) finds
 * number tokens, and only unsafe integers are touched. Vendors send long ids as strings, so the
 * second parse is rare; walking the parsed value costs a fraction of scanning the text.
 * Throws as `JSON.parse` does on a text that is not JSON.
 */
export function parseJsonLossless(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return holdsUnsafeNumber(value) ? JSON.parse(quoteUnsafeIntegers(text)) : value;
}

/**
 * Whether a parsed JSON value holds a number beyond ±2^53 − 1 (Infinity included): every unsafe
 * integer token parses to one. Iterative: a vendor's nesting depth is not ours to trust.
 */
function holdsUnsafeNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'number') {
      if (item > Number.MAX_SAFE_INTEGER || item < -Number.MAX_SAFE_INTEGER) return true;
    } else if (Array.isArray(item)) {
      for (const element of item)
        if (typeof element === 'object' || typeof element === 'number') stack.push(element);
    } else if (item !== null && typeof item === 'object') {
      for (const key in item) {
        const field = (item as Record<string, unknown>)[key];
        if (typeof field === 'object' || typeof field === 'number') stack.push(field);
      }
    }
  }
  return false;
}

function quoteUnsafeIntegers(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, escapes included.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else {
          i++;
          if (d === 0x22) break;
        }
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const token = text.slice(start, i);
      if (INTEGER.test(token) && !Number.isSafeInteger(Number(token))) {
        parts.push(text.slice(copied, start), '"', token, '"');
        copied = i;
      }
    } else i++;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Digits, sign, point and exponent: what can follow the first character of a JSON number. */
const isNumberChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
