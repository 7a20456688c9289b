/**
 * Replicas sharing a real Redis: a webhook one replica receives wakes subscribers on the other,
 * one replica at a time polls a conversation (the lease holder), and when it stops, or crashes
 * without giving the lease up, another takes the lease. Counts, not times: timer polls are run
 * by `tick`, and the crash case waits for the lease's key to expire in Redis.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, closeApp, createApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import { encodeNodeId } from '../../src/ids.js';
import { LiveHub, liveHub } from '../../src/live/hub.js';
import { createRedisTransport, LEASE_PREFIX, leaseKey } from '../../src/live/redis.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { createSources } from '../../src/sources/index.js';
import { type ChatgraphYoga, createChatgraphYoga } from '../../src/yoga.js';
import { type Harness, startHarness, TEST_CURSOR_SECRET } from '../helpers/harness.js';
import { type RunningRedis, redisServerInstalled, startRedis } from '../helpers/redis.js';

const SECRET = 'airudder-webhook-secret-0123';
const NEVER = 3_600_000;
/** Short enough to wait for its expiry, long enough to outlast a few ticks on a loaded machine. */
const LEASE_TTL = 2_500;

if (!redisServerInstalled()) {
  console.warn('test/live/redis.test.ts skipped: no redis-server binary (apt-get install -y redis-server)');
}

