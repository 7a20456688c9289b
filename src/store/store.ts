/**
 * The store: what chatgraph has seen of its sources' conversations (for listing), and, for the
 * sources that archive, their messages (for search and for history past the vendor's reach).
 * One query layer (Kysely) over SQLite and PostgreSQL; only full-text search differs by engine.
 */
import { type Kysely, sql } from 'kysely';
import { searchTooBroad } from '../errors.js';
import type { ContentKind, Message, Position, SenderRole, Vendor } from '../model/index.js';
import { policyOf, type StoreConfig, type StoreSourcePolicy } from './config.js';
import { conversationKey } from './conversation-key.js';
import { type Engine, openDatabase } from './db.js';
import { earliestMediaExpiry, withoutExpiredMedia } from './media.js';
import { migrate } from './migrations.js';
import { shortTermQuery } from './short-terms.js';
import type { ConversationsTable, Tables } from './tables.js';

/** What one read (or listing) showed of a conversation. */
export interface ConversationActivity {
  source: string;
  vendor: Vendor;
  externalId: string;
  lastActivityAt: number;
  lastMessageId: string | null;
  preview: string | null;
  participants: string[];
  flags: string[];
  title: string | null;
}

export interface StoredConversation {
  source: string;
  vendor: Vendor;
  externalId: string;
  title: string | null;
  lastActivityAt: number;
  lastMessageId: string | null;
  preview: string | null;
  flagged: boolean;
}

export interface ConversationFilter {
  /** Only these sources (always given: the client's scope narrows it). */
  sources: string[];
  vendors?: Vendor[];
  /** Last activity at or after (epoch ms). */
  activeSince?: number;
  /** Last activity before (epoch ms). */
  activeUntil?: number;
  /** A participant's display name (or vendor id when it has none), exactly. */
  participant?: string;
  /** Only conversations with (true) or without (false) a compliance flag. */
  flagged?: boolean;
}

/** A conversation's place in the listing: last activity, then source and external id. */
export interface ConversationKey {
  t: number;
  source: string;
  externalId: string;
}

/** One page's read of a list kept in key order (`readKeysetPage` in the paging engine). */
export interface KeysetRange<K> {
  /** `older`: the list's order (most recent first); `newer`: the other way. */
  direction: 'older' | 'newer';
  /** Strictly after this key in `direction`. */
  from: K | null;
  /** Strictly before this key in `direction`. */
  stopAt: K | null;
  limit: number;
}

/** A page of the listing, by last activity (then source and id). */
export type ListRequest = KeysetRange<ConversationKey>;

export interface SearchFilter {
  sources: string[];
  vendors?: Vendor[];
  since?: number;
  until?: number;
  senderRoles?: SenderRole[];
  kinds?: ContentKind[];
}

/** A page of search hits, by `seq`: the hits' place in the results (newest first). */
export type SearchRequest = KeysetRange<number>;

export interface SearchHitRow {
  /** The hit's place in the results (newest first); search cursors carry it. */
  seq: number;
  message: Message;
}

export interface PurgeRequest {
  source?: string;
  conversation?: { source: string; externalId: string };
  /** Messages sent, and conversations last active, before this instant (epoch ms). */
  before?: number;
}

export interface PurgeResult {
  messages: number;
  conversations: number;
}

export interface SourceStats {
  source: string;
  conversations: number;
  messages: number;
  oldestMessageAt: number | null;
  newestMessageAt: number | null;
}

/** Messages per multi-row insert: 13 values each, well under SQLite's 32,766 variables. */
const INSERT_CHUNK = 500;
/** FTS5's trigram tokenizer indexes three-character sequences: shorter queries scan instead. */
const TRIGRAM = 3;
/**
 * Messages (in the filter's sources and time window) a one- or two-character search reads per
 * page on PostgreSQL, newest first from its cursor: pg_trgm's index does not serve such a query
 * (SQLite has an index of its own for them, see short-terms.ts).
 */
