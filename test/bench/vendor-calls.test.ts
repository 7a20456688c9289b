/**
 * Regression guard for the benchmark's vendor-call counts (counts, never times: times are noisy on
 * shared machines). The query is the one `npm run bench` measures at L4 (`scripts/bench/vendors.ts`),
 * on each vendor's `sandbox-long`, and the walk is `first: 100` from the newest message to the
 * oldest. Every number below is what today's plan makes, explained from the plan; BENCHMARKS.md
 * says which of them are above the minimum and what would bring them down. A change to the paging
 * engine, a source or the loaders that moves one of them must update it here on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationNodeId, pageQuery } from '../../scripts/bench/vendors.js';
import type { Vendor } from '../../src/model/index.js';
import { dayOfMs, WEIZHIPIN_LONG_CHAT, weizhipinSandboxChats } from '../../src/sandbox/weizhipin/data.js';
import { type Harness, startHarness } from '../helpers/harness.js';

interface Page {
  conversation: {
    messages: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

const TOKEN_PATH = '/open-apis/auth/tenant_access_token/internal';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
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

/** Calls that read one weizhipin day window of `n` messages whole (page_size 50, inclusive `message_id`). */
const windowCalls = (n: number): number => (n < 50 ? 1 : Math.floor((n - 50) / 49) + 2);

describe('vendor calls of the benchmark query (first: 50)', () => {
  it('WECHAT_STORE: 2 — the page (limit 50) and one message more (limit 1) for an exact hasNextPage', async () => {
    // The engine reads first + 1 = 51 messages; the vendor serves at most 50 per call.
    const calls = await counted('WECHAT_STORE', async () => {
      expect((await page('WECHAT_STORE', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 2, tokens: 0 });
    expect(h.calls('WECHAT_STORE').recent.map((call) => (call.body as { limit: number }).limit)).toEqual([
      50, 1,
    ]);
  });

  it('AIRUDDER: 2 — size 50, then size 1 for the 51st message', async () => {
    const calls = await counted('AIRUDDER', async () => {
      expect((await page('AIRUDDER', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 2, tokens: 0 });
    expect(h.calls('AIRUDDER').recent.map((call) => (call.body as { size: number }).size)).toEqual([50, 1]);
  });

  it('MYSCRM: 1 — page_size 51 fits the vendor maximum of 100', async () => {
    const calls = await counted('MYSCRM', async () => {
      expect((await page('MYSCRM', 50)).edges).toHaveLength(50);
    });
    expect(calls).toEqual({ pages: 1, tokens: 0 });
    expect(h.calls('MYSCRM').recent[0]?.path).toContain('page_size=51');
  });

  it('WEIZHIPIN: 5 — today (empty), yesterday read whole (3 calls), the day before prefetched; 1 token call first', async () => {
    const today = dayOfMs(Date.now());
    const perDay = dayCounts(today);
    // The plan's inputs: today is empty and yesterday holds more than the 51 messages needed.
    expect([perDay.get(today) ?? 0, perDay.get(today - 1)]).toEqual([0, 142]);
    const calls = await counted('WEIZHIPIN', async () => {
      expect((await page('WEIZHIPIN', 50)).edges).toHaveLength(50);
    });
    // 1 for today's empty window; an empty window doubles the read-ahead to 2 windows, so
    // yesterday and the day before are requested together; yesterday's 142 messages take
    // windowCalls(142) = 3 calls (50, then 49 new per call as `message_id` is inclusive); the day
    // before's first page is fetched but not needed (the minimum would be 4). The first operation
    // of the process also fetches the tenant token, once.
    expect(windowCalls(142)).toBe(3);
    expect(calls).toEqual({ pages: 1 + 3 + 1, tokens: 1 });
  });
});

describe('vendor calls of a first: 100 walk over sandbox-long', () => {
  it('WECHAT_STORE: 156 — 52 pages × (50 + 50 + a 1-message probe); the minimum would be 105', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('WECHAT_STORE', async () => {
      shape = await walk('WECHAT_STORE');
    });
    expect(shape).toEqual({ pages: 52, messages: 5_200 });
    // Each page wants 101 messages: two full vendor pages and a probe of one for hasNextPage
    // (on the last page the probe comes back empty). The next page starts a new operation, whose
    // first call (limit 50 after message 100) cannot reuse the probe (limit 1): 52 × 3.
    expect(calls).toEqual({ pages: 52 * 3, tokens: 0 });
  });

  it('AIRUDDER: 156 — the same plan as WeChat Shop (5,200 messages, 50 per call)', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('AIRUDDER', async () => {
      shape = await walk('AIRUDDER');
    });
    expect(shape).toEqual({ pages: 52, messages: 5_200 });
    expect(calls).toEqual({ pages: 52 * 3, tokens: 0 });
  });

  it('MYSCRM: 106 — 53 pages × (page_size 100 + the rest of the 101 through the cursor); the minimum would be 53', async () => {
    let shape = { pages: 0, messages: 0 };
    const calls = await counted('MYSCRM', async () => {
      shape = await walk('MYSCRM');
    });
    expect(shape).toEqual({ pages: 53, messages: 5_300 });
    // A resumed page re-queries with end_time at the cursor's millisecond: its first call holds
    // the cursor message itself (passed over) and 99 new ones, so a second call is always needed.
    expect(calls).toEqual({ pages: 53 * 2, tokens: 0 });
  });

  it('WEIZHIPIN: 389 — every day window read whole once (197) plus 192 re-reads of windows a page boundary split', async () => {
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
    // Each GraphQL page is its own operation with its own loader: a page that ends inside a day
    // makes the next page read that day's window again from its start (days of 100–150 messages
    // are read two or three times), and read-ahead over the empty weeks fetches a few windows
    // that the page then does not need. A cache of vendor pages shared across operations (keys
    // are already the same whoever asks) would bring this to 197.
    expect(calls).toEqual({ pages: 197 + 192, tokens: 0 });
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
