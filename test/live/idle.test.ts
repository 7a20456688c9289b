import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Context, madeParts } from '../../src/context.js';
import { encodeNodeId } from '../../src/ids.js';
import { LiveHub, liveHub } from '../../src/live/hub.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { MESSAGE_ADDED, sse } from '../helpers/live.js';

/** Polls only when a test wakes them: no timer fires during a test. */
const NEVER = 3_600_000;

describe('an idle subscriber', () => {
  let harness: Harness;
  let feed: LiveFeed;
  let id: string;
  const source = sandboxSourceName('WECHAT_STORE');

  beforeAll(async () => {
    harness = await startHarness({
      vendors: ['WECHAT_STORE'],
      policy: { live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } },
    });
    feed = harness.sandbox.live?.get('WECHAT_STORE') as LiveFeed;
    id = encodeNodeId({ kind: 'Conversation', source, conversation: feed.externalId });
    feed.append(3);
  });
  afterAll(() => harness.close());

  it('reads with loaders of its own and keeps none, nor a logger nor its request, in its context', async () => {
    const subscribe = vi.spyOn(LiveHub.prototype, 'subscribe');
    const stream = await sse(harness, MESSAGE_ADDED, { id }, { 'x-request-id': 'idle-subscriber-1' });
    try {
      while (liveHub(harness.app).watched === 0) await new Promise((resolve) => setImmediate(resolve));
      await liveHub(harness.app).wake(source, feed.externalId);
      feed.append(2);
      await liveHub(harness.app).wake(source, feed.externalId);
      expect(await stream.next(2)).toHaveLength(2);
      const ctx = subscribe.mock.calls[0]?.[0] as Context;
      expect(ctx.requestId).toBe('idle-subscriber-1');
      expect(madeParts(ctx)).toEqual({ loaders: false, log: false });
      // The request (body, headers) and its parameters are let go of once it is set up.
      expect(ctx).toMatchObject({ request: undefined, params: undefined });
      expect(ctx.sources.get(source).name).toBe(source);
      // Its reads still log with its request id.
      const reads = harness.logs().filter((line) => line.requestId === 'idle-subscriber-1' && line.callId);
      expect(reads.length).toBeGreaterThan(0);
    } finally {
      subscribe.mockRestore();
      await stream.close();
    }
  });
});