export const SHORT_QUERY_SCAN = 100_000;
export const PREVIEW_LENGTH = 200;

export class Store {
  readonly db: Kysely<Tables>;
  readonly engine: Engine;
  readonly config: StoreConfig;
  readonly #now: () => number;
  readonly #shortQueryScan: number;
  /** The migrations that opening applied (none when the schema was current). */
  migrated: string[] = [];

  private constructor(
    db: Kysely<Tables>,
    engine: Engine,
    config: StoreConfig,
    now: () => number,
    shortQueryScan: number,
  ) {
    this.db = db;
    this.engine = engine;
    this.config = config;
    this.#now = now;
    this.#shortQueryScan = shortQueryScan;
  }

  /** Opens the database and brings its schema up to date. */
  static async open(
    config: StoreConfig,
    options: { now?: () => number; shortQueryScan?: number } = {},
  ): Promise<Store> {
    const { db, engine } = await openDatabase(config);
    let migrated: string[];
    try {
      migrated = await migrate(db as Kysely<unknown>, engine);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    const store = new Store(
      db,
      engine,
      config,
      options.now ?? Date.now,
      options.shortQueryScan ?? SHORT_QUERY_SCAN,
    );
    store.migrated = migrated;
    return store;
  }

  policy(source: string): StoreSourcePolicy {
    return policyOf(this.config, source);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** Records conversations seen and, for archiving sources, messages, in one transaction. */
  async record(conversations: ConversationActivity[], messages: Message[]): Promise<void> {
    const now = this.#now();
    // The same message read twice before a write is one row (PostgreSQL refuses to upsert a row
    // twice in one statement); the later read wins.
    const unique = new Map(
      messages.map((m) => [`${conversationKey(m.source, m.conversation)}\n${m.externalId}`, m]),
    );
    const rows = [...unique.values()].map((message) => messageRow(message, now));
    try {
      await this.db.transaction().execute(async (trx) => {
        await upsertConversations(trx, conversations, now);
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await upsertMessages(trx, rows.slice(i, i + INSERT_CHUNK));
        }
      });
    } catch (error) {
      if (!isSeqCollision(error)) throw error;
      // Two messages of the same millisecond hashed alike: place them one by one.
      await this.db.transaction().execute(async (trx) => {
        await upsertConversations(trx, conversations, now);
        for (const row of rows) await placeMessage(trx, row);
      });
    }
  }

  async listConversations(filter: ConversationFilter, request: ListRequest): Promise<StoredConversation[]> {
    if (filter.sources.length === 0 || request.limit <= 0) return [];
    const older = request.direction === 'older';
    const order = older ? 'desc' : 'asc';
    const rows = await this.db
      .selectFrom('conversations as c')
      .selectAll('c')
      .where((eb) =>
        // On SQLite a unary + keeps the planner on the activity index for several sources
        // (reading in order and stopping at the page's end) rather than collecting each
        // source's rows and sorting them all.
        this.engine === 'sqlite' && filter.sources.length > 1
          ? eb(sql<string>`+c.source`, 'in', filter.sources)
          : eb('c.source', 'in', filter.sources),
      )
      .$if(filter.vendors !== undefined, (q) => q.where('c.vendor', 'in', filter.vendors as string[]))
      .$if(filter.activeSince !== undefined, (q) =>
        q.where('c.last_activity_at', '>=', filter.activeSince as number),
      )
      .$if(filter.activeUntil !== undefined, (q) =>
        q.where('c.last_activity_at', '<', filter.activeUntil as number),
      )
      .$if(filter.flagged !== undefined, (q) => q.where('c.flagged', '=', filter.flagged ? 1 : 0))
      .$if(filter.participant !== undefined, (q) =>
        // Driven from the participant's few conversations (by the name index), not by probing
        // every conversation in activity order.
        q.where(
          sql<boolean>`(c.source, c.external_id) IN (SELECT p.source, p.conversation FROM participants p WHERE p.name = ${filter.participant})`,
        ),
      )
      .$if(request.from !== null, (q) =>
        q.where((eb) =>
          eb(
            eb.refTuple('c.last_activity_at', 'c.source', 'c.external_id'),
            older ? '<' : '>',
            keyTuple(eb, request.from as ConversationKey),
          ),
        ),
      )
      .$if(request.stopAt !== null, (q) =>
        q.where((eb) =>
          eb(
            eb.refTuple('c.last_activity_at', 'c.source', 'c.external_id'),
            older ? '>' : '<',
            keyTuple(eb, request.stopAt as ConversationKey),
          ),
        ),
      )
      .orderBy('c.last_activity_at', order)
      .orderBy('c.source', order)
      .orderBy('c.external_id', order)
      .limit(request.limit)
      .execute();
    return rows.map(storedConversation);
  }

  /** The conversations named, those the store has seen, by `conversationKey`. */
  async conversations(
    keys: Array<{ source: string; externalId: string }>,
  ): Promise<Map<string, StoredConversation>> {
    const out = new Map<string, StoredConversation>();
    if (keys.length === 0) return out;
    const rows = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where((eb) =>
        eb.or(keys.map((k) => eb.and([eb('source', '=', k.source), eb('external_id', '=', k.externalId)]))),
      )
      .execute();
    for (const row of rows) out.set(conversationKey(row.source, row.external_id), storedConversation(row));
    return out;
  }

  /** Participants' names of each conversation, for a page of them. */
  async participants(
    conversations: Array<{ source: string; externalId: string }>,
  ): Promise<Map<string, string[]>> {
    return this.#namesOf('participants', 'name', conversations);
  }

  async flags(conversations: Array<{ source: string; externalId: string }>): Promise<Map<string, string[]>> {
    return this.#namesOf('conversation_flags', 'flag', conversations);
  }

  async #namesOf(
    table: 'participants' | 'conversation_flags',
    column: 'name' | 'flag',
    conversations: Array<{ source: string; externalId: string }>,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (conversations.length === 0) return out;
    const rows = await this.db
      .selectFrom(table)
      .select(['source', 'conversation', sql<string>`${sql.ref(column)}`.as('value')])
      .where((eb) =>
        eb.or(
          conversations.map((c) =>
            eb.and([eb('source', '=', c.source), eb('conversation', '=', c.externalId)]),
          ),
        ),
      )
      .orderBy('source')
      .orderBy('conversation')
      .orderBy(sql.ref(column))
      .execute();
    for (const row of rows) {
      const key = conversationKey(row.source, row.conversation);
      const list = out.get(key) ?? [];
      list.push(row.value);
      out.set(key, list);
    }
    return out;
  }

