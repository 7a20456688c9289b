/**
 * Regression guard for the benchmark's vendor-call counts (counts, never times: times are noisy on
 * shared machines). The query is the one `npm run bench` measures at L4 (`scripts/bench/vendors.ts`),
 * on each vendor's `sandbox-long`, and the walk is `first: 100` from the newest message to the
 * oldest, with the default configuration (pages of settled history kept for 30 s). Every number
 * below is what today's plan makes, explained from the plan; BENCHMARKS.md says which of them are
 * above the minimum and why. A change to the paging
 * engine, a source or the loaders that moves one of them must update it here on purpose.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationNodeId, pageQuery } from '../../scripts/bench/vendors.js';
import type { Vendor } from '../../src/model/index.js';
import {
  dayOfMs,
  WEIZHIPIN_LONG_CHAT,
  weizhipinSandboxChats,
} from '../../src/sources/weizhipin/sandbox/data.js';
import { type Harness, startHarness } from '../helpers/harness.js';

interface Page {
  conversation: {
    messages: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

const TOKEN_PATH = '/open-apis/auth/tenant_access_token/internal';

// A fresh server per test: each count starts from an empty page cache and no tenant token.
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The vendor calls one operation makes: the emulator's counts around it, token calls apart. */
async function counted(vendor: Vendor, run: () => Promise<void>): Promise<{ pages: number; tokens: number }> {
  const calls = h.calls(vendor);
  calls.reset();
  await run();
  const tokens = calls.recent.filter((call) => call.path === TOKEN_PATH).length;
  expect(calls.recent).toHaveLength(calls.count); // every call is still in the kept window
  return { pages: calls.count - tokens, tokens };
}

async function page(
  vendor: Vendor,
  first: number,
  after: string | null = null,
): Promise<Page['conversation']['messages']> {
  const result = await h.query<Page>(pageQuery(vendor, first), { id: conversationNodeId(vendor), after });
  expect(result.errors).toBeUndefined();
  return (result.data as Page).conversation.messages;
}

async function walk(vendor: Vendor): Promise<{ pages: number; messages: number }> {
  let after: string | null = null;
  let pages = 0;
  let messages = 0;
  for (;;) {
    const connection = await page(vendor, 100, after);
    pages++;
    messages += connection.edges.length;
    if (!connection.pageInfo.hasNextPage) return { pages, messages };
    after = connection.pageInfo.endCursor;
  }
}

