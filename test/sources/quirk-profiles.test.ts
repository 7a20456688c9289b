/**
 * The profile suite for WeChat Shop and weizhipin (issue 13): every combination of what their
 * documents leave open, both directions, page sizes 1–100, filters and faults. A walk delivers
 * exactly the vendor's messages once each, in list order, or fails with a typed vendor error on a
 * named page after delivering a correct part; the end is claimed only when proven; and so through
 * a store archiving the sources, as `npm start` runs. Counts, not times: nothing here waits on a
 * clock.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import type { SourceConfig } from '../../src/sources/index.js';
import {
  generateWechatStoreRoom,
  wechatStoreSandboxRooms,
} from '../../src/sources/wechat-store/sandbox/data.js';
import {
  WECHAT_STORE_STRICT,
  type WechatStoreQuirks,
  wechatStoreEmulator,
} from '../../src/sources/wechat-store/sandbox/emulator.js';
import {
  dayOfMs,
  WEIZHIPIN_LONG_CHAT,
  weizhipinSandboxChats,
} from '../../src/sources/weizhipin/sandbox/data.js';
import { WeizhipinEmulator, type WeizhipinQuirks } from '../../src/sources/weizhipin/sandbox/emulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { testStoreConfig } from '../helpers/store-engines.js';
import { DAY_MS, newestFirst, textRecord } from './weizhipin/weizhipin-harness.js';

/** Mild faults: 5xx, garbled and cut-off answers, which retries should absorb. */
const FAULTS: Faults = { errorRate: 0.03, malformedRate: 0.02, truncatedRate: 0.02, seed: 13 };