  /**
   * Stored messages containing `query` (case-insensitively), in `request.direction` from the hit
   * `request.from` (its `seq`), up to `request.stopAt`. Three characters or more use the engine's
   * trigram index; shorter queries (two Chinese characters, "退款", are a whole word) use SQLite's
   * short-term index. On PostgreSQL they scan messages in the page's direction and stop at the
   * page's end, and at the latest after `SHORT_QUERY_SCAN` messages: a page not filled by then
   * fails with SEARCH_TOO_BROAD rather than read on through the table (or claim an end).
   */
  async search(query: string, filter: SearchFilter, request: SearchRequest): Promise<SearchHitRow[]> {
    const { limit } = request;
    if (filter.sources.length === 0 || limit <= 0) return [];
    const older = request.direction === 'older';
    const order = older ? sql`DESC` : sql`ASC`;
    // On SQLite a unary + keeps the planner reading in `seq` order (or the index's rowid's) and
    // stopping at the page's end, instead of collecting a source's rows and sorting them.
    const conditions = [
      this.engine === 'sqlite'
        ? sql`+m.source IN (${sql.join(filter.sources)})`
        : sql`m.source IN (${sql.join(filter.sources)})`,
    ];
    if (filter.vendors) {
      conditions.push(
        sql`(m.source, m.conversation) IN (SELECT source, external_id FROM conversations WHERE vendor IN (${sql.join(filter.vendors)}))`,
      );
    }
    // `seq` is `sent_at * 1024 + …`: a time bound is also a range of `seq` (on SQLite, of rowids),
    // so a bounded scan reads only that range.
    if (filter.since !== undefined) conditions.push(sql`m.seq >= ${filter.since * 1024}`);
    if (filter.until !== undefined) conditions.push(sql`m.seq < ${filter.until * 1024}`);
    if (filter.senderRoles) conditions.push(sql`m.sender_role IN (${sql.join(filter.senderRoles)})`);
    if (filter.kinds) conditions.push(sql`m.kind IN (${sql.join(filter.kinds)})`);
    if (request.from !== null)
      conditions.push(older ? sql`m.seq < ${request.from}` : sql`m.seq > ${request.from}`);
    if (request.stopAt !== null)
      conditions.push(older ? sql`m.seq > ${request.stopAt}` : sql`m.seq < ${request.stopAt}`);
    const where = sql.join(conditions, sql` AND `);
    const columns = sql`m.seq, m.body, m.raw, m.media_expires_at`;
    let statement: ReturnType<typeof sql<MessageRow>>;
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const shortTerm = this.engine === 'sqlite' ? shortTermQuery(query) : null;
    const short = shortTerm === null && [...query].length < TRIGRAM;
    if (shortTerm !== null) {
      statement = sql<MessageRow>`SELECT ${columns} FROM messages_short s JOIN messages m ON m.seq = s.rowid WHERE messages_short MATCH ${shortTerm} AND ${where} ORDER BY s.rowid ${order} LIMIT ${limit}`;
    } else if (short) {
      // The filter's messages in the page's order, at most the scan's bound, then the text test.
      const matches =
        this.engine === 'postgres'
          ? sql`w.text ILIKE ${pattern}`
          : sql`instr(lower(w.text), lower(${query})) > 0`;
      statement = sql<MessageRow>`SELECT w.seq, w.body, w.raw, w.media_expires_at FROM (SELECT m.seq, m.body, m.raw, m.media_expires_at, m.text FROM messages m WHERE ${where} ORDER BY m.seq ${order} LIMIT ${this.#shortQueryScan}) w WHERE ${matches} ORDER BY w.seq ${order} LIMIT ${limit}`;
    } else if (this.engine === 'postgres') {
      statement = sql<MessageRow>`SELECT ${columns} FROM messages m WHERE m.text ILIKE ${pattern} AND ${where} ORDER BY m.seq ${order} LIMIT ${limit}`;
    } else {
      const phrase = `"${query.replaceAll('"', '""')}"`;
      statement = sql<MessageRow>`SELECT ${columns} FROM messages_fts f JOIN messages m ON m.seq = f.rowid WHERE messages_fts MATCH ${phrase} AND ${where} ORDER BY f.rowid ${order} LIMIT ${limit}`;
    }
    const { rows } = await statement.execute(this.db);
    if (short && rows.length < limit) {
      // A short page is the end only if the scan saw every message of the filter.
      const { rows: beyond } = await sql<{
        seq: number;
      }>`SELECT m.seq FROM messages m WHERE ${where} ORDER BY m.seq ${order} LIMIT 1 OFFSET ${this.#shortQueryScan}`.execute(
        this.db,
      );
      if (beyond.length > 0) throw searchTooBroad(this.#shortQueryScan);
    }
    const now = this.#now();
    return rows.map((row) => ({ seq: Number(row.seq), message: messageOf(row, now) }));
  }

  /**
   * Archived messages of a conversation sent before `below` (epoch ms, exclusive), strictly after
   * `from` in `direction` (`older`: newest first; `newer`: oldest first).
   */
  async archived(
    source: string,
    conversation: string,
    direction: 'older' | 'newer',
    from: Position | null,
    below: number,
    limit: number,
  ): Promise<Message[]> {
    const older = direction === 'older';
    const order = older ? 'desc' : 'asc';
    const rows = await this.db
      .selectFrom('messages')
      .select(['seq', 'body', 'raw', 'media_expires_at'])
      .where('source', '=', source)
      .where('conversation', '=', conversation)
      .$if(Number.isFinite(below), (q) => q.where('sent_at', '<', below))
      .$if(from !== null, (q) =>
        q.where((eb) =>
          eb(
            eb.refTuple('sent_at', 'external_id'),
            older ? '<' : '>',
            eb.tuple((from as Position).t, (from as Position).id),
          ),
        ),
      )
      .orderBy('sent_at', order)
      .orderBy('external_id', order)
      .limit(limit)
      .execute();
    const now = this.#now();
    return rows.map((row) => messageOf(row, now));
  }

  /** One archived message by its position; null when the store does not have it. */
  async archivedMessage(source: string, conversation: string, position: Position): Promise<Message | null> {
    const row = await this.db
      .selectFrom('messages')
      .select(['seq', 'body', 'raw', 'media_expires_at'])
      .where('source', '=', source)
      .where('conversation', '=', conversation)
      .where('external_id', '=', position.id)
      .executeTakeFirst();
    return row ? messageOf(row, this.#now()) : null;
  }

  /** Where the vendor's history of a conversation was last proven to end (archiving sources). */
  async floor(source: string, conversation: string): Promise<Position | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['floor_t', 'floor_id'])
      .where('source', '=', source)
      .where('external_id', '=', conversation)
      .executeTakeFirst();
    return row?.floor_t != null && row.floor_id != null ? { t: Number(row.floor_t), id: row.floor_id } : null;
  }

