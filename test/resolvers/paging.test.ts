/**
 * The paging engine through GraphQL, on WeChat Shop rooms (a vendor that pages one way only, so
 * both the native and the SCAN direction are exercised), with vendor calls counted at the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  generateWechatStoreRoom,
  WECHAT_STORE_SAMPLE_ROOM,
  wechatStoreSampleRecords,
  wechatStoreSandboxRooms,
} from '../../src/sources/wechat-store/sandbox/data.js';
import { wechatStoreEmulator } from '../../src/sources/wechat-store/sandbox/emulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { checkPagingLaws, fetchPage, walkBackward, walkForward } from '../helpers/paging.js';

const conversationId = (source: string, externalId: string) =>
  encodeNodeId({ kind: 'Conversation', source, conversation: externalId });

const SAMPLE = conversationId('wechat-store', WECHAT_STORE_SAMPLE_ROOM);
const LONG = conversationId('wechat-store', 'sandbox-long');
const EMPTY = conversationId('wechat-store', 'sandbox-empty');
const sampleIds = wechatStoreSampleRecords().map((record) => record.msg_id);
const longIds = (wechatStoreSandboxRooms().get('sandbox-long') ?? []).map((record) => record.msg_id);

// A room of its own for the property tests: long enough for many pages, short enough to walk
// backward (SCAN) many times.
const PROPERTY_ROOM = generateWechatStoreRoom({
  roomId: 'property-room',
  seed: 7,
  count: 317,
  start: Date.UTC(2026, 2, 1),
});
const PROPERTY = conversationId('wechat-props', 'property-room');

let h: Harness;
let propertyEmulator: RunningEmulator;

beforeAll(async () => {
  propertyEmulator = await startEmulator(
    wechatStoreEmulator({ rooms: new Map([['property-room', PROPERTY_ROOM]]), cookie: 'c=1', bizMagic: 'm' }),
  );
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    // The engine's own calls, each operation on its own: the page cache across operations has
    // its tests in shared-pages.test.ts.
    policy: { pageCacheTtlMs: 0 },
    sources: [
      // A small vendor page size makes every GraphQL page span several vendor pages.
      {
        vendor: 'WECHAT_STORE',
        name: 'wechat-props',
        baseUrl: propertyEmulator.baseUrl,
        cookie: 'c=1',
        bizMagic: 'm',
        pageSize: 7,
      },
    ],
  });
});

afterAll(async () => {
  await h.close();
  await propertyEmulator.close();
});

const calls = () => h.calls('WECHAT_STORE');
const sentLimits = () => calls().recent.map((call) => (call.body as { limit: number }).limit);

describe('pages', () => {
  it('returns the whole sample room newest first, the end proven by an empty page', async () => {
    calls().reset();
    const page = await fetchPage(h, SAMPLE, { first: 30 });
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(sampleIds);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    // 30 of 31 is short, which a vendor capping pages below the size asked also answers.
    expect(sentLimits()).toEqual([31, 2]);
  });

  it('defaults to 20 and asks the vendor for one more to know hasNextPage', async () => {
    calls().reset();
    const result = await h.query<{
      conversation: { messages: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } };
    }>(
      `query($id: ID!) { conversation(id: $id) { messages { edges { cursor } pageInfo { hasNextPage } } } }`,
      { id: SAMPLE },
    );
    expect(result.data?.conversation.messages.edges).toHaveLength(20);
    expect(result.data?.conversation.messages.pageInfo.hasNextPage).toBe(true);
    expect(sentLimits()).toEqual([21]);
  });

  it('spans vendor pages for a large first, asking only for what the page needs (at least 2)', async () => {
    calls().reset();
    const page = await fetchPage(h, LONG, { first: 100 });
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(longIds.slice(0, 100));
    expect(page.pageInfo.hasNextPage).toBe(true);
    // The extra message needs 1, but an inclusive anchor would answer 1 with the anchor alone.
    expect(sentLimits()).toEqual([50, 50, 2]);
    const anchors = calls().recent.map((call) => (call.body as { msg_id: string }).msg_id);
    expect(anchors).toEqual(['18446744073709551616', longIds[49], longIds[99]]);
  });

  it('never asks the vendor for the same page twice in one operation', async () => {
    calls().reset();
    const result = await h.query(
      `query($id: ID!) { conversation(id: $id) {
        a: messages(first: 100) { edges { cursor } }
        b: messages(first: 100) { edges { cursor } }
        c: messages(first: 100) { edges { node { id } } }
      } }`,
      { id: LONG },
    );
    expect(result.errors).toBeUndefined();
    expect(calls().count).toBe(3);
  });

  it('serves last/before by reading down from the newer bound (SCAN)', async () => {
    calls().reset();
    const oldest = await fetchPage(h, SAMPLE, { last: 5 });
    expect(oldest.edges.map((edge) => edge.node.externalId)).toEqual(sampleIds.slice(25));
    expect(oldest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // The room's 30, then the empty page that proves there is nothing older.
    expect(calls().count).toBe(2);

    const newer = await fetchPage(h, SAMPLE, { last: 4, before: oldest.pageInfo.startCursor ?? '' });
    expect(newer.edges.map((edge) => edge.node.externalId)).toEqual(sampleIds.slice(21, 25));
    expect(newer.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('pages between two cursors in both directions', async () => {
    const all = await fetchPage(h, SAMPLE, { first: 30 });
    const after = all.edges[3]?.cursor ?? '';
    const before = all.edges[10]?.cursor ?? '';
    const forward = await fetchPage(h, SAMPLE, { first: 20, after, before });
    expect(forward.edges.map((edge) => edge.node.externalId)).toEqual(sampleIds.slice(4, 10));
    expect(forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const backward = await fetchPage(h, SAMPLE, { last: 3, after, before });
    expect(backward.edges.map((edge) => edge.node.externalId)).toEqual(sampleIds.slice(7, 10));
    expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('gives an empty conversation an empty page', async () => {
    for (const args of [{ first: 10 }, { last: 10 }]) {
      const page = await fetchPage(h, EMPTY, args);
      expect(page).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    }
  });

  it('answers first: 0 with no edges but exact page info', async () => {
    const page = await fetchPage(h, SAMPLE, { first: 0 });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });
});

describe('filters', () => {
  const ids = async (filter: Record<string, unknown>) =>
    (await walkForward(h, SAMPLE, { sizes: [7], filter })).slice();

  it('filters by sender role, kind and text in the gateway', async () => {
    expect(await ids({ senderRoles: ['CUSTOMER'] })).toEqual(
      [5, 11, 13, 14, 19, 22, 24, 25, 28].map((index) => sampleIds[index]),
    );
    expect(await ids({ kinds: ['SYSTEM'] })).toEqual(
      [0, 4, 9, 10, 12, 15, 18, 20, 23, 27, 29].map((index) => sampleIds[index]),
    );
    expect(await ids({ text: '地址' })).toEqual([11, 19, 22, 24].map((index) => sampleIds[index]));
  });

  it('filters by a half-open time range [since, until)', async () => {
    // Messages 104 (1770088332542) to 109 (1770088576507) of the sample.
    const range = { since: '2026-02-03T03:12:12.542Z', until: '2026-02-03T03:16:16.507Z' };
    expect(await ids(range)).toEqual(sampleIds.slice(22, 27));
  });

  it('rejects an empty time range', async () => {
    const result = await h.query(
      `query($id: ID!) { conversation(id: $id) { messages(filter: { since: "2026-02-03T00:00:00Z", until: "2026-02-02T00:00:00Z" }) { edges { cursor } } } }`,
      { id: SAMPLE },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_ARGUMENT');
  });
});

describe('bad input', () => {
  const code = async (args: Record<string, unknown>, id = SAMPLE) => {
    const result = await h.query(
      `query($id: ID!, $first: Int, $last: Int, $after: String, $before: String, $filter: MessageFilter) {
        conversation(id: $id) { messages(first: $first, last: $last, after: $after, before: $before, filter: $filter) { edges { cursor } } }
      }`,
      { id, ...args },
    );
    return result.errors?.map((error) => error.extensions?.code);
  };

  it('rejects page sizes out of range and first with last', async () => {
    expect(await code({ first: -1 })).toEqual(['INVALID_ARGUMENT']);
    expect(await code({ first: 101 })).toEqual(['INVALID_ARGUMENT']);
    expect(await code({ last: 1000 })).toEqual(['INVALID_ARGUMENT']);
    expect(await code({ first: 1, last: 1 })).toEqual(['INVALID_ARGUMENT']);
  });

  it('rejects garbage, altered and foreign cursors', async () => {
    const page = await fetchPage(h, SAMPLE, { first: 2 });
    const cursor = page.pageInfo.endCursor ?? '';
    expect(await code({ after: 'garbage' })).toEqual(['INVALID_CURSOR']);
    expect(await code({ after: '' })).toEqual(['INVALID_CURSOR']);
    const altered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    expect(await code({ after: altered })).toEqual(['INVALID_CURSOR']);
    expect(await code({ before: cursor }, LONG)).toEqual(['INVALID_CURSOR']);
    expect(await code({ after: cursor, filter: { text: '地址' } })).toEqual(['INVALID_CURSOR']);
  });

  it('rejects a malformed room id', async () => {
    const result = await h.query(
      `{ source(name: "wechat-store") { conversation(externalId: "a b") { id } } }`,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_ARGUMENT');
  });
});

/**
 * The engine's plan for a forward walk: each page asks for `size + 1` messages in vendor calls of
 * at most `vendorMax`, and a short vendor page ends the walk.
 */
