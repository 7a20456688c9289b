/**
 * What a normalizer needs besides the payload: where the record comes from, and where to report
 * vendor data it does not recognise (an unknown enum value is a warning, never a failed page).
 */
import type { VendorWarnings } from './warnings.js';

export interface NormalizeContext {
  source: string;
  conversation: string;
  /**
   * `details` say what the record held; those naming the record end in `Id` (`msgId`): warnings
   * that differ only in those are the same warning, written once per interval.
   */
  warn(message: string, details: Record<string, unknown>): void;
}

/**
 * The context a source gives its normalizer: warnings go to the source's `VendorWarnings`, which
 * tags them with the source and writes each one once per interval (see `./warnings.ts`).
 */
export function normalizeContext(
  warnings: Pick<VendorWarnings, 'warn'>,
  source: string,
  conversation: string,
): NormalizeContext {
  return {
    source,
    conversation,
    warn: (message, details) => warnings.warn(message, details),
  };
}

/** Trimmed non-empty string, or null. Vendors send "" where they mean "none". */
export function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * An id read from an untyped document: a number as its digits, a string when it says something,
 * else null. (A wire schema's id is `looseId` in `./wire.ts`.)
 */
export function idText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : nonEmpty(value);
}

/** A finite number, or null. */
export function finite(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins the non-empty parts of a text rendering; null when nothing is left. */
export function joinText(parts: Array<string | null | undefined>, separator = '\n'): string | null {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return kept.length > 0 ? kept.join(separator) : null;
}

/**
 * A vendor enum read through `table`, UNKNOWN for a value the table does not have. Own keys only,
 * so that `constructor` or `__proto__` from the vendor is an unknown value, not a function from
 * Object.prototype.
 */
export function enumMap<V extends string>(
  table: Readonly<Record<string | number, V>>,
): (value: string | number | null | undefined) => V | 'UNKNOWN' {
  return (value) =>
    value !== null && value !== undefined && Object.hasOwn(table, value) ? (table[value] as V) : 'UNKNOWN';
}
