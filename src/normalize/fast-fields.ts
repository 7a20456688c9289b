/**
 * Building blocks of the vendors' fast wire paths (`src/sources/<vendor>/fast-wire.ts`): plain
 * functions that read one field of a well-formed record exactly as the lenient kit in `wire.ts`
 * reads it, or say "unusual" so that the record goes through zod as before. Each returns a value
 * that zod's would equal (`toStrictEqual`), never a value zod would refuse or read differently;
 * the differential property tests of each vendor hold them to it.
 */
import { MAX_EPOCH_MS, MAX_EPOCH_SECONDS } from './wire.js';

/**
 * `looseInt`: a safe integer, as a number or a digit string (`/^-?\d+$/` then `Number`); NaN when
 * zod would refuse it (NaN is never a value zod's number accepts, so it cannot be confused).
 */
export function fastLooseInt(value: unknown): number {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const length = value.length;
  let i = value.charCodeAt(0) === 0x2d ? 1 : 0;
  if (i === length) return Number.NaN;
  for (; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return Number.NaN;
  }
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : Number.NaN;
}

/** `epochSeconds`: `looseInt` within `MAX_EPOCH_SECONDS`; NaN otherwise. */
export function fastEpochSeconds(value: unknown): number {
  const number = fastLooseInt(value);
  return Math.abs(number) <= MAX_EPOCH_SECONDS ? number : Number.NaN;
}

/** `epochMillis`: `looseInt` within `MAX_EPOCH_MS`; NaN otherwise. */
export function fastEpochMillis(value: unknown): number {
  const number = fastLooseInt(value);
  return Math.abs(number) <= MAX_EPOCH_MS ? number : Number.NaN;
}

/** `z.array(z.unknown())`'s output: a copy, holes read as undefined; undefined when not an array. */
export function fastUnknownArray(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const copy: unknown[] = [];
  for (let i = 0; i < value.length; i++) copy.push(value[i]);
  return copy;
}

/** A value zod's `z.object` reads as an object (not null, not an array). */
export function isObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * For an optional field whose value is `undefined`: whether the key is there all the same (`in`, as
 * zod asks, inherited keys included). zod keeps such a key, with the value `undefined`; parsed JSON
 * never has one, and the fast paths leave such records to zod.
 */
export const presentButUndefined = (record: object, key: string): boolean => key in record;

/**
 * A finite number, as a number or a decimal string (`/^-?\d+(\.\d+)?$/` then `Number`), as the
 * vendors' `looseNumber`s read it; NaN when zod would refuse it.
 */
export function fastLooseNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const length = value.length;
  let i = value.charCodeAt(0) === 0x2d ? 1 : 0;
  const digitsFrom = i;
  while (i < length && isDigit(value.charCodeAt(i))) i++;
  if (i === digitsFrom) return Number.NaN;
  if (i < length) {
    if (value.charCodeAt(i) !== 0x2e) return Number.NaN;
    const fractionFrom = ++i;
    while (i < length && isDigit(value.charCodeAt(i))) i++;
    if (i === fractionFrom || i < length) return Number.NaN;
  }
  const number = Number(value);
  return Number.isFinite(number) ? number : Number.NaN;
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** `z.string().nullish().catch(null)` on a value that is not undefined: a string, else null. */
export const lenientString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `lenient(looseNumber)` on a value that is not undefined: the number, else null. */
export function lenientNumber(value: unknown): number | null {
  const number = fastLooseNumber(value);
  return Number.isNaN(number) ? null : number;
}

/** A field reader's "not the common shape": the record goes to zod. */
export const MISS: unique symbol = Symbol('fast-fields.miss');
export type FieldReader<T> = (value: unknown) => T | typeof MISS;

/**
 * Reads the optional field `key` of `record` into `out` as zod's `z.object` does: an absent key
 * stays absent, a present one is read by `read`. False when zod must decide instead: `read` missed,
 * or the key is there with the value `undefined` (see `presentButUndefined`).
 */
export function readOptional<T>(
  record: Record<string, unknown>,
  key: string,
  out: Record<string, unknown>,
  read: FieldReader<T>,
): boolean {
  const value = record[key];
  if (value === undefined) return !presentButUndefined(record, key);
  const read_ = read(value);
  if (read_ === MISS) return false;
  out[key] = read_;
  return true;
}

/** `z.string()`. */
export const stringField: FieldReader<string> = (value) => (typeof value === 'string' ? value : MISS);

/** `looseInt`. */
export const looseIntField: FieldReader<number> = (value) => {
  const number = fastLooseInt(value);
  return Number.isNaN(number) ? MISS : number;
};

/** `z.array(z.unknown()).nullish()` on a value that is not undefined. */
export const nullishArrayField: FieldReader<unknown[] | null> = (value) =>
  value === null ? null : (fastUnknownArray(value) ?? MISS);