function plannedCalls(total: number, size: number, vendorMax: number): number {
  let count = 0;
  for (let start = 0; ; start += size) {
    let need = size + 1;
    let position = start;
    for (;;) {
      const limit = Math.min(vendorMax, need);
      const got = Math.max(0, Math.min(limit, total - position));
      count++;
      need -= got;
      position += got;
      if (got < limit || need === 0) break;
    }
    if (start + size >= total) return count;
  }
}

describe('paging laws (fast-check)', () => {
  it('hold on the sample room', async () => {
    await checkPagingLaws(h, SAMPLE, { expected: sampleIds, maxSize: 31, numRuns: 10 });
  });

  it('hold on a room spanning many vendor pages, with and without a filter', {
    timeout: 240_000,
  }, async () => {
    const all = PROPERTY_ROOM.map((record) => record.msg_id);
    await checkPagingLaws(h, PROPERTY, { expected: all, maxSize: 100, numRuns: 8 });
    const texts = PROPERTY_ROOM.filter((record) => record.msg_type === 1 && record.msg_direction !== 3).map(
      (record) => record.msg_id,
    );
    await checkPagingLaws(h, PROPERTY, {
      expected: texts,
      filter: { kinds: ['TEXT'] },
      minSize: 5,
      maxSize: 60,
      numRuns: 4,
    });
  });

  it('walk all 5,200 messages of sandbox-long in both directions', { timeout: 240_000 }, async () => {
    expect(longIds.length).toBeGreaterThanOrEqual(5000);
    calls().reset();
    expect(await walkForward(h, LONG, { sizes: [100] })).toEqual(longIds);
    expect(calls().count).toBe(plannedCalls(longIds.length, 100, 50));
    expect(await walkBackward(h, LONG, { sizes: [100] })).toEqual(longIds);
  });
});