const PAGE = `query Page($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: MessageFilter) {
  conversation(id: $id) {
    messages(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { node { externalId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

interface Walked {
  ids: string[];
  error?: { code: string; path: unknown };
}

interface PageData {
  edges: Array<{ node: { externalId: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** A whole walk, `first`/`after` (forward) or `last`/`before` (backward); ids in list order. */
async function walk(
  h: Harness,
  id: string,
  direction: 'forward' | 'backward',
  size: number,
  filter?: Record<string, unknown>,
): Promise<Walked> {
  const chunks: string[][] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 5_000; pages++) {
    const args: Record<string, unknown> =
      direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const result = await h.query<{ conversation: { messages: PageData } }>(PAGE, { id, ...args, filter });
    const error = result.errors?.[0] as { extensions?: { code?: string }; path?: unknown } | undefined;
    const ids = () => (direction === 'forward' ? chunks.flat() : chunks.reverse().flat());
    if (error) return { ids: ids(), error: { code: String(error.extensions?.code), path: error.path } };
    const page: PageData = (result.data as { conversation: { messages: PageData } }).conversation.messages;
    const pageIds = page.edges.map((edge) => edge.node.externalId);
    chunks.push(pageIds);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return { ids: ids() };
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
  }
  throw new Error('the walk did not end');
}

/** Exactly `expected`, or a typed vendor error on a named page after a correct part of it. */
function expectExact(walked: Walked, expected: string[], direction: 'forward' | 'backward'): void {
  if (!walked.error) {
    expect(walked.ids).toEqual(expected);
    return;
  }
  expect(walked.error.code).toMatch(/^(VENDOR_|SOURCE_UNAVAILABLE)/);
  expect(walked.error.path).toEqual(['conversation', 'messages']);
  const part =
    direction === 'forward'
      ? expected.slice(0, walked.ids.length)
      : expected.slice(expected.length - walked.ids.length);
  expect(walked.ids).toEqual(part);
}

const conversationId = (source: string, externalId: string) =>
  encodeNodeId({ kind: 'Conversation', source, conversation: externalId });

/**
 * The API over the same sources with a store archiving them all, as `npm start` archives its
 * sandbox: a walk through it must be as exact, whether the vendor or the store serves a page.
 */
async function storedHarness(sources: SourceConfig[], policy: Record<string, number>): Promise<Harness> {
  const archived = Object.fromEntries(
    sources.map(({ name }) => [name, { archive: true, retentionDays: null }]),
  );
  return startHarness({ vendors: [], sources, policy, store: await testStoreConfig('sqlite', archived) });
}

describe('WeChat Shop over every profile', () => {
  const ROOM = 'profile-room';
  const records = generateWechatStoreRoom({
    roomId: ROOM,
    seed: 13,
    count: 140,
    start: Date.UTC(2026, 3, 1),
  });
  const ids = records.map((record) => record.msg_id);
  const roles = records.map((record) => Number(record.msg_direction));
  const profiles: WechatStoreQuirks[] = [];
  for (const pageCap of [50, 7])
    for (const anchor of ['exclusive', 'inclusive'] as const)
      for (const repeat of [0, 2])
        for (const secondsOnly of [false, true])
          profiles.push({ ...WECHAT_STORE_STRICT, pageCap, anchor, repeat, secondsOnly });
  const emulators: RunningEmulator[] = [];
  let h: Harness;
  let stored: Harness;

  beforeAll(async () => {
    const sources: SourceConfig[] = [];
    for (const [index, quirks] of profiles.entries()) {
      const emulator = await startEmulator(
        wechatStoreEmulator({ rooms: new Map([[ROOM, records]]), cookie: 'c=1', bizMagic: 'm', quirks }),
      );
      emulator.setFaults({ ...FAULTS, seed: index + 1 });
      emulators.push(emulator);
      sources.push({
        vendor: 'WECHAT_STORE',
        name: `shop-${index}`,
        baseUrl: emulator.baseUrl,
        cookie: 'c=1',
        bizMagic: 'm',
        pageSize: 50,
        http: { retryMinDelayMs: 1, retryMaxDelayMs: 2 },
      });
    }
    const policy = { pageCacheTtlMs: 0, maxVendorCalls: 20_000 };
    h = await startHarness({ vendors: [], sources, policy });
    stored = await storedHarness(sources, policy);
  });
  afterAll(async () => {
    await Promise.all([h.close(), stored.close()]);
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });

  it('walks exactly, both ways, any page size and role filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(profiles.length - 1),
        fc.constantFrom<'forward' | 'backward'>('forward', 'backward'),
        fc.integer({ min: 1, max: 100 }),
        fc.option(fc.subarray(['CUSTOMER', 'AGENT', 'SYSTEM'] as const, { minLength: 1 }), {
          nil: undefined,
        }),
        async (profile, direction, size, senderRoles) => {
          const ROLE = ['', 'CUSTOMER', 'AGENT', 'SYSTEM'];
          const expected = ids.filter(
            (_, index) =>
              !senderRoles || (senderRoles as readonly string[]).includes(ROLE[roles[index] as number] ?? ''),
          );
          // Without a store, then twice through one: archiving, then perhaps served from it.
          for (const api of [h, stored, stored]) {
            const walked = await walk(
              api,
              conversationId(`shop-${profile}`, ROOM),
              direction,
              size,
              senderRoles ? { senderRoles } : undefined,
            );
            expectExact(walked, expected, direction);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('weizhipin over every profile', () => {
  const CHAT = 'open_id:ou_profiles';
  // About 150 messages over 20 days before today: equal times, the edges of days, empty days.
  const anchorDay = dayOfMs(Date.now());
  const records = (() => {
    const out = [];
    let n = 0;
    for (let day = anchorDay - 20; day < anchorDay; day++) {
      if (day % 3 === 0) continue;
      const base = day * DAY_MS;
      const times = [
        base,
        base,
        base + 1,
        base + 3_600_000,
        base + 3_600_000,
        base + DAY_MS - 1_000,
        base + DAY_MS - 1,
      ];
      for (const t of times)
        out.push(textRecord(t, n % 2 === 0 ? `even ${n}` : `odd ${n}`, `p-${String(n++).padStart(4, '0')}~`));
    }
    return out;
  })();
  const all = newestFirst(records);
  const even = new Set(records.filter((_, i) => i % 2 === 0).map((record) => record.message_id));
  const profiles: WeizhipinQuirks[] = [];
  for (const messageId of ['inclusive', 'exclusive'] as const)
    for (const endTime of ['inclusive', 'exclusive'] as const)
      for (const order of ['ascending', 'descending'] as const) profiles.push({ messageId, endTime, order });
  const emulators: RunningEmulator[] = [];
  let h: Harness;
  let stored: Harness;

  beforeAll(async () => {
    const sources: SourceConfig[] = [];
    for (const [index, quirks] of profiles.entries()) {
      const emulator = new WeizhipinEmulator({
        chats: new Map([[CHAT, records]]),
        appId: 'a',
        appSecret: 's',
        quirks,
      });
      const running = await startEmulator(emulator.handler);
      running.setFaults({ ...FAULTS, seed: index + 1 });
      emulators.push(running);
      sources.push({
        vendor: 'WEIZHIPIN',
        name: `zhipin-${index}`,
        baseUrl: running.baseUrl,
        appId: 'a',
        appSecret: 's',
        lookbackDays: 25,
        windowConcurrency: 4,
        // Small pages: windows span several, chained by message_id.
        pageSize: 3,
        http: { retryMinDelayMs: 1, retryMaxDelayMs: 2 },
      });
    }
    const policy = { pageCacheTtlMs: 0, maxVendorCalls: 20_000 };
    h = await startHarness({ vendors: [], sources, policy });
    stored = await storedHarness(sources, policy);
  });
  afterAll(async () => {
    await Promise.all([h.close(), stored.close()]);
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });

  it('walks exactly, both ways, any page size and text filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(profiles.length - 1),
        fc.constantFrom<'forward' | 'backward'>('forward', 'backward'),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        async (profile, direction, size, filtered) => {
          const expected = filtered ? all.filter((id) => even.has(id)) : all;
          for (const api of [h, stored, stored]) {
            const walked = await walk(
              api,
              conversationId(`zhipin-${profile}`, CHAT),
              direction,
              size,
              filtered ? { text: 'even' } : undefined,
            );
            expectExact(walked, expected, direction);
          }
        },
      ),
      { numRuns: 24 },
    );
  });
});

describe('sandbox-long under the harshest profiles, faults on', () => {
  it('delivers every message of WeChat Shop and weizhipin sandbox-long exactly once', {
    timeout: 240_000,
  }, async () => {
    const h = await startHarness({
      vendors: ['WECHAT_STORE', 'WEIZHIPIN'],
      quirks: {
        'wechat-store': { pageCap: '7', anchor: 'inclusive', repeat: '2', secondsOnly: '1' },
        weizhipin: { messageId: 'exclusive', endTime: 'exclusive', order: 'descending' },
      },
      faults: FAULTS,
      // Retries are counted, not waited for: the default back-off would idle most of this walk.
      configure: (configs) =>
        configs.map((config) => ({ ...config, http: { retryMinDelayMs: 1, retryMaxDelayMs: 2 } })),
      policy: { pageCacheTtlMs: 0, maxVendorCalls: 20_000 },
    });
    try {
      const shopIds = (wechatStoreSandboxRooms().get('sandbox-long') ?? []).map((record) => record.msg_id);
      const shop = await walk(h, conversationId('wechat-store', 'sandbox-long'), 'forward', 100);
      expect(shop.error).toBeUndefined();
      expect(shop.ids).toEqual(shopIds);
      const zhipinIds = newestFirst(
        weizhipinSandboxChats(dayOfMs(Date.now())).get(WEIZHIPIN_LONG_CHAT) ?? [],
      );
      const zhipin = await walk(h, conversationId('weizhipin', WEIZHIPIN_LONG_CHAT), 'forward', 100);
      expect(zhipin.error).toBeUndefined();
      expect(zhipin.ids).toEqual(zhipinIds);
    } finally {
      await h.close();
    }
  });
});
