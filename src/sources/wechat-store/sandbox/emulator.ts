/**
 * An emulator of the WeChat Shop back office's `get_room_msg`, as public clients see it: POST
 * `/shop/commkf/msg?action=get_room_msg` with `{room_id, msg_id, op, limit}`, the back-office
 * cookie and the `biz_magic` header; `base_resp.ret` 3000 when they are wrong; messages older than
 * `msg_id` (2^64 for the newest), newest first.
 *
 * Strict where the material is explicit: the page size is `limit` (the one client that says `num`
 * is not followed: a body without `limit` is refused), `op` is 0. Where it says nothing, the
 * behaviour is a quirk (`WechatStoreQuirks`): the largest page served (a larger `limit` is capped,
 * not refused, as public clients ask for 30 and get at most 30), whether the anchor message is
 * included, records repeated from the previous page, and times only to the second.
 *
 * `get_sync_msg` (`{start_sync_id, num, include_sys_msg}`): the rows of every room, live rooms'
 * new messages included, in one increasing sync-id sequence (oldest first, by time), each row a
 * room message as `get_room_msg` serves it with `id` set to its sync id. The document gives no
 * answer shape: the envelope is `get_room_msg`'s, and the list's name, the id's JSON type and
 * size, and whether `start_sync_id`'s own row is included are quirks.
 */
import type { LiveFeed } from '../../../sandbox/live.js';
import type { EmulatorHandler, EmulatorResponse } from '../../../sandbox/server.js';
import { WECHAT_STORE_KF_OPENID, type WechatStoreWireRecord } from './data.js';

export interface WechatStoreQuirks {
  /** The most records one page holds; a larger `limit` is served this many. */
  pageCap: number;
  /** Whether a page anchored at `msg_id` starts with that message (when it exists). */
  anchor: 'exclusive' | 'inclusive';
  /** Each page also starts with this many records newer than the anchor (already served). */
  repeat: number;
  /** Records carry `create_time` (seconds) only: messages of one second have equal times. */
  secondsOnly: boolean;
  /** The name of `get_sync_msg`'s list of rows. */
  syncList: 'list' | 'msg_list' | 'msgs';
  /** Sync ids as JSON strings or as JSON numbers (digits kept, however long). */
  syncIdType: 'string' | 'number';
  /** Sync ids start above 2^62 (past a double's exact integers) rather than at 1. */
  syncIdBig: boolean;
  /** Whether `get_sync_msg` serves the row at `start_sync_id` itself, or only those after it. */
  syncStart: 'exclusive' | 'inclusive';
}

export const WECHAT_STORE_STRICT: WechatStoreQuirks = {
  pageCap: 50,
  anchor: 'exclusive',
  repeat: 0,
  secondsOnly: false,
  syncList: 'list',
  syncIdType: 'string',
  syncIdBig: false,
  syncStart: 'exclusive',
};

const BIG_SYNC_BASE = 2n ** 62n;

export interface WechatStoreEmulatorOptions {
  rooms: Map<string, WechatStoreWireRecord[]>;
  cookie: string;
  bizMagic: string;
  quirks?: Partial<WechatStoreQuirks>;
  /** Rooms that keep receiving messages (`src/sandbox/live.ts`), each its own feed. */
  live?: LiveFeed<WechatStoreWireRecord> | readonly LiveFeed<WechatStoreWireRecord>[];
}

interface Room {
  /** `msg_id` of each record as a number, newest (largest) first. */
  ids: bigint[];
  records: WechatStoreWireRecord[];
}

/** The shop's rows in sync order: `ids[i]` is the sync id of `records[i]`. */
interface SyncLog {
  ids: bigint[];
  records: WechatStoreWireRecord[];
}

const time = (record: WechatStoreWireRecord): bigint =>
  BigInt(String(record.create_time_ms ?? Number(record.create_time) * 1000));

/** A whole number as JSON sends it: digits, or a number up to 2^64. */
function syncIdOf(value: unknown): bigint | null {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return null;
}

const fail = (ret: number, errMsg: string): EmulatorResponse => ({
  status: 200,
  body: { base_resp: { err_msg: errMsg, ret } },
});

