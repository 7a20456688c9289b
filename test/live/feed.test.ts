/**
 * A source's change feed in the live hub: WeChat Shop's `get_sync_msg` read once per interval for
 * 50 watched rooms instead of a poll per room, and per-room polls again while the feed fails or
 * cannot be read, with nothing lost or repeated. Counts by vendor action, not times: the feed's
 * and the rooms' timer polls run through `tickFeed` and `tick`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { liveHub } from '../../src/live/hub.js';
import type { MessageEdge } from '../../src/resolvers/paging.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  generateWechatStoreRoom,
  type WechatStoreWireRecord,
} from '../../src/sources/wechat-store/sandbox/data.js';
import { wechatStoreEmulator } from '../../src/sources/wechat-store/sandbox/emulator.js';
import { wechatStoreLiveFeed } from '../../src/sources/wechat-store/sandbox/live.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { callsByAction } from '../sources/wechat-store/calls.js';

const NEVER = 3_600_000;
const SOURCE = 'shop';
const COOKIE = 'sandbox_session=feed-live-cookie';
const BIZ_MAGIC = 'feed-live-biz-magic';
const ROOMS = 50;

/** How the feed answers: as the emulator does, unreadably, with HTTP 500, or without rooms. */
type FeedMode = 'ok' | 'unreadable' | 'error' | 'no-room';

let emulator: RunningEmulator;
let h: Harness;
let mode: FeedMode = 'ok';
const feeds = Array.from({ length: ROOMS }, (_, i) =>
  wechatStoreLiveFeed(`room-${String(i).padStart(2, '0')}`),
);
const rooms = feeds.map((feed) => feed.externalId);
/** One subscription per room, from the newest message when it was made. */
const subscriptions = new Map<string, AsyncIterableIterator<MessageEdge>>();

beforeAll(async () => {
  for (const feed of feeds) feed.append(2);
  const handler = wechatStoreEmulator({
    rooms: new Map([
      [
        'stored',
        generateWechatStoreRoom({ roomId: 'stored', seed: 5, count: 300, start: Date.UTC(2026, 2, 1) }),
      ],
    ]),
    cookie: COOKIE,
    bizMagic: BIZ_MAGIC,
    live: feeds,
  });
  const feedAnswer: EmulatorHandler = async (request) => {
    if (request.url.searchParams.get('action') !== 'get_sync_msg' || mode === 'ok') return handler(request);
    if (mode === 'error') return { status: 500, body: { errmsg: 'system error' } };
    if (mode === 'unreadable') return { status: 200, body: { base_resp: { ret: 0 }, rows: [] } };
    const answer = await handler(request);
    const body = answer.body as { list: Array<Record<string, unknown>> };
    return { ...answer, body: { ...body, list: body.list.map(({ room_id: _, ...row }) => row) } };
  };
  emulator = await startEmulator(feedAnswer);
  h = await startHarness({
    vendors: [],
    sources: [
      {
        vendor: 'WECHAT_STORE',
        name: SOURCE,
        baseUrl: emulator.baseUrl,
        cookie: COOKIE,
        bizMagic: BIZ_MAGIC,
        pageSize: 50,
        http: { retryMinDelayMs: 1, retryMaxDelayMs: 5, breakerFailureThreshold: 10_000 },
      },
    ],
    policy: { live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } },
    secrets: [COOKIE, BIZ_MAGIC],
  });
});
afterAll(async () => {
  for (const subscription of subscriptions.values()) await subscription.return?.();
  await h.close();
  await emulator.close();
});
beforeEach(() => {
  mode = 'ok';
});

const hub = () => liveHub(h.app);
const feedOf = (room: string) => feeds[rooms.indexOf(room)] as LiveFeed<WechatStoreWireRecord>;
/** Calls since the last reset, by action. */
const calls = () => callsByAction(emulator.calls);
/** The next `count` messages a room's subscriber receives, as msg_ids. */
const received = async (room: string, count: number) => {
  const subscription = subscriptions.get(room) as AsyncIterableIterator<MessageEdge>;
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(((await subscription.next()).value as MessageEdge).node.externalId);
  return ids;
};
const appended = (room: string, count: number) =>
  feedOf(room)
    .append(count)
    .map((record) => record.msg_id);
