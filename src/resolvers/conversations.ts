/**
 * `Query.conversations` / `Source.conversations`: the conversations the store has seen, most
 * recent activity first, as a Relay connection with the same laws as `messages` (page info exact
 * both ways: the extra row read toward the walk's end, a passed cursor toward its start). Cursors
 * carry the conversation's place (last activity, source, id) and are bound to the filter.
 */
import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import { invalidArgument, storeNotConfigured } from '../errors.js';
import type { ConversationRef, Vendor } from '../model/index.js';
import { conversationKey } from '../store/conversation-key.js';
import type { ConversationFilter, ConversationKey, Store, StoredConversation } from '../store/store.js';
import type { CursorScope } from './cursor.js';
import type { Engine, OperationPages } from './engine.js';
import { type PageInfo, pageRequest, readKeysetPage } from './paging.js';

export interface ConversationFilterInput {
  sources?: string[] | null;
  vendors?: Vendor[] | null;
  activeSince?: Date | null;
  activeUntil?: Date | null;
  participant?: string | null;
  flagged?: boolean | null;
}

export interface ConversationListArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: ConversationFilterInput | null;
}

/** A conversation as listed: its reference, with what the store knows of it. */
export type ListedConversation = ConversationRef & { stored?: StoredConversation };

export interface ConversationConnection {
  edges: Array<{ cursor: string; node: ListedConversation }>;
  pageInfo: PageInfo;
}

export function storeOf(engine: Engine): Store {
  if (!engine.store) throw storeNotConfigured();
  return engine.store;
}

/**
 * The filter in canonical form, narrowed to the sources this client may read (an unknown or
 * out-of-scope name is UNKNOWN_SOURCE, as everywhere).
 */
export function canonicalConversationFilter(
  engine: Engine,
  input: ConversationFilterInput | null | undefined,
  only?: string,
): ConversationFilter {
  const names = only ? [only] : (input?.sources ?? engine.sources.list().map((source) => source.name));
  const filter: ConversationFilter = {
    sources: [...new Set(names.map((name) => engine.sources.get(name).name))].sort(),
  };
  if (input?.vendors && input.vendors.length > 0) filter.vendors = [...new Set(input.vendors)].sort();
  const since = input?.activeSince?.getTime();
  const until = input?.activeUntil?.getTime();
  if (since !== undefined && until !== undefined && since >= until) {
    throw invalidArgument('filter.activeSince must be earlier than filter.activeUntil.', { field: 'filter' });
  }
  if (since !== undefined) filter.activeSince = since;
  if (until !== undefined) filter.activeUntil = until;
  const participant = input?.participant?.trim();
  if (participant !== undefined && participant.length > 200) {
    throw invalidArgument('filter.participant is longer than 200 characters.', {
      field: 'filter.participant',
    });
  }
  if (participant) filter.participant = participant;
  if (input?.flagged != null) filter.flagged = input.flagged;
  return filter;
}

export function scopeKey(kind: string, value: unknown): CursorScope {
  return {
    source: '',
    conversation: kind,
    filter: createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16),
  };
}

const encodeKey = (key: ConversationKey) => ({ t: key.t, id: JSON.stringify([key.source, key.externalId]) });

function decodeKey(engine: Engine, cursor: string, scope: CursorScope): ConversationKey {
  const position = engine.cursors.decode(cursor, scope);
  const [source, externalId] = JSON.parse(position.id) as [string, string];
  return { t: position.t, source, externalId };
}

export async function listConversations(
  engine: Engine,
  args: ConversationListArgs,
  only?: string,
): Promise<ConversationConnection> {
  const store = storeOf(engine);
  const request = pageRequest(args);
  const filter = canonicalConversationFilter(engine, args.filter, only);
  const scope = scopeKey('conversations', filter);
  const after = args.after != null ? decodeKey(engine, args.after, scope) : null;
  const before = args.before != null ? decodeKey(engine, args.before, scope) : null;
  const { rows, hasNextPage, hasPreviousPage } = await readKeysetPage(request, after, before, (range) =>
    store.listConversations(filter, range),
  );
  const encode = engine.cursors.encoder(scope);
  const edges = rows.map((stored) => ({
    cursor: encode(
      encodeKey({ t: stored.lastActivityAt, source: stored.source, externalId: stored.externalId }),
    ),
    node: { vendor: stored.vendor, source: stored.source, externalId: stored.externalId, stored },
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

export interface ConversationSummary extends StoredConversation {
  participants: string[];
  flags: string[];
}

/** Per operation (its loaders): what the store knows of conversations, batched across a page's nodes. */
const summaries = new WeakMap<
  OperationPages,
  DataLoader<ListedConversation, ConversationSummary | null, string>
>();

export function conversationSummary(
  engine: Engine,
  conversation: ListedConversation,
): Promise<ConversationSummary | null> {
  const { store } = engine;
  if (!store) return Promise.resolve(null);
  let loader = summaries.get(engine.loaders);
  if (!loader) {
    loader = new DataLoader(
      async (refs) => {
        const keys = refs.map((ref) => ({ source: ref.source, externalId: ref.externalId }));
        const missing = refs.filter((ref) => !ref.stored);
        const [found, participants, flags] = await Promise.all([
          store.conversations(missing),
          store.participants(keys),
          store.flags(keys),
        ]);
        return refs.map((ref) => {
          const key = conversationKey(ref.source, ref.externalId);
          const stored = ref.stored ?? found.get(key);
          return stored
            ? { ...stored, participants: participants.get(key) ?? [], flags: flags.get(key) ?? [] }
            : null;
        });
      },
      { cacheKeyFn: (ref) => conversationKey(ref.source, ref.externalId) },
    );
    summaries.set(engine.loaders, loader);
  }
  return loader.load(conversation);
}
