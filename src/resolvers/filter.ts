/**
 * `MessageFilter` in canonical form, its key (cursors are bound to it), and the part of it the
 * gateway applies itself because the source cannot push it down to its vendor.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import type { ContentKind, Message, MessageFilter, SenderRole } from '../model/index.js';
import type { SourceCapabilities } from '../sources/source.js';
import type { CursorScope } from './cursor.js';

export interface MessageFilterInput {
  since?: Date | null;
  until?: Date | null;
  senderRoles?: SenderRole[] | null;
  kinds?: ContentKind[] | null;
  text?: string | null;
}

const MAX_TEXT = 200;

const uniqueSorted = <T extends string>(values: T[] | null | undefined): T[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

export function canonicalFilter(input: MessageFilterInput | null | undefined): MessageFilter {
  if (!input) return {};
  const since = input.since?.getTime();
  const until = input.until?.getTime();
  if (since !== undefined && until !== undefined && since >= until) {
    throw invalidArgument('filter.since must be earlier than filter.until.', { field: 'filter' });
  }
  const text = input.text?.trim();
  if (text !== undefined && text.length > MAX_TEXT) {
    throw invalidArgument(`filter.text is longer than ${MAX_TEXT} characters.`, { field: 'filter.text' });
  }
  const filter: MessageFilter = {};
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  const senderRoles = uniqueSorted(input.senderRoles);
  if (senderRoles) filter.senderRoles = senderRoles;
  const kinds = uniqueSorted(input.kinds);
  if (kinds) filter.kinds = kinds;
  if (text) filter.text = text;
  return filter;
}

/** What a cursor of a conversation's `messages` under `filter` is bound to. */
export function messagesScope(source: string, conversation: string, filter: MessageFilter): CursorScope {
  return { source, conversation, filter: filterKey(filter) };
}

/** A short, stable key of a canonical filter; cursors carry it. */
export function filterKey(filter: MessageFilter): string {
  const json = JSON.stringify([
    filter.since ?? null,
    filter.until ?? null,
    filter.senderRoles ?? null,
    filter.kinds ?? null,
    filter.text ?? null,
  ]);
  if (json === '[null,null,null,null,null]') return '';
  return createHash('sha256').update(json).digest('base64url').slice(0, 12);
}

/** The part of `filter` the source's vendor does not apply. */
export function residualFilter(filter: MessageFilter, capabilities: SourceCapabilities): MessageFilter {
  const { filters } = capabilities;
  const residual: MessageFilter = {};
  if (filters.timeRange === 'GATEWAY') {
    if (filter.since !== undefined) residual.since = filter.since;
    if (filter.until !== undefined) residual.until = filter.until;
  }
  if (filters.senderRoles === 'GATEWAY' && filter.senderRoles) residual.senderRoles = filter.senderRoles;
  if (filters.kinds === 'GATEWAY' && filter.kinds) residual.kinds = filter.kinds;
  if (filters.text === 'GATEWAY' && filter.text) residual.text = filter.text;
  return residual;
}

export function matchesFilter(message: Message, filter: MessageFilter): boolean {
  if (filter.since !== undefined && message.sentAt < filter.since) return false;
  if (filter.until !== undefined && message.sentAt >= filter.until) return false;
  if (filter.senderRoles && !filter.senderRoles.includes(message.sender.role)) return false;
  if (filter.kinds && !filter.kinds.includes(message.kind)) return false;
  if (filter.text) {
    if (message.text === null) return false;
    if (!message.text.toLocaleLowerCase().includes(filter.text.toLocaleLowerCase())) return false;
  }
  return true;
}
