/**
 * `Query.searchMessages`: stored messages (sources that archive) containing the query, newest
 * first, as a Relay connection with the laws of `conversations` (page info exact both ways: the
 * extra row read toward the walk's end, a passed cursor toward its start). Each hit carries a
 * snippet with the matches' ranges, and the message's cursor in its conversation's `messages`
 * connection (no filter), which `messages(around:)` opens at the hit.
 */
import { invalidArgument } from '../errors.js';
import type { ContentKind, Message, SenderRole, Vendor } from '../model/index.js';
import { positionOf } from '../model/index.js';
import type { SearchFilter } from '../store/store.js';
import { scopeKey, storeOf } from './conversations.js';
import type { Engine } from './engine.js';
import { messagesScope } from './filter.js';
import { type PageInfo, pageRequest, readKeysetPage } from './paging.js';

export interface SearchFilterInput {
  sources?: string[] | null;
  vendors?: Vendor[] | null;
  since?: Date | null;
  until?: Date | null;
  senderRoles?: SenderRole[] | null;
  kinds?: ContentKind[] | null;
}

export interface SearchArgs {
  query: string;
  filter?: SearchFilterInput | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface TextRange {
  start: number;
  end: number;
}

export interface SearchEdge {
  cursor: string;
  node: Message;
  snippet: string;
  highlights: TextRange[];
  messageCursor: string;
}

export interface SearchConnection {
  edges: SearchEdge[];
  pageInfo: PageInfo;
}

const MAX_QUERY = 200;
/** Characters of context a snippet keeps before the first match, and in all. */
const SNIPPET_BEFORE = 30;
const SNIPPET_LENGTH = 120;

const sorted = <T extends string>(values: T[] | null | undefined): T[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

export async function searchMessages(engine: Engine, args: SearchArgs): Promise<SearchConnection> {
  const store = storeOf(engine);
  const query = args.query.trim();
  if (query.length === 0 || query.length > MAX_QUERY) {
    throw invalidArgument(`"query" must be 1 to ${MAX_QUERY} characters.`, { field: 'query' });
  }
  const request = pageRequest(args);
  const input = args.filter;
  const names = input?.sources ?? engine.sources.list().map((source) => source.name);
  const filter: SearchFilter = {
    sources: [...new Set(names.map((name) => engine.sources.get(name).name))].sort(),
  };
  const vendors = sorted(input?.vendors);
  if (vendors) filter.vendors = vendors;
  if (input?.since) filter.since = input.since.getTime();
  if (input?.until) filter.until = input.until.getTime();
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw invalidArgument('filter.since must be earlier than filter.until.', { field: 'filter' });
  }
  const senderRoles = sorted(input?.senderRoles);
  if (senderRoles) filter.senderRoles = senderRoles;
  const kinds = sorted(input?.kinds);
  if (kinds) filter.kinds = kinds;

  const scope = scopeKey('search', [query, filter]);
  const after = args.after != null ? engine.cursors.decode(args.after, scope).t : null;
  const before = args.before != null ? engine.cursors.decode(args.before, scope).t : null;
  const { rows, hasNextPage, hasPreviousPage } = await readKeysetPage(request, after, before, (range) =>
    store.search(query, filter, range),
  );
  const encode = engine.cursors.encoder(scope);
  const edges = rows.map(({ seq, message }) => ({
    cursor: encode({ t: seq, id: '' }),
    node: message,
    ...snippetOf(message.text ?? '', query),
    messageCursor: engine.cursors.encode(
      messagesScope(message.source, message.conversation, {}),
      positionOf(message),
    ),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A window of `text` around the first match of `query`, and every match's range in it. */
export function snippetOf(text: string, query: string): { snippet: string; highlights: TextRange[] } {
  const haystack = text.toLocaleLowerCase();
  const needle = query.toLocaleLowerCase();
  const first = haystack.indexOf(needle);
  const from = first <= SNIPPET_BEFORE ? 0 : first - SNIPPET_BEFORE;
  const to = Math.min(text.length, Math.max(from + SNIPPET_LENGTH, first + needle.length));
  const prefix = from > 0 ? '…' : '';
  const snippet = `${prefix}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  const highlights: TextRange[] = [];
  if (first >= 0) {
    for (
      let at = first;
      at >= 0 && at + needle.length <= to;
      at = haystack.indexOf(needle, at + needle.length)
    ) {
      highlights.push({ start: at - from + prefix.length, end: at - from + prefix.length + needle.length });
    }
  }
  return { snippet, highlights };
}