export function wechatStoreEmulator(options: WechatStoreEmulatorOptions): EmulatorHandler {
  const quirks = { ...WECHAT_STORE_STRICT, ...options.quirks };
  const roomOf = (records: WechatStoreWireRecord[]): Room => ({
    ids: records.map((record) => BigInt(record.msg_id)),
    records,
  });
  const rooms = new Map<string, Room>();
  for (const [roomId, records] of options.rooms) rooms.set(roomId, roomOf(records));
  const feeds = options.live === undefined ? [] : [options.live].flat();
  const liveRooms = new Map(
    feeds.map((feed) => [feed.externalId, feed.view((records) => roomOf([...records].reverse()))]),
  );
  // Every stored row in time order, then live rows in the order they arrive.
  const sync: SyncLog = { ids: [], records: [] };
  const logRow = (record: WechatStoreWireRecord) => {
    sync.ids.push((quirks.syncIdBig ? BIG_SYNC_BASE : 0n) + BigInt(sync.ids.length + 1));
    sync.records.push(record);
  };
  const stored = [...options.rooms.values()].flat().sort((a, b) => {
    const byTime = time(a) - time(b);
    return byTime !== 0n ? (byTime < 0n ? -1 : 1) : BigInt(a.msg_id) < BigInt(b.msg_id) ? -1 : 1;
  });
  for (const record of stored) logRow(record);
  for (const feed of feeds) {
    for (const record of feed.records) logRow(record);
    feed.onAppend((records) => {
      for (const record of records) logRow(record);
    });
  }
  const served = (record: WechatStoreWireRecord): WechatStoreWireRecord => {
    if (!quirks.secondsOnly) return record;
    const { create_time_ms: _ms, client_ms: _client, ...rest } = record;
    return rest as WechatStoreWireRecord;
  };

  const syncMsg = (body: Record<string, unknown>): EmulatorResponse => {
    const from = syncIdOf(body.start_sync_id);
    const { num } = body;
    const system = body.include_sys_msg ?? false;
    if (
      from === null ||
      typeof num !== 'number' ||
      !Number.isInteger(num) ||
      num < 1 ||
      ![true, false, 0, 1].includes(system as boolean | number)
    ) {
      return fail(-2, 'invalid param');
    }
    // The first row at or after the start (ids increase).
    let low = 0;
    let high = sync.ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const id = sync.ids[mid] as bigint;
      if (quirks.syncStart === 'inclusive' ? id >= from : id > from) high = mid;
      else low = mid + 1;
    }
    const rows: WechatStoreWireRecord[] = [];
    const size = Math.min(num, quirks.pageCap);
    for (let i = low; i < sync.ids.length && rows.length < size; i++) {
      const record = sync.records[i] as WechatStoreWireRecord;
      if (!system && record.msg_direction === 3) continue;
      rows.push({ ...served(record), id: String(sync.ids[i]) });
    }
    return {
      status: 200,
      body: { base_resp: { err_msg: 'ok', ret: 0 }, [quirks.syncList]: rows },
      ...(quirks.syncIdType === 'number' ? { bareIntegers: ['id'] } : {}),
    };
  };

  return (request) => {
    if (request.url.pathname !== '/shop/commkf/msg') return { status: 404, body: { errmsg: 'not found' } };
    if (request.method !== 'POST') return { status: 405, body: { errmsg: 'method not allowed' } };
    const cookie = request.headers.cookie ?? '';
    if (!cookie.split(/;\s*/).includes(options.cookie) || request.headers.biz_magic !== options.bizMagic) {
      return fail(3000, 'login expired');
    }
    const action = request.url.searchParams.get('action');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (action === 'get_sync_msg') return syncMsg(body);
    if (action !== 'get_room_msg') return fail(-1, 'unknown action');

    const { limit } = body;
    if (
      typeof body.room_id !== 'string' ||
      typeof body.msg_id !== 'string' ||
      !/^\d{1,20}$/.test(body.msg_id) ||
      body.op !== 0 ||
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1
    ) {
      return fail(-2, 'invalid param');
    }
    const room = liveRooms.get(body.room_id)?.() ?? rooms.get(body.room_id);
    const list: WechatStoreWireRecord[] = [];
    if (room) {
      const anchor = BigInt(body.msg_id);
      // Records are newest first: find the first one older than the anchor (or the anchor itself).
      const inclusive = quirks.anchor === 'inclusive';
      let low = 0;
      let high = room.ids.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const id = room.ids[mid] as bigint;
        if (inclusive ? id <= anchor : id < anchor) high = mid;
        else low = mid + 1;
      }
      const start = Math.max(0, low - quirks.repeat);
      // Repeats count toward the page: a vendor never sends more than it was asked for.
      list.push(...room.records.slice(start, start + Math.min(limit, quirks.pageCap)).map(served));
    }
    return {
      status: 200,
      body: {
        base_resp: { err_msg: 'ok', ret: 0 },
        kf_openid: WECHAT_STORE_KF_OPENID,
        list,
        session_status: 1,
        total_num: 0,
      },
    };
  };
}