/** Resolves when `vendor`'s emulator has served no call for 100 ms. */
async function quiet(vendor: Vendor): Promise<void> {
  for (let count = -1; count !== h.calls(vendor).count; ) {
    count = h.calls(vendor).count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Calls that read one weizhipin day window of `n` messages whole (page_size 50, inclusive `message_id`). */
const windowCalls = (n: number): number => (n < 50 ? 1 : Math.floor((n - 50) / 49) + 2);

describe('vendor calls of the benchmark query (first: 50)', () => {
  it('WECHAT_STORE: 2, then 1 — the newest page, and the next one read whole and kept', async () => {
    // The engine reads first + 1 = 51 messages; the vendor serves at most 50 per call. The 51st
    // comes with the whole vendor page behind the 50th, which is settled history: kept, it is
    // the next GraphQL page's first. Asked again, the page reads only the newest vendor page.
    const calls = await counted('WECHAT_STORE', async () => {
      expect((await page('WECHAT_STORE', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 2, tokens: 0 });
    expect(h.calls('WECHAT_STORE').recent.map((call) => (call.body as { limit: number }).limit)).toEqual([
      50, 50,
    ]);
    const again = await counted('WECHAT_STORE', async () => {
      expect((await page('WECHAT_STORE', 50)).edges).toHaveLength(50);
    });
    expect(again).toEqual({ pages: 1, tokens: 0 });
  });

  it('AIRUDDER: 2, then 1 — the same plan as WeChat Shop (size 50, then the next 50 kept)', async () => {
    const calls = await counted('AIRUDDER', async () => {
      expect((await page('AIRUDDER', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 2, tokens: 0 });
    expect(h.calls('AIRUDDER').recent.map((call) => (call.body as { size: number }).size)).toEqual([50, 50]);
    const again = await counted('AIRUDDER', async () => {
      expect((await page('AIRUDDER', 50)).edges).toHaveLength(50);
    });
    expect(again).toEqual({ pages: 1, tokens: 0 });
  });

  it('MYSCRM: 1 — page_size 51 fits the vendor maximum of 100; 2 more the first time, to learn who the senders are', async () => {
    const calls = await counted('MYSCRM', async () => {
      expect((await page('MYSCRM', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 1 + 2, tokens: 0 });
    const paths = h.calls('MYSCRM').recent.map((call) => call.path);
    expect(paths[0]).toContain('page_size=51');
    expect(paths.slice(1).map((path) => new URL(path, 'http://x').searchParams.get('sender_type'))).toEqual([
      '1',
      '2',
    ]);
    const again = await counted('MYSCRM', async () => {
      expect((await page('MYSCRM', 50)).edges).toHaveLength(50);
    });
    expect(again).toEqual({ pages: 1, tokens: 0 });
  });

  it('WEIZHIPIN: 11 — today (empty), then 8 days at once: yesterday read whole (3 calls), 7 first pages not needed; 1 token call first', async () => {
    const today = dayOfMs(Date.now());
    const perDay = dayCounts(today);
    // The plan's inputs: today is empty and yesterday holds more than the 51 messages needed.
    expect([perDay.get(today) ?? 0, perDay.get(today - 1)]).toEqual([0, 142]);
    const calls = await counted('WEIZHIPIN', async () => {
      expect((await page('WEIZHIPIN', 50)).edges).toHaveLength(50);
      await quiet('WEIZHIPIN'); // the days read ahead may answer after the page
    });
    // 1 for today's window. It is empty, and an empty newest day says nothing about where the
    // history is: the walk requests every remaining day at once, as far as the sandbox's
    // windowConcurrency (8) allows, so yesterday and the 7 days before it together. Yesterday's
    // 142 messages take windowCalls(142) = 3 calls (50, then 49 new per call as `message_id` is
    // inclusive) and answer the page; the 7 other first pages are fetched but not needed (the
    // minimum would be 4). That is the price of reading a sparse chat in two round trips instead
    // of one per day. The first operation of the process also fetches the tenant token, once.
    expect(windowCalls(142)).toBe(3);
    expect(calls).toEqual({ pages: 1 + 3 + 7, tokens: 1 });
  });
});

describe('vendor calls of a first: 100 walk over sandbox-long', () => {
  it('WECHAT_STORE: 105 — each vendor page of 50 once (104), and the empty one that ends the walk', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('WECHAT_STORE', async () => {
      shape = await walk('WECHAT_STORE');
    });
    expect(shape).toEqual({ pages: 52, messages: 5_200 });
    // Each page wants 101 messages: two full vendor pages and the whole next one for hasNextPage,
    // which the next page (a new operation) finds kept as its first. The minimum.
    expect(calls).toEqual({ pages: 5_200 / 50 + 1, tokens: 0 });
  });

  it('AIRUDDER: 105 — the same plan as WeChat Shop (5,200 messages, 50 per call)', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('AIRUDDER', async () => {
      shape = await walk('AIRUDDER');
    });
    expect(shape).toEqual({ pages: 52, messages: 5_200 });
    expect(calls).toEqual({ pages: 5_200 / 50 + 1, tokens: 0 });
  });

  it('MYSCRM: 108 — 53 pages × (page_size 100 + the rest of the 101 through the cursor), and 2 to learn the senders; the minimum would be 53', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('MYSCRM', async () => {
      shape = await walk('MYSCRM');
    });
    expect(shape).toEqual({ pages: 53, messages: 5_300 });
    // A resumed page re-queries with end_time at the cursor's millisecond: its first call holds
    // the cursor message itself (passed over) and 99 new ones, so a second call is always needed.
    expect(calls).toEqual({ pages: 53 * 2 + 2, tokens: 0 });
  });

  it('WEIZHIPIN: 197 — every day window read whole once, the minimum; 1 token call first', async () => {
    const today = dayOfMs(Date.now());
    const perDay = dayCounts(today);
    // The lookback is 100 days before today (101 windows, today included): reading each whole
    // once is the minimum for this vendor.
    let once = 0;
    for (let day = today - 100; day <= today; day++) once += windowCalls(perDay.get(day) ?? 0);
    expect(once).toBe(197);
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('WEIZHIPIN', async () => {
      shape = await walk('WEIZHIPIN');
    });
    expect(shape).toEqual({ pages: 61, messages: 6_012 });
    // Each GraphQL page is its own operation, but the windows of past days are settled history
    // and kept across operations (pageCacheTtlMs): a page that ends inside a day finds that day's
    // pages already read. Without the cache it would be 388: days of 100–150 messages read two or
    // three times.
    expect(calls).toEqual({ pages: 197, tokens: 1 });
  });
});

function dayCounts(today: number): Map<number, number> {
  const records = weizhipinSandboxChats(today).get(WEIZHIPIN_LONG_CHAT) ?? [];
  const perDay = new Map<number, number>();
  for (const record of records) {
    const day = dayOfMs(Number(record.create_time));
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return perDay;
}
