/**
 * The store's query layer on both engines: recording, the listing's order and filters, search in
 * Chinese and English (trigram index and the short-query scan), archives, purge and retention.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Content, Message } from '../../src/model/index.js';
import { type ConversationFilter, type SearchRequest, Store } from '../../src/store/store.js';
import { STORE_ENGINES, testStoreConfig } from '../helpers/store-engines.js';
import { message, T0 } from '../helpers/store-messages.js';

/** A page of search hits newest first, after the hit `from` (its seq). */
const newest = (limit: number, from: number | null = null): SearchRequest => ({
  direction: 'older',
  from,
  stopAt: null,
  limit,
});

/** A page of search hits oldest first, after the hit `from` and before the hit `stopAt`. */
const toward = (limit: number, from: number | null = null, stopAt: number | null = null): SearchRequest => ({
  direction: 'newer',
  from,
  stopAt,
  limit,
});

const activity = (m: Message, flags: string[] = []) => ({
  source: m.source,
  vendor: m.vendor,
  externalId: m.conversation,
  lastActivityAt: m.sentAt,
  lastMessageId: m.externalId,
  preview: m.text,
  participants: [m.sender.displayName as string],
  flags,
  title: null,
});

describe.each(STORE_ENGINES)('the store on %s', (engine) => {
  let store: Store | null = null;
  let now = T0 + 10 * 86_400_000;
  afterEach(async () => {
    await store?.close();
    store = null;
  });
  const open = async (sources = {}) => {
    store = await Store.open(await testStoreConfig(engine, sources), { now: () => now });
    return store;
  };

  it('migrates once: a second open applies nothing and keeps the data', async () => {
    const config = await testStoreConfig(engine);
    const first = await Store.open(config);
    await first.record([activity(message('a', '1', 1, 'hi'))], []);
    await first.close();
    store = await Store.open(config);
    expect(await store.stats()).toEqual([
      { source: 'scrm', conversations: 1, messages: 0, oldestMessageAt: null, newestMessageAt: null },
    ]);
  });

  it('keeps the newest activity, its preview and every participant', async () => {
    const s = await open();
    await s.record([activity(message('a', '2', 5, 'newer'))], []);
    await s.record([{ ...activity(message('a', '1', 1, 'older')), participants: ['坐席小王'] }], []);
    const [row] = await s.listConversations(
      { sources: ['scrm'] },
      { direction: 'older', from: null, stopAt: null, limit: 5 },
    );
    expect(row).toMatchObject({
      externalId: 'a',
      lastActivityAt: T0 + 5 * 60_000,
      lastMessageId: '2',
      preview: 'newer',
    });
    expect([...(await s.participants([{ source: 'scrm', externalId: 'a' }])).values()]).toEqual([
      ['坐席小王', '客户a'],
    ]);
  });

  it('lists by last activity, ties by source and id, filtered', async () => {
    const s = await open();
    await s.record(
      [
        activity(message('a', '1', 3, 'x')),
        activity(message('b', '1', 3, 'x'), ['敏感词']),
        activity(message('c', '1', 1, 'x')),
        activity(message('d', '1', 7, 'x')),
      ],
      [],
    );
    const ids = async (filter: Partial<ConversationFilter>, direction: 'older' | 'newer' = 'older') =>
      (
        await s.listConversations(
          { sources: ['scrm'], ...filter },
          { direction, from: null, stopAt: null, limit: 10 },
        )
      ).map((c) => c.externalId);
    expect(await ids({})).toEqual(['d', 'b', 'a', 'c']);
    expect(await ids({}, 'newer')).toEqual(['c', 'a', 'b', 'd']);
    expect(await ids({ flagged: true })).toEqual(['b']);
    expect(await ids({ participant: '客户c' })).toEqual(['c']);
    expect(await ids({ activeSince: T0 + 3 * 60_000, activeUntil: T0 + 7 * 60_000 })).toEqual(['b', 'a']);
    expect(await ids({ vendors: ['AIRUDDER'] })).toEqual([]);
    const after = await s.listConversations(
      { sources: ['scrm'] },
      {
        direction: 'older',
        from: { t: T0 + 3 * 60_000, source: 'scrm', externalId: 'b' },
        stopAt: null,
        limit: 10,
      },
    );
    expect(after.map((c) => c.externalId)).toEqual(['a', 'c']);
  });

  describe('search', () => {
    const corpus = [
      message('a', '1', 1, '我要退款，订单还没发货'),
      message('a', '2', 2, 'Refund please, the parcel never came'),
      message('b', '3', 3, '退款已经处理'),
      message('b', '4', 4, '谢谢'),
      message('c', '5', 5, 'REFUNDS are processed within 3 days'),
      message('c', '6', 6, null, { kind: 'IMAGE' }),
    ];
    const hits = async (s: Store, query: string, after: number | null = null, limit = 10) =>
      (await s.search(query, { sources: ['scrm'] }, newest(limit, after))).map(
        (hit) => hit.message.externalId,
      );

    it('finds Chinese and English, short and long, newest first, case-insensitively', async () => {
      const s = await open();
      await s.record([], corpus);
      expect(await hits(s, '退款')).toEqual(['3', '1']);
      expect(await hits(s, '退款已经')).toEqual(['3']);
      expect(await hits(s, 'refund')).toEqual(['5', '2']);
      expect(await hits(s, 'Re')).toEqual(['5', '2']);
      expect(await hits(s, '发货')).toEqual(['1']);
      expect(await hits(s, 'nothing like it')).toEqual([]);
      expect(await hits(s, '"; DROP TABLE messages; --')).toEqual([]);
      expect(await hits(s, '%')).toEqual([]);
    });

    it('pages by the hit before, and applies the filter', async () => {
      const s = await open();
      await s.record([], corpus);
      const [first] = await s.search('退款', { sources: ['scrm'] }, newest(1));
      expect(first?.message.externalId).toBe('3');
      expect(await hits(s, '退款', first?.seq ?? null)).toEqual(['1']);
      const since = await s.search('refund', { sources: ['scrm'], since: T0 + 3 * 60_000 }, newest(10));
      expect(since.map((hit) => hit.message.externalId)).toEqual(['5']);
      expect(await s.search('refund', { sources: ['other'] }, newest(10))).toEqual([]);
    });

    it('pages toward newer hits, oldest first, between two hits', async () => {
      const s = await open();
      await s.record([], corpus);
      const ids = (rows: { message: Message }[]) => rows.map((hit) => hit.message.externalId);
      const all = await s.search('re', { sources: ['scrm'] }, newest(10));
      expect(ids(all)).toEqual(['5', '2']);
      expect(ids(await s.search('re', { sources: ['scrm'] }, toward(10)))).toEqual(['2', '5']);
      expect(ids(await s.search('re', { sources: ['scrm'] }, toward(1)))).toEqual(['2']);
      const [five, two] = all.map((hit) => hit.seq);
      expect(ids(await s.search('re', { sources: ['scrm'] }, toward(10, two ?? null)))).toEqual(['5']);
      expect(ids(await s.search('re', { sources: ['scrm'] }, toward(10, null, five ?? null)))).toEqual(['2']);
      expect(await s.search('re', { sources: ['scrm'] }, toward(10, two ?? null, five ?? null))).toEqual([]);
      // Newest first, stopping short of a hit: what a `before` cursor bounds.
      const bounded: SearchRequest = { direction: 'older', from: null, stopAt: two ?? null, limit: 10 };
      expect(ids(await s.search('re', { sources: ['scrm'] }, bounded))).toEqual(['5']);
      // The same through the trigram index, and for two characters through SQLite's short-term
      // index or PostgreSQL's bounded scan.
      expect(ids(await s.search('退款', { sources: ['scrm'] }, toward(10)))).toEqual(['1', '3']);
      expect(ids(await s.search('refund', { sources: ['scrm'] }, toward(10)))).toEqual(['2', '5']);
    });

    // 30 messages, newest last; "xy" in the 10th newest and the 11th.
    const xyTexts = Array.from({ length: 30 }, (_, i) =>
      i === 20 || i === 19 ? `a xy ${i}` : `filler ${i}`,
    );

    if (engine === 'sqlite') {
      it('finds one- and two-character queries by index, however many messages there are', async () => {
        store = await Store.open(await testStoreConfig(engine), { now: () => now, shortQueryScan: 10 });
        const s = store;
        await s.record(
          [],
          xyTexts.map((text, i) => message('a', String(i), i + 1, text)),
        );
        // Past what a scan would have read: exact, and the end proven by the index.
        expect(await hits(s, 'xy', null, 5)).toEqual(['20', '19']);
        expect(await hits(s, 'XY')).toEqual(['20', '19']);
        expect(await hits(s, ' x')).toEqual(['20', '19']);
        expect(await hits(s, 'y', null, 5)).toEqual(['20', '19']);
        expect(await hits(s, 'f', null, 2)).toEqual(['29', '28']);
        expect(await hits(s, '2')).toEqual(['29', '28', '27', '26', '25', '24', '23', '22', '21', '20']);
        expect(await hits(s, 'yx')).toEqual([]);
        await s.record([], [message('b', 'cn', 40, '我要退款'), message('b', 'cn2', 41, '退')]);
        expect(await hits(s, '退款')).toEqual(['cn']);
        expect(await hits(s, '退')).toEqual(['cn2', 'cn']);
        // Erasure reaches the short index too.
        await s.purge({ conversation: { source: 'scrm', externalId: 'b' } });
        expect(await hits(s, '退')).toEqual([]);
      });

      it('indexes the short terms of messages stored before the index existed', async () => {
        const config = await testStoreConfig(engine);
        const first = await Store.open(config);
        await first.record([], [message('a', '1', 1, '我要退款'), message('a', '2', 2, 'ok')]);
        // Back to the schema of migration 001: no short-term index, and 002 not recorded.
        for (const trigger of ['insert', 'delete', 'update'])
          await sql.raw(`DROP TRIGGER messages_short_${trigger}`).execute(first.db);
        await sql`DROP TABLE messages_short`.execute(first.db);
        await sql`DELETE FROM chatgraph_migrations WHERE name = '002-short-terms'`.execute(first.db);
        await first.close();
        store = await Store.open(config);
        expect(store.migrated).toEqual(['002-short-terms']);
        expect(await hits(store, '退款')).toEqual(['1']);
        expect(await hits(store, 'o')).toEqual(['2']);
      });
    } else {
      it('scans a bounded number of messages for a one- or two-character query, then says so', async () => {
        const bound = 10;
        store = await Store.open(await testStoreConfig(engine), { now: () => now, shortQueryScan: bound });
        const s = store;
        // "xy" in the 10th newest (inside the scan) and the 11th (past it).
        await s.record(
          [],
          xyTexts.map((text, i) => message('a', String(i), i + 1, text)),
        );
        // A full page within the bound: served, having read at most `bound` messages.
        expect(await hits(s, 'xy', null, 1)).toEqual(['20']);
        // A page the bound cannot fill: a typed error, not a scan to the table's end, nor an end claimed.
        await expect(s.search('xy', { sources: ['scrm'] }, newest(2))).rejects.toMatchObject({
          code: 'SEARCH_TOO_BROAD',
          details: { limit: bound },
        });
        // From a cursor the bound counts from the cursor on: the next hit is found from there.
        const [first] = await s.search('xy', { sources: ['scrm'] }, newest(1));
        expect(await hits(s, 'xy', first?.seq ?? null, 1)).toEqual(['19']);
        // A window that holds every message of the filter proves the end: an empty page, no error.
        expect(await s.search('xy', { sources: ['scrm'], since: T0 + 25 * 60_000 }, newest(5))).toEqual([]);
        // Three characters and more use the index, whatever the bound.
        expect(await hits(s, 'a xy')).toEqual(['20', '19']);
        // Toward newer hits the bound counts from the oldest (or the cursor) up.
        await expect(s.search('xy', { sources: ['scrm'] }, toward(1))).rejects.toMatchObject({
          code: 'SEARCH_TOO_BROAD',
        });
        const later = await s.search('xy', { sources: ['scrm'], since: T0 + 15 * 60_000 }, toward(1));
        expect(later.map((hit) => hit.message.externalId)).toEqual(['19']);
      });
    }

    it('hands back the message as recorded, raw included', async () => {
      const s = await open();
      await s.record([], corpus);
      const [hit] = await s.search('谢谢', { sources: ['scrm'] }, newest(1));
      expect(hit?.message).toEqual(corpus[3]);
    });
  });

  it('never serves a media link past its expiry', async () => {
    const s = await open();
    const url = 'https://files.example/a.png?Expires=1&Signature=x';
    const image = message('a', 'img', 1, null, {
      kind: 'IMAGE',
      content: {
        __typename: 'ImageContent',
        url,
        thumbnailUrl: null,
        width: 1,
        height: 1,
        expiresAt: now + 3_600_000,
      } as Content,
      raw: { image: { url }, payload: JSON.stringify({ url }) },
    });
    await s.record([], [image]);
    const read = () => s.archived('scrm', 'a', 'older', null, Number.POSITIVE_INFINITY, 5);
    expect((await read())[0]?.content).toMatchObject({ url });
    now += 3_600_000;
    const [expired] = await read();
    expect(expired?.content).toMatchObject({ url: null });
    expect(JSON.stringify(expired?.raw).includes('files.example')).toBe(false);
  });

  it('purges a conversation (erasure), a source, and by age; retention applies per source', async () => {
    const s = await open({ scrm: { archive: true, retentionDays: 5 } });
    const old = message('a', '1', 0, 'old');
    const recent = { ...message('b', '2', 0, 'recent'), sentAt: now - 86_400_000 };
    const other = { ...message('c', '3', 0, 'other source'), source: 'bot' };
    await s.record([activity(old), activity(recent), activity(other)], [old, recent, other]);
    expect(await s.purge({ conversation: { source: 'scrm', externalId: 'b' } })).toEqual({
      messages: 1,
      conversations: 1,
    });
    expect(await s.participants([{ source: 'scrm', externalId: 'b' }])).toEqual(new Map());
    expect(await s.search('recent', { sources: ['scrm'] }, newest(5))).toEqual([]);
    expect(await s.applyRetention()).toEqual({ messages: 1, conversations: 1 });
    expect((await s.stats()).map((x) => [x.source, x.conversations, x.messages])).toEqual([['bot', 1, 1]]);
    expect(await s.purge({ source: 'bot' })).toEqual({ messages: 1, conversations: 1 });
    expect(await s.stats()).toEqual([]);
    await expect(s.purge({})).rejects.toThrow('Purge what?');
  });

  it('places two messages of one millisecond whose seq collides', async () => {
    const s = await open();
    // Find two ids whose hashes land in the same slot of the same millisecond.
    const { seqOf } = await import('../../src/store/store.js');
    const base = message('a', 'x0', 1, 'same slot');
    const target = seqOf(base);
    let other = { ...base, externalId: 'x1' };
    for (let i = 2; seqOf(other) !== target; i++) other = { ...base, externalId: `x${i}` };
    await s.record([], [base, other, base]);
    expect(
      (await s.archived('scrm', 'a', 'newer', null, Number.POSITIVE_INFINITY, 5))
        .map((m) => m.externalId)
        .sort(),
    ).toEqual([base.externalId, other.externalId].sort());
  });
});
