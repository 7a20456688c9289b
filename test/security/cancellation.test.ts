/**
 * Work stops when the client leaves: over a real HTTP connection, a page that needs ~105 vendor
 * calls is abandoned by its client after a few; the emulator's call log shows that no vendor call
 * starts after the disconnect, and the operation ends as CANCELLED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { RequestLoaders } from '../../src/resolvers/loaders.js';
import { SharedPages } from '../../src/resolvers/shared-pages.js';
import { listen } from '../../src/server.js';
import type { AnySource } from '../../src/sources/source.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { until } from '../helpers/until.js';

let h: Harness;
let url: string;
let close: () => Promise<void>;
beforeAll(async () => {
  // Some latency per vendor answer, so that the page is still reading when the client leaves.
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    faults: { latencyMs: 15 },
    // Every page read afresh: each test counts its own calls.
    policy: { pageCacheTtlMs: 0 },
  });
  const running = await listen(h.yoga, 0, '127.0.0.1');
  url = running.url;
  close = () =>
    new Promise<void>((resolve) => {
      running.server.close(() => resolve());
      running.server.closeAllConnections();
    });
});
afterAll(async () => {
  await close();
  await h.close();
});

const LONG = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: 'sandbox-long' });
/** `last: 10` on 5,200 messages reads down from the newest: ~105 vendor pages, one after another. */
const SCAN = 'query($id: ID!) { conversation(id: $id) { messages(last: 10) { edges { cursor } } } }';

const operationLines = () => h.logs().filter((line) => line.msg === 'graphql operation');

describe('cancellation', () => {
  it('starts no vendor call after the client disconnects', async () => {
    const calls = h.calls('WECHAT_STORE');
    calls.reset();
    const before = operationLines().length;
    const client = new AbortController();
    const request = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SCAN, variables: { id: LONG } }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await until(() => calls.count >= 5);
    client.abort();
    const atDisconnect = calls.count;
    expect((await request) as Error).toMatchObject({ name: 'AbortError' });
    await until(() => operationLines().length > before);
    // The one call in flight at the disconnect may still be answered (pages are read one after
    // another); nothing after it.
    expect(calls.count - atDisconnect).toBeLessThanOrEqual(1);
    expect(calls.count).toBeLessThan(20);
    expect(operationLines().at(-1)).toMatchObject({ status: 'error', errors: ['CANCELLED'] });
    // The source is not blamed for it: the next page is read as usual.
    const next = await h.query(SCAN.replace('last: 10', 'first: 1'), { id: LONG });
    expect(next.errors).toBeUndefined();
  });

  it('reads the whole page when the client stays', async () => {
    const calls = h.calls('WECHAT_STORE');
    calls.reset();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SCAN, variables: { id: LONG } }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.conversation.messages.edges).toHaveLength(10);
    expect(calls.count).toBeGreaterThan(100);
  });
});

describe('an aborted operation waiting on a vendor page', () => {
  const hanging = {
    name: 'hanging',
    pageKey: () => 'page',
    // Answers never; gives up when its scope's signal aborts, as the HTTP client does.
    fetchPage: (_request: unknown, scope: { signal?: AbortSignal }) =>
      new Promise<never>((_resolve, reject) => {
        scope.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
  } as unknown as AnySource;

  it.each([
    ['its client left', undefined, 'CANCELLED'],
    ['its deadline passed', new DOMException('The operation timed out.', 'TimeoutError'), 'VENDOR_TIMEOUT'],
  ])('ends with a typed error when %s, shared call or not', async (_when, reason, code) => {
    for (const shared of [new SharedPages({ ttlMs: 0 }), null]) {
      const operation = new AbortController();
      const loaders = new RequestLoaders(Number.MAX_SAFE_INTEGER, 10, shared, operation.signal);
      const page = loaders.pages(hanging).load({});
      // Let the call start, then leave.
      await new Promise((resolve) => setImmediate(resolve));
      expect(loaders.calls).toBe(1);
      operation.abort(reason);
      await expect(page).rejects.toMatchObject({ code });
      // And nothing new starts for it.
      await expect(loaders.pages(hanging).load({ other: true })).rejects.toMatchObject({ code });
      expect(loaders.calls).toBe(1);
    }
  });
});