describe.skipIf(!redisServerInstalled())('live subscriptions across two replicas through Redis', () => {
  let redis: RunningRedis;
  let a: Harness;
  let b: { app: App; yoga: ChatgraphYoga };
  let feed: LiveFeed;
  /** Another replica: the same configuration, the same emulators. */
  let replica: () => App;
  const conversation = () => ({
    vendor: 'AIRUDDER' as const,
    source: 'airudder',
    externalId: feed.externalId,
  });

  beforeAll(async () => {
    redis = (await startRedis()) as RunningRedis;
    const policy = {
      live: { minIntervalMs: NEVER, maxIntervalMs: NEVER, redisUrl: redis.url, leaseTtlMs: LEASE_TTL },
      webhooks: { airudder: { secret: SECRET } },
    };
    a = await startHarness({ vendors: ['AIRUDDER'], policy, secrets: [SECRET] });
    replica = () =>
      createApp({
        sources: createSources(a.sandbox.sources, { logger: a.app.logger }),
        cursorSecret: TEST_CURSOR_SECRET,
        logger: a.app.logger,
        policy,
      });
    const app = replica();
    b = { app, yoga: createChatgraphYoga(app) };
    feed = a.sandbox.live?.get('AIRUDDER') as LiveFeed;
    feed.append(2);
  });
  afterAll(async () => {
    await closeApp(b.app);
    await a.close();
    await redis.stop();
  });

  it('wakes subscribers on one replica with a webhook the other received', async () => {
    const history = await a.query<{ conversation: { messages: { edges: Array<{ cursor: string }> } } }>(
      `query ($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { cursor } } } }`,
      { id: encodeNodeId({ kind: 'Conversation', source: 'airudder', conversation: feed.externalId }) },
    );
    const cursor = history.data?.conversation.messages.edges[0]?.cursor as string;
    const onB = liveHub(b.app).subscribe(createContext(b.app), conversation(), cursor);
    // B receives wake-ups from here on: one published before would be lost, and B never polls.
    await liveHub(b.app).listening;
    const first = onB.next();
    // B's watch has read where the conversation ends before anything is appended.
    await liveHub(b.app).tick('airudder', feed.externalId);
    feed.append(3);
    const response = await a.yoga.fetch('http://chatgraph.test/webhooks/airudder', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ event: 'message', call_id: feed.externalId, messages: [] }),
    });
    expect(response.status).toBe(202);
    // Nothing polls on B (its timers never fire): only the wake-up through Redis can deliver these.
    const got = [await first, await onB.next(), await onB.next()].map(
      (result) => result.value?.node.externalId,
    );
    const appended = feed.records.slice(-3).map((record) => (record as { msg_id: string }).msg_id);
    expect(got).toEqual(appended);
    await onB.return?.();
  });

  it('tells sessionEnded subscribers on one replica of a session end the other received', async () => {
    const onB = liveHub(b.app).sessionEnded(createContext(b.app), conversation());
    await liveHub(b.app).listening;
    const response = await a.yoga.fetch('http://chatgraph.test/webhooks/airudder', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ event: 'session_end', call_id: feed.externalId }),
    });
    expect(response.status).toBe(202);
    const { value } = await onB.next();
    expect(value?.conversation.externalId).toBe(feed.externalId);
    expect(value?.report.event).toBe('session_end');
    await onB.return?.();
    expect(liveHub(b.app).endWatched).toBe(0);
  });

  it('polls on one replica only, and the other takes the lease when it stops', async () => {
    const onA = liveHub(a.app).subscribe(createContext(a.app), conversation(), null);
    const onB = liveHub(b.app).subscribe(createContext(b.app), conversation(), null);
    // Reading starts each subscription (they join on their first read).
    void onA.next();
    void onB.next();
    // Both watches exist and have read their heads (a wake reads on every replica).
    while (liveHub(a.app).watched === 0 || liveHub(b.app).watched === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await liveHub(a.app).tick('airudder', feed.externalId);
    await liveHub(b.app).tick('airudder', feed.externalId);
    const calls = () => a.calls('AIRUDDER').count;

    // A takes the lease and polls; B's timer poll finds the lease taken and reads nothing.
    let before = calls();
    await liveHub(a.app).tick('airudder', feed.externalId);
    expect(calls() - before).toBe(1);
    before = calls();
    await liveHub(b.app).tick('airudder', feed.externalId);
    expect(calls() - before).toBe(0);

    // A's subscriber leaves: its watch stops and gives the lease up; B's next timer poll takes it.
    await onA.return?.();
    before = calls();
    await liveHub(b.app).tick('airudder', feed.externalId);
    expect(calls() - before).toBe(1);
    await onB.return?.();
  });
  it('reads only wake-ups on its topic, and logs a wake-up Redis cannot carry instead of rejecting', async () => {
    const lines: Array<{ msg: string; operation?: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const unobserved: unknown[] = [];
    const observe = (reason: unknown) => unobserved.push(reason);
    process.on('unhandledRejection', observe);
    const listening = createRedisTransport(redis.url, logger);
    const sending = createRedisTransport(redis.url, logger);
    const woken: unknown[] = [];
    // Settles once a publish reaches it.
    await listening.onWake((message) => woken.push(message));
    const probe = new Redis(redis.url);
    try {
      for (const garbage of ['not json', 'null', '{"source":1}', '[]']) {
        await probe.publish('chatgraph:live:wake', garbage);
      }
      sending.publish('airudder', 'c-1');
      while (woken.length === 0) await new Promise((resolve) => setImmediate(resolve));
      expect(woken).toEqual([{ source: 'airudder', conversation: 'c-1', from: sending.replica }]);

      // Redis gone for this replica: its wake-up is lost (a poll reads it) and said so.
      await sending.close();
      sending.publish('airudder', 'c-2');
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(lines.map(({ msg, operation }) => [msg, operation])).toEqual([
        ['live: redis failed', 'publish'],
      ]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unobserved).toEqual([]);
    } finally {
      process.off('unhandledRejection', observe);
      probe.disconnect();
      await listening.close();
    }
  });

  it('takes the lease over once a crashed holder lets it expire', async () => {
    // Replica C crashes: it holds the lease, then its Redis connections drop without giving it
    // up, and its timers never run again (NEVER). B must wait for the lease to expire, then poll.
    const appC = replica();
    const transportC = createRedisTransport(redis.url);
    const hubC = new LiveHub(appC, appC.policy.live, transportC);
    const probe = new Redis(redis.url);
    const key = LEASE_PREFIX + leaseKey('airudder', feed.externalId);
    const holder = () => probe.get(key);
    const calls = () => a.calls('AIRUDDER').count;
    const settle = async (hub: LiveHub) => {
      while (hub.watched === 0) await new Promise((resolve) => setImmediate(resolve));
      await hub.tick('airudder', feed.externalId);
    };
    try {
      const onC = hubC.subscribe(createContext(appC), conversation(), null);
      void onC.next();
      await settle(hubC);
      expect(await holder()).toBe(transportC.replica);
      const onB = liveHub(b.app).subscribe(createContext(b.app), conversation(), null);
      void onB.next();
      await settle(liveHub(b.app));

      await transportC.close();
      // The lease outlives its crashed holder: B's timer polls read nothing while it is held.
      let before = calls();
      await liveHub(b.app).tick('airudder', feed.externalId);
      expect(calls() - before).toBe(0);
      expect(await holder()).toBe(transportC.replica);

      // Once Redis expires it, B's next timer poll takes the lease and reads, and keeps it.
      while ((await probe.exists(key)) === 1) await new Promise((resolve) => setTimeout(resolve, 50));
      before = calls();
      await liveHub(b.app).tick('airudder', feed.externalId);
      expect(calls() - before).toBe(1);
      const taken = await holder();
      expect(taken).not.toBeNull();
      expect(taken).not.toBe(transportC.replica);
      before = calls();
      await liveHub(b.app).tick('airudder', feed.externalId);
      expect(calls() - before).toBe(1);
      expect(await holder()).toBe(taken);
      await onB.return?.();
    } finally {
      probe.disconnect();
      await hubC.close();
      await closeApp(appC);
    }
  });
});
