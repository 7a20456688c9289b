/**
 * Past the vendor's reach: a source that archives keeps serving the messages its vendor has
 * dropped (retention), in the same connection and cursor space, every message exactly once, both
 * ways; and a range the store settled costs no vendor call. The vendor here is an in-memory
 * source with a retention window and a clock the test moves, counting its calls.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, closeApp, createApp } from '../../src/app.js';
import { encodeNodeId } from '../../src/ids.js';
import type { Message, Position } from '../../src/model/index.js';
import type { AnySource, SourceCapabilities } from '../../src/sources/source.js';
import { startStore } from '../../src/store/index.js';
import { type ChatgraphYoga, createChatgraphYoga } from '../../src/yoga.js';
import { TEST_CURSOR_SECRET } from '../helpers/harness.js';
import { STORE_ENGINES, type TestEngine, testStoreConfig } from '../helpers/store-engines.js';
import { message } from '../helpers/store-messages.js';

const HOUR = 3_600_000;
const RETENTION = 24 * HOUR;
const COUNT = 30;

interface MemoryRequest {
  direction: 'older' | 'newer';
  from: Position | null;
  limit: number;
}

/** A vendor keeping the last 24 hours of one conversation, paging both ways from a message. */
function memorySource(history: Message[], now: () => number) {
  const log: MemoryRequest[] = [];
  const capabilities: SourceCapabilities = {
    olderPaging: 'NATIVE',
    newerPaging: 'NATIVE',
    vendorMaxPageSize: 4,
    filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
    timeOrdered: true,
    resumesAtMessage: false,
    retentionSeconds: RETENTION / 1000,
    defaultLookbackSeconds: null,
    notes: [],
  };
  const before = (a: Position, b: Position) => a.t < b.t || (a.t === b.t && a.id < b.id);
  const source: AnySource = {
    name: 'memory',
    vendor: 'MYSCRM',
    capabilities,
    conversationId: (id) => id,
    pageKey: (request: MemoryRequest) => JSON.stringify(request),
    async fetchPage(request: MemoryRequest) {
      log.push(request);
      const kept = history.filter((m) => m.sentAt >= now() - RETENTION);
      const at = (m: Message) => ({ t: m.sentAt, id: m.externalId });
      const list =
        request.direction === 'older'
          ? kept.filter((m) => !request.from || before(at(m), request.from))
          : [...kept].reverse().filter((m) => !request.from || before(request.from, at(m)));
      return list.slice(0, request.limit);
    },
    async read(pages, request) {
      const from = (request.continuation as Position | undefined) ?? request.from;
      const page = (await pages.load({ direction: request.direction, from, limit: 4 })) as Message[];
      const last = page.at(-1);
      return {
        messages: page,
        continuation: page.length < 4 || !last ? null : { t: last.sentAt, id: last.externalId },
      };
    },
    async find(pages, _conversation, position) {
      const page = (await pages.load({
        direction: 'older',
        from: { t: position.t, id: `${position.id}~` },
        limit: 1,
      })) as Message[];
      return page[0]?.externalId === position.id ? page[0] : null;
    },
    async close() {},
  };
  return { source, log };
}

const PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  conversation(id: $id) { messages(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { externalId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

interface Page {
  edges: Array<{ cursor: string; node: { externalId: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** `COUNT` messages of conversation `c`, one an hour, the newest (`m29`) at `start`. */
function hourly(start: number): Message[] {
  return Array.from({ length: COUNT }, (_, i) => ({
    ...message('c', `m${String(COUNT - 1 - i).padStart(2, '0')}`, 0, `message ${COUNT - 1 - i}`),
    source: 'memory',
    sentAt: start - i * HOUR,
  }));
}

/**
 * The API over `source`, with a store of `engine` archiving it (or none: `engine` null), and a
 * POST of one GraphQL request to it. The suites below each build theirs with it.
 */
async function apiOver(source: AnySource, engine: TestEngine | null, now?: () => number) {
  const logger = pino({ level: 'silent' });
  const store =
    engine === null
      ? undefined
      : await startStore(
          await testStoreConfig(engine, { [source.name]: { archive: true, retentionDays: null } }),
          logger,
          now ? { now } : {},
        );
  const app = createApp({
    sources: [source],
    cursorSecret: TEST_CURSOR_SECRET,
    logger,
    ...(store ? { store } : {}),
  });
  const yoga = createChatgraphYoga(app);
  const post = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>) => {
    const response = await yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: unknown };
  };
  return { app, post, close: () => closeApp(app) };
}

describe.each(STORE_ENGINES)('archive past the vendor reach on %s', (engine) => {
  const start = Date.UTC(2026, 10, 1, 12);
  // One message an hour, the newest at `start`; ten hours before it the vendor still has them all.
  let clock = start - 10 * HOUR;
  const history = hourly(start);
  const expected = history.map((m) => m.externalId);
  const memory = memorySource(history, () => clock);
  let app: App;
  let yoga: ChatgraphYoga;
  const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });

  const page = async (args: Record<string, unknown>): Promise<Page> => {
    const response = await yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PAGE, variables: { id, ...args } }),
    });
    const body = (await response.json()) as { data?: { conversation: { messages: Page } }; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.conversation.messages;
  };
  const walk = async (direction: 'first' | 'last', sizes: number[]) => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    for (let step = 0; step < 100; step++) {
      const size = sizes[Math.min(step, sizes.length - 1)] as number;
      const result = await page(
        direction === 'first' ? { first: size, after: cursor } : { last: size, before: cursor },
      );
      const ids = result.edges.map((e) => e.node.externalId);
      if (direction === 'first') pages.push(ids);
      else pages.unshift(ids);
      const more = direction === 'first' ? result.pageInfo.hasNextPage : result.pageInfo.hasPreviousPage;
      if (!more) return pages.flat();
      expect(ids).toHaveLength(size);
      cursor = direction === 'first' ? result.pageInfo.endCursor : result.pageInfo.startCursor;
    }
    throw new Error('walk did not end');
  };

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    const store = await startStore(
      await testStoreConfig(engine, { memory: { archive: true, retentionDays: null } }),
      logger,
      {
        now: () => clock,
      },
    );
    app = createApp({ sources: [memory.source], cursorSecret: TEST_CURSOR_SECRET, logger, store });
    yoga = createChatgraphYoga(app);
    // While the vendor still has everything, one walk archives it all.
    expect(await walk('first', [10])).toEqual(expected);
    await store.recorder.flush();
    // Five hours after the newest message, the vendor keeps the 20 sent in the last 24 hours.
    clock = start + 5 * HOUR;
  });
  afterAll(async () => {
    await closeApp(app);
  });

  it('the vendor really has dropped the oldest messages', async () => {
    const kept = (await memory.source.fetchPage({ direction: 'older', from: null, limit: 100 })) as Message[];
    expect(kept.map((m) => m.externalId)).toEqual(expected.slice(0, 20));
  });

  it('walks across the boundary both ways, every message once, page info exact (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 5 }),
        async (sizes) => {
          expect(await walk('first', sizes)).toEqual(expected);
          expect(await walk('last', sizes)).toEqual(expected);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('serves a range the store settled without calling the vendor, resuming from any edge', async () => {
    const all = await page({ first: COUNT });
    expect(all.edges.map((e) => e.node.externalId)).toEqual(expected);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const inStore = all.edges[20]?.cursor;
    const calls = memory.log.length;
    const older = await page({ first: 5, after: inStore });
    expect(older.edges.map((e) => e.node.externalId)).toEqual(expected.slice(21, 26));
    expect(older.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = await page({ last: 3 });
    expect(last.edges.map((e) => e.node.externalId)).toEqual(expected.slice(27));
    expect(memory.log.length).toBe(calls);
    // Toward newer messages the store's part ends where the vendor's history starts.
    const newer = await page({ last: 12, before: all.edges[15]?.cursor });
    expect(newer.edges.map((e) => e.node.externalId)).toEqual(expected.slice(3, 15));
  });
});

/**
 * A vendor that searches back only to a default lookback unless `filter.since` says further (as
 * weizhipin's day windows do): where a walk stops at the lookback it has proven no start of the
 * history, so the store neither claims one (`scannedUntil` null) nor treats it as the vendor's end.
 */
describe.each(STORE_ENGINES)('archive over a vendor with a default lookback on %s', (engine) => {
  const start = Date.UTC(2026, 10, 1, 12);
  const LOOKBACK = 10 * HOUR;
  const history = hourly(start);
  const expected = history.map((m) => m.externalId);
  // A clock at the epoch: the in-memory vendor's retention then keeps every message.
  const inner = memorySource(history, () => 0).source;
  const lookbackSource: AnySource = {
    ...inner,
    capabilities: { ...inner.capabilities, retentionSeconds: null, defaultLookbackSeconds: LOOKBACK / 1000 },
    async read(pages, request) {
      const bound = request.filter.since ?? start - LOOKBACK;
      const result = await inner.read(pages, request);
      const kept = result.messages.filter((m) => m.sentAt >= bound);
      if (request.direction === 'older' && (kept.length < result.messages.length || !result.continuation)) {
        return {
          messages: kept,
          continuation: null,
          ...(request.filter.since === undefined ? { searchedTo: bound } : {}),
        };
      }
      return { ...result, messages: kept };
    },
  };
  let api: Awaited<ReturnType<typeof apiOver>>;
  const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });
  interface Page {
    edges: Array<{ node: { externalId: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    scannedUntil: string | null;
  }
  const page = async (variables: Record<string, unknown>): Promise<Page> => {
    const body = await api.post<{ conversation: { messages: Page } }>(
      `query($id: ID!, $first: Int, $after: String, $filter: MessageFilter) {
        conversation(id: $id) { messages(first: $first, after: $after, filter: $filter) {
          edges { node { externalId } } pageInfo { hasNextPage endCursor } scannedUntil } } }`,
      { id, ...variables },
    );
    if (!body.data) throw new Error(JSON.stringify(body));
    return body.data.conversation.messages;
  };

  beforeAll(async () => {
    api = await apiOver(lookbackSource, engine, () => start);
  });
  afterAll(() => api.close());

  it('says a walk stopped at the lookback, and a walk with filter.since then gets every message once', async () => {
    const recent = await page({ first: 50 });
    expect(recent.edges.map((e) => e.node.externalId)).toEqual(expected.slice(0, 11));
    expect(recent.pageInfo.hasNextPage).toBe(false);
    expect(recent.scannedUntil).toBe(new Date(start - LOOKBACK).toISOString());
    // Again, with the lookback's messages archived by then.
    expect((await page({ first: 50 })).scannedUntil).toBe(new Date(start - LOOKBACK).toISOString());

    const filter = { since: new Date(start - 100 * HOUR).toISOString() };
    const seen: string[] = [];
    let after: string | null = null;
    for (let step = 0; step < 20; step++) {
      const result = await page({ first: 4, after, filter });
      seen.push(...result.edges.map((e) => e.node.externalId));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });
});

/**
 * A vendor read in hour windows that are all empty (a quiet chat searched far back): each read
 * moves on by its `scannedUntil`, and a page stops at its vendor-call budget with a cursor that
 * resumes the scan. The store's decorator must hand that progress on, or the page reads on until
 * the operation's limit fails it.
 */
describe.each(STORE_ENGINES)('archive over a vendor whose windows are empty on %s', (engine) => {
  const start = Date.UTC(2026, 10, 1, 12);
  let calls = 0;
  const inner = memorySource([], () => 0).source;
  const windowed: AnySource = {
    ...inner,
    capabilities: { ...inner.capabilities, retentionSeconds: null },
    async read(pages, request) {
      const hour = (request.continuation as number | undefined) ?? Math.floor(start / HOUR);
      calls++;
      await pages.load({ direction: 'older', from: { t: hour * HOUR, id: '' }, limit: 4 });
      const lowest = Math.floor((request.filter.since ?? 0) / HOUR);
      return hour <= lowest
        ? { messages: [], continuation: null }
        : { messages: [], continuation: hour - 1, scannedUntil: { t: hour * HOUR, id: '' } };
    },
  };
  const query = `query($id: ID!, $filter: MessageFilter) { conversation(id: $id) {
    messages(first: 5, filter: $filter) { edges { cursor } pageInfo { hasNextPage endCursor } scannedUntil } } }`;
  const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });
  const filter = { since: new Date(start - 1_000 * HOUR).toISOString() };

  it('stops a page at its vendor-call budget, as without a store', async () => {
    const answers: unknown[] = [];
    const counted: number[] = [];
    for (const store of [null, engine]) {
      const api = await apiOver(windowed, store);
      calls = 0;
      answers.push(await api.post(query, { id, filter }));
      counted.push(calls);
      await api.close();
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({
      data: {
        conversation: {
          messages: {
            edges: [],
            pageInfo: { hasNextPage: true },
            scannedUntil: new Date(start - 199 * HOUR).toISOString(),
          },
        },
      },
    });
    expect(counted).toEqual([200, 200]);
  });
});

/**
 * A vendor whose list is not in time order (AIRUDDER's): its end is no bound in time, so its
 * walks are not extended from the store; what the store archived is still found by id.
 */
describe.each(STORE_ENGINES)('archive of a vendor listing out of time order on %s', (engine) => {
  const start = Date.UTC(2026, 10, 1, 12);
  // Ten hours before the newest message the vendor still has them all (as in the first suite).
  let clock = start - 10 * HOUR;
  const history = hourly(start);
  const inner = memorySource(history, () => clock).source;
  const unordered: AnySource = { ...inner, capabilities: { ...inner.capabilities, timeOrdered: false } };
  const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });
  let api: Awaited<ReturnType<typeof apiOver>>;
  beforeAll(async () => {
    api = await apiOver(unordered, engine, () => clock);
  });
  afterAll(() => api.close());

  it('pages what the vendor lists, and finds a message it dropped by id', async () => {
    const query = `query($id: ID!) { conversation(id: $id) { messages(first: 50) { edges { node { id externalId } } pageInfo { hasNextPage } } } }`;
    type Page = {
      conversation: { messages: { edges: Array<{ node: { id: string; externalId: string } }> } };
    };
    const { edges } = ((await api.post(query, { id })).data as Page).conversation.messages;
    expect(edges.map((e) => e.node.externalId)).toEqual(history.map((m) => m.externalId));
    await api.app.store?.recorder.flush();
    clock = start + 5 * HOUR; // the vendor now keeps the 20 newest
    const kept = await api.post(query, { id });
    expect(kept.data?.conversation).toEqual({
      messages: { edges: edges.slice(0, 20), pageInfo: { hasNextPage: false } },
    });
    const dropped = edges[20]?.node.id;
    expect(
      await api.post('query($n: ID!) { node(id: $n) { ... on Message { externalId } } }', { n: dropped }),
    ).toEqual({
      data: { node: { externalId: 'm09' } },
    });
  });
});
