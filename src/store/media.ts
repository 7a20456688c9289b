/**
 * Temporary media links in stored messages. A vendor's signed link stops working at its expiry
 * (`expiresAt` on the content); the store keeps the message, but never hands the link out past
 * that: the link is nulled in the content and in the raw record alike.
 */
import type { Message } from '../model/index.js';

/** A link must still work when the client follows it: treat it as gone this long before. */
export const MEDIA_EXPIRY_MARGIN_MS = 60_000;

/** The earliest `expiresAt` anywhere in a message's content; null when nothing expires. */
export function earliestMediaExpiry(content: unknown): number | null {
  let earliest: number | null = null;
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value && typeof value === 'object') {
      for (const [key, field] of Object.entries(value)) {
        if (key === 'expiresAt' && typeof field === 'number') {
          earliest = earliest === null ? field : Math.min(earliest, field);
        } else walk(field);
      }
    }
  };
  walk(content);
  return earliest;
}

const LINK_FIELD = /url$/i;

/**
 * The message with every link whose content expires by `now` (plus the margin) set to null, in
 * `content` and, wherever the same address appears, in `raw`. Unchanged (the same object) when
 * nothing has expired.
 */
export function withoutExpiredMedia(message: Message, now: number): Message {
  const cutoff = now + MEDIA_EXPIRY_MARGIN_MS;
  const expired = new Set<string>();
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const gone = typeof record.expiresAt === 'number' && record.expiresAt <= cutoff;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(record)) {
      if (gone && LINK_FIELD.test(key) && typeof field === 'string') {
        expired.add(field);
        out[key] = null;
      } else out[key] = strip(field);
    }
    return out;
  };
  const content = strip(message.content) as Message['content'];
  if (expired.size === 0) return message;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (expired.has(value)) return null;
      // JSON inside JSON (a vendor payload as a string field) carries the address inside it.
      let text = value;
      for (const url of expired) if (text.includes(url)) text = text.replaceAll(url, '');
      return text;
    }
    if (Array.isArray(value)) return value.map(scrub);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, scrub(field)]));
  };
  return { ...message, content, raw: scrub(message.raw) };
}