  async setFloor(source: string, conversation: string, floor: Position): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ floor_t: floor.t, floor_id: floor.id })
      .where('source', '=', source)
      .where('external_id', '=', conversation)
      .execute();
  }

  /**
   * Deletes what a request names: a conversation (an erasure request: its messages, participants
   * and flags too), a source, and/or what is older than an instant.
   */
  async purge(request: PurgeRequest): Promise<PurgeResult> {
    if (!request.source && !request.conversation && request.before === undefined) {
      throw new Error('Purge what? Name a source, a conversation or an age.');
    }
    return this.db.transaction().execute(async (trx) => {
      const scoped = <Q extends { where: (...args: never[]) => Q }>(
        q: Q,
        conversationColumn: 'conversation' | 'external_id',
      ): Q => {
        let out = q as unknown as {
          where(column: string, op: string, value: unknown): typeof out;
        };
        if (request.source) out = out.where('source', '=', request.source);
        if (request.conversation) {
          out = out
            .where('source', '=', request.conversation.source)
            .where(conversationColumn, '=', request.conversation.externalId);
        }
        return out as unknown as Q;
      };
      let messages = scoped(trx.deleteFrom('messages'), 'conversation');
      if (request.before !== undefined) messages = messages.where('sent_at', '<', request.before);
      const deletedMessages = await messages.executeTakeFirst();
      let conversations = scoped(trx.deleteFrom('conversations'), 'external_id');
      if (request.before !== undefined) {
        conversations = conversations.where('last_activity_at', '<', request.before);
      }
      const deleted = await conversations.returning(['source', 'external_id']).execute();
      for (let i = 0; i < deleted.length; i += INSERT_CHUNK) {
        const chunk = deleted.slice(i, i + INSERT_CHUNK);
        for (const table of ['participants', 'conversation_flags'] as const) {
          await trx
            .deleteFrom(table)
            .where((eb) =>
              eb.or(
                chunk.map((c) =>
                  eb.and([eb('source', '=', c.source), eb('conversation', '=', c.external_id)]),
                ),
              ),
            )
            .execute();
        }
      }
      return { messages: Number(deletedMessages.numDeletedRows), conversations: deleted.length };
    });
  }

  /** Applies every source's `retentionDays`; resolves to what was deleted. */
  async applyRetention(): Promise<PurgeResult> {
    const total: PurgeResult = { messages: 0, conversations: 0 };
    for (const [source, policy] of Object.entries(this.config.sources)) {
      if (policy.retentionDays === null) continue;
      const result = await this.purge({ source, before: this.#now() - policy.retentionDays * 86_400_000 });
      total.messages += result.messages;
      total.conversations += result.conversations;
    }
    return total;
  }

  async stats(): Promise<SourceStats[]> {
    const conversations = await this.db
      .selectFrom('conversations')
      .select(['source', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('source')
      .execute();
    const messages = await this.db
      .selectFrom('messages')
      .select([
        'source',
        (eb) => eb.fn.countAll<number>().as('count'),
        (eb) => eb.fn.min('sent_at').as('oldest'),
        (eb) => eb.fn.max('sent_at').as('newest'),
      ])
      .groupBy('source')
      .execute();
    const bySource = new Map<string, SourceStats>();
    const entry = (source: string) => {
      let stats = bySource.get(source);
      if (!stats) {
        stats = { source, conversations: 0, messages: 0, oldestMessageAt: null, newestMessageAt: null };
        bySource.set(source, stats);
      }
      return stats;
    };
    for (const row of conversations) entry(row.source).conversations = Number(row.count);
    for (const row of messages) {
      const stats = entry(row.source);
      stats.messages = Number(row.count);
      stats.oldestMessageAt = row.oldest === null ? null : Number(row.oldest);
      stats.newestMessageAt = row.newest === null ? null : Number(row.newest);
    }
    return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  }
}

function storedConversation(row: ConversationsTable): StoredConversation {
  return {
    source: row.source,
    vendor: row.vendor as Vendor,
    externalId: row.external_id,
    title: row.title,
    lastActivityAt: Number(row.last_activity_at),
    lastMessageId: row.last_message_id,
    preview: row.preview,
    flagged: Number(row.flagged) === 1,
  };
}

function keyTuple(
  eb: { tuple: (a: number, b: string, c: string) => unknown },
  key: ConversationKey,
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's tuple builder type is internal.
): any {
  return eb.tuple(key.t, key.source, key.externalId);
}

interface MessageRow {
  seq: number;
  body: string;
  raw: string;
  media_expires_at: number | null;
}

function messageOf(row: MessageRow, now: number): Message {
  const message = { ...JSON.parse(row.body), raw: JSON.parse(row.raw) } as Message;
  return row.media_expires_at !== null ? withoutExpiredMedia(message, now) : message;
}

type NewMessageRow = Omit<Tables['messages'], 'stored_at'> & { stored_at: number };

function messageRow(message: Message, now: number): NewMessageRow {
  const { raw, ...body } = message;
  return {
    seq: seqOf(message),
    source: message.source,
    conversation: message.conversation,
    external_id: message.externalId,
    sent_at: message.sentAt,
    kind: message.kind,
    sender_role: message.sender.role,
    sender_name: message.sender.displayName,
    text: message.text,
    body: JSON.stringify(body),
    raw: JSON.stringify(raw ?? null),
    media_expires_at: earliestMediaExpiry(message.content),
    stored_at: now,
  };
}

/** `sent_at * 1024` plus 10 bits of FNV-1a over the message's identity. */
export function seqOf(message: Pick<Message, 'source' | 'conversation' | 'externalId' | 'sentAt'>): number {
  let hash = 0x811c9dc5;
  const text = `${message.source}\u0000${message.conversation}\u0000${message.externalId}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return Math.max(0, message.sentAt) * 1024 + ((hash >>> 0) & 1023);
}

function isSeqCollision(error: unknown): boolean {
  const text = String((error as Error)?.message ?? '');
  return /messages\.seq|messages_pkey/.test(text);
}

async function upsertConversations(
  trx: Kysely<Tables>,
  conversations: ConversationActivity[],
  now: number,
): Promise<void> {
  if (conversations.length === 0) return;
  const newer = (column: string) =>
    sql<never>`CASE WHEN excluded.last_activity_at >= conversations.last_activity_at THEN excluded.${sql.ref(column)} ELSE conversations.${sql.ref(column)} END`;
  for (let i = 0; i < conversations.length; i += INSERT_CHUNK) {
    const chunk = conversations.slice(i, i + INSERT_CHUNK);
    await trx
      .insertInto('conversations')
      .values(
        chunk.map((c) => ({
          source: c.source,
          external_id: c.externalId,
          vendor: c.vendor,
          title: c.title,
          last_activity_at: c.lastActivityAt,
          last_message_id: c.lastMessageId,
          preview: c.preview,
          flagged: c.flags.length > 0 ? 1 : 0,
          first_seen_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['source', 'external_id']).doUpdateSet({
          last_activity_at: newer('last_activity_at'),
          last_message_id: sql`CASE WHEN excluded.last_message_id IS NULL THEN conversations.last_message_id ELSE ${newer('last_message_id')} END`,
          preview: sql`CASE WHEN excluded.last_message_id IS NULL THEN conversations.preview ELSE ${newer('preview')} END`,
          title: sql`COALESCE(excluded.title, conversations.title)`,
          flagged: sql`CASE WHEN excluded.flagged = 1 THEN 1 ELSE conversations.flagged END`,
        }),
      )
      .execute();
    const participants = chunk.flatMap((c) =>
      c.participants.map((name) => ({ source: c.source, conversation: c.externalId, name })),
    );
    if (participants.length > 0) {
      await trx
        .insertInto('participants')
        .values(participants)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const flags = chunk.flatMap((c) =>
      c.flags.map((flag) => ({ source: c.source, conversation: c.externalId, flag })),
    );
    if (flags.length > 0) {
      await trx
        .insertInto('conversation_flags')
        .values(flags)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

/** Fields a message can change after it was first stored (a recall, a fresh media link). */
const MUTABLE = ['kind', 'sender_name', 'text', 'body', 'raw', 'media_expires_at'] as const;

async function upsertMessages(trx: Kysely<Tables>, rows: NewMessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('messages')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['source', 'conversation', 'external_id'])
        .doUpdateSet(Object.fromEntries(MUTABLE.map((column) => [column, sql.ref(`excluded.${column}`)]))),
    )
    .execute();
}

/** Stores one message whose `seq` another message of the same millisecond already has. */
async function placeMessage(trx: Kysely<Tables>, row: NewMessageRow): Promise<void> {
  const existing = await trx
    .selectFrom('messages')
    .select('seq')
    .where('source', '=', row.source)
    .where('conversation', '=', row.conversation)
    .where('external_id', '=', row.external_id)
    .executeTakeFirst();
  if (existing) {
    const { seq: _seq, ...update } = row;
    await trx.updateTable('messages').set(update).where('seq', '=', existing.seq).execute();
    return;
  }
  // Any free slot of the same millisecond keeps the time order.
  const base = Math.floor(row.seq / 1024) * 1024;
  for (let slot = 0; slot < 1024; slot++) {
    const seq = base + ((row.seq - base + slot) % 1024);
    const taken = await trx.selectFrom('messages').select('seq').where('seq', '=', seq).executeTakeFirst();
    if (!taken) {
      await trx
        .insertInto('messages')
        .values({ ...row, seq })
        .execute();
      return;
    }
  }
  throw new Error('More than 1024 stored messages share one millisecond.');
}
