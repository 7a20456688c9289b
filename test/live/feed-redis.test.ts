/**
 * A change feed across two replicas sharing a real Redis: one replica reads the feed (the feed
 * lease's holder), its wake-ups reach a conversation watched only on the other, and when it stops
 * the other takes the lease and goes on from the shared position (no new search for the end).
 * Counts by vendor action; the feed's and rooms' timer polls run through `tickFeed` and `tick`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, closeApp, createApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import { liveHub } from '../../src/live/hub.js';
import type { MessageEdge } from '../../src/resolvers/paging.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createSources, type SourceConfig } from '../../src/sources/index.js';
import { wechatStoreEmulator } from '../../src/sources/wechat-store/sandbox/emulator.js';
import { wechatStoreLiveFeed } from '../../src/sources/wechat-store/sandbox/live.js';
import { type Harness, startHarness, TEST_CURSOR_SECRET } from '../helpers/harness.js';
import { type RunningRedis, redisServerInstalled, startRedis } from '../helpers/redis.js';
import { callsByAction } from '../sources/wechat-store/calls.js';

const NEVER = 3_600_000;
const SOURCE = 'shop';
const COOKIE = 'sandbox_session=feed-redis-cookie';
const BIZ_MAGIC = 'feed-redis-biz-magic';

describe.skipIf(!redisServerInstalled())('a change feed across two replicas through Redis', () => {
  let redis: RunningRedis;
  let emulator: RunningEmulator;
  let a: Harness;
  let b: App;
  const feeds = ['room-a', 'room-ab', 'room-b'].map((room) => wechatStoreLiveFeed(room));
  const [onlyA, both, onlyB] = feeds as [(typeof feeds)[0], (typeof feeds)[0], (typeof feeds)[0]];

  beforeAll(async () => {
    for (const feed of feeds) feed.append(1);
    redis = (await startRedis()) as RunningRedis;
    emulator = await startEmulator(
      wechatStoreEmulator({ rooms: new Map(), cookie: COOKIE, bizMagic: BIZ_MAGIC, live: feeds }),
    );
    const config: SourceConfig = {
      vendor: 'WECHAT_STORE',
      name: SOURCE,
      baseUrl: emulator.baseUrl,
      cookie: COOKIE,
      bizMagic: BIZ_MAGIC,
      pageSize: 50,
    };
    const policy = { live: { minIntervalMs: NEVER, maxIntervalMs: NEVER, redisUrl: redis.url } };
    a = await startHarness({ vendors: [], sources: [config], policy, secrets: [COOKIE, BIZ_MAGIC] });
    b = createApp({
      sources: createSources([config], { logger: a.app.logger }),
      cursorSecret: TEST_CURSOR_SECRET,
      logger: a.app.logger,
      policy,
    });
  });
  afterAll(async () => {
    await closeApp(b);
    await a.close();
    await emulator.close();
    await redis.stop();
  });

  const calls = () => callsByAction(emulator.calls);
  const watch = (app: App, room: string) =>
    liveHub(app).subscribe(
      createContext(app),
      { vendor: 'WECHAT_STORE', source: SOURCE, externalId: room },
      null,
    );
  const next = async (subscription: AsyncIterableIterator<MessageEdge>) =>
    ((await subscription.next()).value as MessageEdge).node.externalId;

  it('reads the feed on one replica, wakes the other, and hands the lease and position over', async () => {
    const hubA = liveHub(a.app);
    const hubB = liveHub(b);
    const onA = [watch(a.app, onlyA.externalId), watch(a.app, both.externalId)];
    const onB = [watch(b, both.externalId), watch(b, onlyB.externalId)];
    while (hubA.watched < 2 || hubB.watched < 2) await new Promise((resolve) => setImmediate(resolve));

    // A takes the feed lease and finds the end; B learns the position from Redis, calling nothing.
    await hubA.tickFeed(SOURCE);
    emulator.calls.reset();
    await hubB.tickFeed(SOURCE);
    expect(calls().get_sync_msg).toBeUndefined();
    expect(hubB.feedState(SOURCE)).toEqual({ covering: true, position: '3', unattributed: 0 });

    // Each subscriber's own first walk (from where it joined) runs to its end: see `settle` in
    // feed.test.ts. A room on both replicas is read on each, once woken.
    const subscribers = [...onA.map((s) => [s, 'a'] as const), ...onB.map((s) => [s, 'b'] as const)];
    for (let round = 0; round < 2; round++) {
      for (const feed of feeds) feed.append(1);
      await hubA.tickFeed(SOURCE);
      for (const [subscription] of subscribers) await next(subscription);
    }

    // Neither replica's rooms poll themselves now.
    emulator.calls.reset();
    await Promise.all([hubA, hubB].flatMap((hub) => feeds.map((feed) => hub.tick(SOURCE, feed.externalId))));
    expect(emulator.calls.count).toBe(0);

    // A message in a room only B watches: A's feed poll wakes it on B, through Redis.
    const [sent] = onlyB.append(1);
    emulator.calls.reset();
    await hubA.tickFeed(SOURCE);
    await hubB.tickFeed(SOURCE);
    expect(await next(onB[1] as AsyncIterableIterator<MessageEdge>)).toBe(sent?.msg_id);
    expect(calls()).toEqual({ get_sync_msg: 1, get_room_msg: 1 });

    // A stops watching: its feed lease goes, and B goes on from the shared position.
    for (const subscription of onA) await subscription.return?.();
    expect(hubA.feedState(SOURCE)).toBeNull();
    const [later] = both.append(1);
    emulator.calls.reset();
    await hubB.tickFeed(SOURCE);
    expect(await next(onB[0] as AsyncIterableIterator<MessageEdge>)).toBe(later?.msg_id);
    expect(calls()).toEqual({ get_sync_msg: 1, get_room_msg: 1 });
    expect(hubB.feedState(SOURCE)?.position).toBe('11');
    for (const subscription of onB) await subscription.return?.();
  });
});