/**
 * Runs every subscriber's own first walk to its end: a subscriber that joins reads from its cursor
 * on its own, alongside the polls, so until each has received a message the calls are not all the
 * polls'. Two rounds: the second is received only once the first's walk is over.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 2; round++) {
    const sent = rooms.map((room) => appended(room, 1));
    await hub().tickFeed(SOURCE);
    for (const [index, room] of rooms.entries()) expect(await received(room, 1)).toEqual(sent[index]);
  }
}
const tickRooms = () => Promise.all(rooms.map((room) => hub().tick(SOURCE, room)));

describe('a change feed for 50 watched rooms', () => {
  it('polls no feed while nothing is watched', async () => {
    expect(hub().feedState(SOURCE)).toBeNull();
    emulator.calls.reset();
    await hub().tickFeed(SOURCE);
    expect(emulator.calls.count).toBe(0);
  });

  it('starts at the feed end, then one interval costs one get_sync_msg and a read per changed room', async () => {
    const ctx = createContext(h.app);
    for (const room of rooms) {
      subscriptions.set(
        room,
        hub().subscribe(ctx, { vendor: 'WECHAT_STORE', source: SOURCE, externalId: room }, null),
      );
    }
    while (hub().watched < ROOMS) await new Promise((resolve) => setImmediate(resolve));
    expect(hub().feedState(SOURCE)).toEqual({ covering: false, position: null, unattributed: 0 });

    // The first feed poll finds the end (300 stored rows, 100 live ones) and reads every room once
    // (what arrived before the end is not in the feed).
    await hub().tickFeed(SOURCE);
    expect(hub().feedState(SOURCE)).toEqual({ covering: true, position: '400', unattributed: 0 });
    await settle();

    // Covered rooms' timer polls read nothing.
    emulator.calls.reset();
    await tickRooms();
    expect(emulator.calls.count).toBe(0);

    const sent = {
      'room-07': appended('room-07', 3),
      'room-21': appended('room-21', 1),
      'room-42': appended('room-42', 2),
    };
    emulator.calls.reset();
    await hub().tickFeed(SOURCE);
    expect(calls()).toEqual({ get_sync_msg: 1, get_room_msg: 3 });
    for (const [room, ids] of Object.entries(sent)) expect(await received(room, ids.length)).toEqual(ids);
    expect(hub().feedState(SOURCE)?.position).toBe('506');

    // A quiet interval: the feed alone.
    emulator.calls.reset();
    await hub().tickFeed(SOURCE);
    await tickRooms();
    expect(calls()).toEqual({ get_sync_msg: 1 });
  });

  it.each(['unreadable', 'error'] as const)(
    'polls room by room while the feed answers %s, and loses nothing',
    async (failing) => {
      mode = failing;
      const lost = { 'room-03': appended('room-03', 2), 'room-30': appended('room-30', 1) };
      emulator.calls.reset();
      await hub().tickFeed(SOURCE);
      expect(hub().feedState(SOURCE)?.covering).toBe(false);
      expect(calls().get_room_msg).toBeUndefined();

      // Every room's timer poll reads it again: the changed ones deliver.
      emulator.calls.reset();
      await tickRooms();
      expect(calls()).toEqual({ get_room_msg: ROOMS });
      for (const [room, ids] of Object.entries(lost)) expect(await received(room, ids.length)).toEqual(ids);

      // The feed answers again, from where it stopped: it names the rooms read meanwhile (read
      // again, nothing new, nothing repeated) and the one changed since.
      mode = 'ok';
      const later = appended('room-03', 1);
      emulator.calls.reset();
      await hub().tickFeed(SOURCE);
      expect(calls()).toEqual({ get_sync_msg: 1, get_room_msg: 2 });
      expect(hub().feedState(SOURCE)?.covering).toBe(true);
      expect(await received('room-03', 1)).toEqual(later);
      emulator.calls.reset();
      await tickRooms();
      expect(emulator.calls.count).toBe(0);
      // Nothing was queued for room-30 in between: its next message is the next one received.
      const next = appended('room-30', 1);
      await hub().tickFeed(SOURCE);
      expect(await received('room-30', 1)).toEqual(next);
    },
  );

  it('counts rows that name no room; they wake nothing, and the room delivers at its next wake-up', async () => {
    const before = hub().feedState(SOURCE)?.unattributed ?? 0;
    mode = 'no-room';
    const first = appended('room-11', 2);
    emulator.calls.reset();
    await hub().tickFeed(SOURCE);
    expect(calls()).toEqual({ get_sync_msg: 1 });
    expect(hub().feedState(SOURCE)?.unattributed).toBe(before + 2);
    mode = 'ok';
    const second = appended('room-11', 1);
    await hub().tickFeed(SOURCE);
    expect(await received('room-11', 3)).toEqual([...first, ...second]);
  });

  it('stops the feed when the last room is no longer watched', async () => {
    for (const subscription of subscriptions.values()) await subscription.return?.();
    subscriptions.clear();
    expect(hub().watched).toBe(0);
    expect(hub().feedState(SOURCE)).toBeNull();
  });
});
