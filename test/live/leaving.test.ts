/**
 * Work stops when the client leaves, for subscriptions too: a subscriber that joined from deep in
 * the history walks toward the newest message with reads of its own, and when its client goes,
 * those reads stop making vendor calls. Counts, not times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { MESSAGE_ADDED, sse } from '../helpers/live.js';
import { fetchPage } from '../helpers/paging.js';
import { until } from '../helpers/until.js';

/** A poll interval no test waits for: watches read only when a subscriber joins. */
const NEVER = 3_600_000;
const LONG = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: 'sandbox-long' });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    // Some latency per vendor answer, so that the walk is still reading when the client leaves;
    // every page read afresh, so the calls counted are the walk's.
    faults: { latencyMs: 15 },
    policy: { pageCacheTtlMs: 0, live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } },
  });
});
afterAll(() => h.close());

describe('a subscriber that leaves during its own read', () => {
  it('makes no vendor call after its client has gone', async () => {
    // 1,000 messages behind the newest: walking up to it takes ~110 vendor calls on WeChat Shop,
    // whose pages only go toward older messages (each newer page scans down from the newest).
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      after = (await fetchPage(h, LONG, { first: 100, after })).pageInfo.endCursor ?? undefined;
    }
    const calls = h.calls('WECHAT_STORE');
    calls.reset();
    const stream = await sse(h, MESSAGE_ADDED, { id: LONG, after });
    await until(() => calls.count >= 3);
    await stream.close();
    const atClose = calls.count;
    await until(() => h.logs().some((line) => line.msg === 'live: subscriber left, its read stopped'));
    await until(() => liveHub(h.app).watched === 0);
    // The call in flight when the client left, and the watch's first poll (it joined with the
    // subscriber and stops with it): nothing else.
    expect(calls.count - atClose).toBeLessThanOrEqual(3);
    expect(calls.count).toBeLessThan(20);
    expect(liveHub(h.app).subscriptions).toBe(0);
  });
});
