/**
 * Listing and search through GraphQL on both engines: what reads record, the listing's paging
 * laws (the same property checks as `messages`: every conversation once, in the same order both
 * ways, exact page info, resuming from any edge), search hits in Chinese and English opened with
 * `messages(around:)`, and typed refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { checkConnectionLaws, type PageResult } from '../helpers/paging.js';
import { STORE_ENGINES, testStoreConfig } from '../helpers/store-engines.js';
import { message } from '../helpers/store-messages.js';

const SAMPLE = '4370405345218887686';
const sampleId = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: SAMPLE });

const LIST = `query List($first: Int, $after: String, $last: Int, $before: String, $filter: ConversationFilter) {
  conversations(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    edges { cursor node { externalId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function list(h: Harness, args: Record<string, unknown>): Promise<PageResult> {
  const result = await h.query<{ conversations: PageResult }>(LIST, args);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return (result.data as { conversations: PageResult }).conversations;
}

async function readAll(h: Harness, id: string): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const result: { data?: unknown } = await h.query<{ conversation: { messages: PageResult } }>(
      `query($id: ID!, $after: String) { conversation(id: $id) { messages(first: 100, after: $after) {
        edges { cursor node { externalId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
      { id, after },
    );
    const page: PageResult = (result.data as { conversation: { messages: PageResult } }).conversation
      .messages;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  await h.app.store?.recorder.flush();
}

describe.each(STORE_ENGINES)('listing and search on %s', (engine) => {
  let h: Harness;
  /** The 40 conversations of the listing, most recent activity first. */
  const expected: string[] = [];

  beforeAll(async () => {
    h = await startHarness({
      vendors: ['WECHAT_STORE', 'MYSCRM'],
      store: await testStoreConfig(engine, { 'wechat-store': { archive: true, retentionDays: null } }),
    });
    const store = h.app.store?.store;
    if (!store) throw new Error('no store');
    // Forty more conversations, in pairs of equal activity so that ties are ordered by id.
    const base = Date.UTC(2020, 0, 1);
    await store.record(
      Array.from({ length: 40 }, (_, i) => ({
        source: 'myscrm',
        vendor: 'MYSCRM' as const,
        externalId: `room-${String(i).padStart(2, '0')}`,
        lastActivityAt: base + Math.floor(i / 2) * 60_000,
        lastMessageId: `m${i}`,
        preview: `preview ${i}`,
        participants: i % 5 === 0 ? ['张三'] : ['李四'],
        flags: i % 7 === 0 ? ['手机号'] : [],
        title: null,
      })),
      [],
    );
    for (let i = 39; i >= 0; i -= 2)
      expected.push(`room-${String(i).padStart(2, '0')}`, `room-${String(i - 1).padStart(2, '0')}`);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records a conversation a read went through, with its newest message and participants', async () => {
    await readAll(h, sampleId);
    const result = await h.query(
      `{ conversations(first: 1) { edges { node { externalId vendor summary {
        lastActivityAt lastMessageId preview participants flagged flags } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const node = (result.data as { conversations: { edges: Array<{ node: Record<string, unknown> }> } })
      .conversations.edges[0]?.node;
    expect(node).toMatchObject({
      externalId: SAMPLE,
      vendor: 'WECHAT_STORE',
      summary: {
        lastActivityAt: '2026-02-03T06:00:33.268Z',
        lastMessageId: '4370579409892622341',
        preview: '用户超时未回，会话已结束，两天内仍可再次联系',
        flagged: false,
        flags: [],
      },
    });
    expect(node?.summary).toMatchObject({ participants: ['妮妮🍀', '胃不疼'] });
  });

  it('pages the listing exactly both ways, from any edge (property)', async () => {
    const filter = { sources: ['myscrm'] };
    await checkConnectionLaws((args) => list(h, { ...args, filter }), { expected, maxSize: 9, numRuns: 10 });
  });

  it('filters by participant, flag, activity window and vendor, and under Source.conversations', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await list(h, { first: 50, filter })).edges.map((e) => e.node.externalId);
    expect(await ids({ participant: '张三' })).toEqual([
      'room-35',
      'room-30',
      'room-25',
      'room-20',
      'room-15',
      'room-10',
      'room-05',
      'room-00',
    ]);
    expect(await ids({ flagged: true, sources: ['myscrm'] })).toEqual([
      'room-35',
      'room-28',
      'room-21',
      'room-14',
      'room-07',
      'room-00',
    ]);
    expect(
      await ids({
        sources: ['myscrm'],
        activeSince: '2020-01-01T00:01:00.000Z',
        activeUntil: '2020-01-01T00:02:00.000Z',
      }),
    ).toEqual(['room-03', 'room-02']);
    expect(await ids({ vendors: ['WECHAT_STORE'] })).toEqual([SAMPLE]);
    const result = await h.query(
      `{ source(name: "wechat-store") { conversations(first: 5) { edges { node { externalId } } } } }`,
    );
    expect(result.data).toEqual({ source: { conversations: { edges: [{ node: { externalId: SAMPLE } }] } } });
  });

  it('refuses a cursor of another filter, an unknown source and bad sizes, with codes', async () => {
    const page = await list(h, { first: 2, filter: { sources: ['myscrm'] } });
    const codes = async (variables: Record<string, unknown>) =>
      (await h.query(LIST, variables)).errors?.map((e) => e.extensions?.code);
    expect(await codes({ first: 2, after: page.pageInfo.endCursor })).toEqual(['INVALID_CURSOR']);
    expect(await codes({ first: 2, filter: { sources: ['nope'] } })).toEqual(['UNKNOWN_SOURCE']);
    expect(await codes({ first: 101 })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes({ first: 1, last: 1 })).toEqual(['INVALID_ARGUMENT']);
  });

  const SEARCH = `query Search($query: String!, $first: Int, $after: String, $last: Int, $before: String, $filter: MessageSearchFilter) {
    searchMessages(query: $query, first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor snippet highlights { start end } messageCursor node { externalId text conversation { id } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  interface SearchPage {
    edges: Array<{
      cursor: string;
      snippet: string;
      highlights: Array<{ start: number; end: number }>;
      messageCursor: string;
      node: { externalId: string; text: string; conversation: { id: string } };
    }>;
    pageInfo: PageResult['pageInfo'];
  }
  const search = async (variables: Record<string, unknown>) => {
    const result = await h.query<{ searchMessages: SearchPage }>(SEARCH, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return (result.data as { searchMessages: SearchPage }).searchMessages;
  };

  it('finds Chinese words of two characters and more, newest first, with highlights', async () => {
    const hits = await search({ query: '地址' });
    expect(hits.edges.map((e) => e.node.externalId)).toEqual([
      '4370469305519751177',
      '4370448004292853761',
      '4370414024576073735',
      '4370412865285603334',
    ]);
    const first = hits.edges[0];
    expect(first?.snippet).toBe('发个店铺地址给我有这么难吗？你们定制不是顾客都进店铺定制吗？');
    expect(first?.highlights).toEqual([{ start: 4, end: 6 }]);
    expect((await search({ query: '店铺地址' })).edges.map((e) => e.node.externalId)).toEqual([
      '4370469305519751177',
    ]);
    expect((await search({ query: '微信' })).edges.map((e) => e.node.externalId)).toEqual([
      '4370565605479940106',
      '4370467910243876868',
      '4370467544196366340',
    ]);
    expect((await search({ query: '微信', filter: { senderRoles: ['AGENT'] } })).edges).toEqual([]);
  });

  it('pages hits with an exact hasNextPage', async () => {
    const first = await search({ query: '地址', first: 3 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await search({ query: '地址', first: 3, after: first.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.externalId)).toEqual(['4370412865285603334']);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('pages hits exactly both ways, from any hit, ties included (property)', async () => {
    const store = h.app.store?.store;
    if (!store) throw new Error('no store');
    // 45 hits, three to a minute (ties, ordered by their place in the results), among misses.
    await store.record(
      [],
      Array.from({ length: 60 }, (_, i) =>
        message('room-search', `s${i}`, Math.floor(i / 3), i % 4 === 3 ? `other ${i}` : `a needle ${i}`, {
          source: 'myscrm',
        }),
      ),
    );
    const all = await search({ query: 'needle', first: 100 });
    const expected = all.edges.map((e) => e.node.externalId);
    expect([...expected].sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => i)
        .filter((i) => i % 4 !== 3)
        .map((i) => `s${i}`)
        .sort(),
    );
    const minuteOf = (id: string) => Math.floor(Number(id.slice(1)) / 3);
    expect(expected.every((id, i) => i === 0 || minuteOf(expected[i - 1] as string) >= minuteOf(id))).toBe(
      true,
    );
    await checkConnectionLaws((args) => search({ query: 'needle', ...args }), {
      expected,
      maxSize: 12,
      numRuns: 10,
    });
    // `last` without `before` is the oldest hits, as Relay has it.
    const oldest = await search({ query: 'needle', last: 2 });
    expect(oldest.edges.map((e) => e.node.externalId)).toEqual(expected.slice(-2));
    expect(oldest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('opens the conversation around a hit, and pages on from there both ways', async () => {
    const [hit] = (await search({ query: '店铺地址' })).edges;
    const AROUND = `query($id: ID!, $around: String, $first: Int, $after: String, $last: Int, $before: String) {
      conversation(id: $id) { messages(around: $around, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { externalId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    const page = async (variables: Record<string, unknown>) =>
      (
        (
          await h.query<{ conversation: { messages: PageResult } }>(AROUND, {
            id: hit?.node.conversation.id,
            ...variables,
          })
        ).data as { conversation: { messages: PageResult } }
      ).conversation.messages;
    const around = await page({ around: hit?.messageCursor, first: 5 });
    const ids = around.edges.map((e) => e.node.externalId);
    expect(ids).toEqual([
      '4370477653207400456',
      '4370470599731183616',
      '4370469305519751177',
      '4370469081426345992',
      '4370467910243876868',
    ]);
    expect(around.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const newer = await page({ last: 2, before: around.pageInfo.startCursor });
    expect(newer.edges.map((e) => e.node.externalId)).toEqual(['4370556434500190212', '4370556203429658635']);
    const older = await page({ first: 1, after: around.pageInfo.endCursor });
    expect(older.edges.map((e) => e.node.externalId)).toEqual(['4370467544196366340']);
    const refused = await h.query(AROUND, {
      id: sampleId,
      around: hit?.messageCursor,
      after: hit?.messageCursor,
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_ARGUMENT');
  });

  it('refuses an empty query, a long one, and a cursor of another query', async () => {
    const codes = async (variables: Record<string, unknown>) =>
      (await h.query(SEARCH, variables)).errors?.map((e) => e.extensions?.code);
    expect(await codes({ query: '  ' })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes({ query: 'x'.repeat(201) })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes({ query: '地址', first: 1, last: 1 })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes({ query: '地址', last: 101 })).toEqual(['INVALID_ARGUMENT']);
    const page = await search({ query: '地址', first: 1 });
    expect(await codes({ query: '微信', after: page.pageInfo.endCursor })).toEqual(['INVALID_CURSOR']);
  });

  // Last: it adds a myscrm conversation that the listing tests above do not expect.
  it("records a vendor's compliance flags: the myscrm sample's keyword-rule hit", async () => {
    const id = encodeNodeId({ kind: 'Conversation', source: 'myscrm', conversation: 'sandbox-sample' });
    await readAll(h, id);
    const result = await h.query(`{ conversation(id: "${id}") { summary { flagged flags } } }`);
    expect(result).toEqual({ data: { conversation: { summary: { flagged: true, flags: ['过度承诺'] } } } });
    const flagged = await list(h, { first: 50, filter: { flagged: true, sources: ['myscrm'] } });
    expect(flagged.edges.map((e) => e.node.externalId)).toContain('sandbox-sample');
  });
});

describe('without a store', () => {
  it('answers listing and search with STORE_NOT_CONFIGURED, and conversations have no summary', async () => {
    const h = await startHarness({ vendors: ['WECHAT_STORE'] });
    try {
      const listed = await h.query('{ conversations(first: 1) { edges { cursor } } }');
      expect(listed.errors?.map((e) => e.extensions?.code)).toEqual(['STORE_NOT_CONFIGURED']);
      const searched = await h.query('{ searchMessages(query: "x") { edges { cursor } } }');
      expect(searched.errors?.map((e) => e.extensions?.code)).toEqual(['STORE_NOT_CONFIGURED']);
      const summary = await h.query(`{ conversation(id: "${sampleId}") { summary { preview } } }`);
      expect(summary).toEqual({ data: { conversation: { summary: null } } });
    } finally {
      await h.close();
    }
  });
});
