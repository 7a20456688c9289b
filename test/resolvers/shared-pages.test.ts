/** Vendor pages shared across operations: in-flight calls always, recent pages when configured. */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { earliestExpiry, SharedPages } from '../../src/resolvers/shared-pages.js';
import { wechatStoreSandboxRooms } from '../../src/sources/wechat-store/sandbox/data.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { fetchPage, walkForward } from '../helpers/paging.js';

describe('SharedPages', () => {
  it('makes one call for identical keys in flight, and keeps no failure', async () => {
    const shared = new SharedPages({ ttlMs: 0 });
    let calls = 0;
    let release: (value: string) => void = () => {};
    const load = () => {
      calls++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const a = shared.get('k', load);
    const b = shared.get('k', load);
    release('page');
    expect(await Promise.all([a, b])).toEqual(['page', 'page']);
    expect(calls).toBe(1);
    // Settled and not kept (ttl 0): the next get calls again.
    await shared.get('k', async () => {
      calls++;
      return 'again';
    });
    expect(calls).toBe(2);
    await expect(shared.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await shared.get('x', async () => 'up')).toBe('up');
  });

  it('aborts a call in flight only when every operation waiting on it has aborted', async () => {
    const shared = new SharedPages({ ttlMs: 0 });
    const aborted: unknown[] = [];
    let release: (value: string) => void = () => {};
    const load = (signal: AbortSignal) => {
      signal.addEventListener('abort', () => aborted.push(signal.reason));
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = shared.get('k', load, false, first.signal);
    const b = shared.get('k', load, false, second.signal);
    first.abort('first left');
    // The one that left stops waiting at once; the call goes on for the other.
    await expect(a).rejects.toBe('first left');
    expect(aborted).toEqual([]);
    release('page');
    expect(await b).toBe('page');

    const c = shared.get('j', load, false, first.signal);
    await expect(c).rejects.toBe('first left');
    const third = new AbortController();
    const fourth = new AbortController();
    const d = shared.get('j', load, false, third.signal);
    const e = shared.get('j', load, false, fourth.signal);
    third.abort('third left');
    fourth.abort('fourth left');
    await expect(Promise.allSettled([d, e])).resolves.toMatchObject([
      { status: 'rejected', reason: 'third left' },
      { status: 'rejected', reason: 'fourth left' },
    ]);
    // The last waiter gone, the call itself is aborted.
    expect(aborted).toEqual(['fourth left']);
    // A waiter without a signal keeps a call going whoever else leaves.
    const fifth = new AbortController();
    const f = shared.get('i', load, false, fifth.signal);
    const g = shared.get('i', load);
    fifth.abort('fifth left');
    await expect(f).rejects.toBe('fifth left');
    release('kept');
    expect(await g).toBe('kept');
    expect(aborted).toEqual(['fourth left']);
  });

  it('reuses a settled page for its ttl, but never past its earliest media link', async () => {
    let now = 1_000_000;
    const shared = new SharedPages({ ttlMs: 10_000, now: () => now });
    const page = [{ content: { __typename: 'ImageContent', expiresAt: now + 90_000 } }];
    let calls = 0;
    const load = async () => {
      calls++;
      return page;
    };
    await shared.get('k', load, true);
    now += 9_999;
    await shared.get('k', load, true);
    expect(calls).toBe(1);
    now += 1;
    await shared.get('k', load, true);
    expect(calls).toBe(2);

    // A link that dies within the safety margin is not worth keeping at all.
    const shortLived = [{ content: { expiresAt: now + 30_000 } }];
    await shared.get('s', async () => shortLived, true);
    await shared.get(
      's',
      async () => {
        calls++;
        return shortLived;
      },
      true,
    );
    expect(calls).toBe(3);
  });

  it('keeps at most maxEntries pages, dropping the oldest first', async () => {
    const shared = new SharedPages({ ttlMs: 10_000, maxEntries: 2 });
    let calls = 0;
    const load = async () => ++calls;
    for (const key of ['a', 'b', 'c']) await shared.get(key, load, true);
    expect([await shared.get('c', load, true), await shared.get('b', load, true)]).toEqual([3, 2]);
    expect(await shared.get('a', load, true)).toBe(4);
  });

  it('drops expired pages as new ones come, asked for again or not', async () => {
    let now = 0;
    const shared = new SharedPages({ ttlMs: 1_000, now: () => now });
    let calls = 0;
    const load = async () => ++calls;
    await shared.get('a', load, true);
    now = 600;
    await shared.get('b', load, true);
    now = 1_200;
    await shared.get('c', load, true);
    // 'a' expired and went when 'c' came; 'b' is still kept.
    expect(shared.size).toBe(2);
    expect(await shared.get('b', load, true)).toBe(2);
  });

  it('keeps no page that is not settled history', async () => {
    const shared = new SharedPages({ ttlMs: 10_000 });
    let calls = 0;
    const load = async () => ++calls;
    await shared.get('newest', load, false);
    expect(await shared.get('newest', load, false)).toBe(2);
    expect(await shared.get('older', load, true)).toBe(3);
    expect(await shared.get('older', load, true)).toBe(3);
  });

  it('finds the earliest expiry in a page, but not inside raw vendor records', () => {
    expect(earliestExpiry({ messages: [{ content: { expiresAt: 5 } }, { content: { expiresAt: 3 } }] })).toBe(
      3,
    );
    expect(earliestExpiry([{ content: { expiresAt: null }, raw: { expiresAt: 1 } }])).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('through GraphQL', () => {
  let h: Harness;
  afterEach(() => h.close());
  const LONG = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: 'sandbox-long' });
  const longIds = (wechatStoreSandboxRooms().get('sandbox-long') ?? []).map((record) => record.msg_id);

  it('lets identical concurrent operations share their vendor calls', async () => {
    // No page kept: only sharing in flight can save calls.
    h = await startHarness({ vendors: ['WECHAT_STORE'], policy: { pageCacheTtlMs: 0 } });
    await fetchPage(h, LONG, { first: 100 });
    const alone = h.calls('WECHAT_STORE').count;
    h.calls('WECHAT_STORE').reset();
    await Promise.all(Array.from({ length: 8 }, () => fetchPage(h, LONG, { first: 100 })));
    expect(h.calls('WECHAT_STORE').count).toBe(alone);
  });

  it('walks 5,200 messages with first: 100 in the minimum vendor calls', async () => {
    h = await startHarness({ vendors: ['WECHAT_STORE'] });
    expect(await walkForward(h, LONG, { sizes: [100] })).toEqual(longIds);
    // One call per vendor page of 50 (104), and one more that comes back empty to end the walk.
    expect(h.calls('WECHAT_STORE').count).toBe(Math.ceil(longIds.length / 50) + 1);
  });

  it('reads the newest messages afresh every time, and history once', async () => {
    h = await startHarness({ vendors: ['WECHAT_STORE'] });
    const calls = h.calls('WECHAT_STORE');
    await fetchPage(h, LONG, { first: 100 });
    // The newest vendor page, the one behind it, and the one the page looked past for hasNextPage.
    expect(calls.count).toBe(3);
    calls.reset();
    await fetchPage(h, LONG, { first: 100 });
    expect(calls.count).toBe(1);
    expect(calls.recent.map((call) => (call.body as { msg_id: string }).msg_id)).toEqual([
      '18446744073709551616',
    ]);
  });

  it('reads everything afresh when the page cache is off', async () => {
    h = await startHarness({ vendors: ['WECHAT_STORE'], policy: { pageCacheTtlMs: 0 } });
    await fetchPage(h, LONG, { first: 100 });
    const once = h.calls('WECHAT_STORE').count;
    await fetchPage(h, LONG, { first: 100 });
    expect(h.calls('WECHAT_STORE').count).toBe(2 * once);
  });
});
