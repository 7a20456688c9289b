/**
 * What a normalizer needs besides the payload: where the record comes from, and where to report
 * vendor data it does not recognise (an unknown enum value is a warning, never a failed page).
 */
export interface NormalizeContext {
  source: string;
  conversation: string;
  warn(message: string, details: Record<string, unknown>): void;
}

/** The context a source gives its normalizer: warnings go to its logger, tagged with the source. */
export function normalizeContext(
  logger: { warn(details: object, message: string): void },
  source: string,
  conversation: string,
): NormalizeContext {
  return {
    source,
    conversation,
    warn: (message, details) => logger.warn({ source, ...details }, message),
  };
}

/** Trimmed non-empty string, or null. Vendors send "" where they mean "none". */
export function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
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
