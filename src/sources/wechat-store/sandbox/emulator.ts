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
}

export const WECHAT_STORE_STRICT: WechatStoreQuirks = {
  pageCap: 50,
  anchor: 'exclusive',
  repeat: 0,
  secondsOnly: false,
};

export interface WechatStoreEmulatorOptions {
  rooms: Map<string, WechatStoreWireRecord[]>;
  cookie: string;
  bizMagic: string;
  quirks?: Partial<WechatStoreQuirks>;
  /** A room that keeps receiving messages (`src/sandbox/live.ts`). */
  live?: LiveFeed<WechatStoreWireRecord>;
}

interface Room {
  /** `msg_id` of each record as a number, newest (largest) first. */
  ids: bigint[];
  records: WechatStoreWireRecord[];
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
  const liveRoom = options.live?.view((records) => roomOf([...records].reverse()));
  const served = (record: WechatStoreWireRecord): WechatStoreWireRecord => {
    if (!quirks.secondsOnly) return record;
    const { create_time_ms: _ms, client_ms: _client, ...rest } = record;
    return rest as WechatStoreWireRecord;
  };

  return (request) => {
    if (request.url.pathname !== '/shop/commkf/msg') return { status: 404, body: { errmsg: 'not found' } };
    if (request.method !== 'POST') return { status: 405, body: { errmsg: 'method not allowed' } };
    const cookie = request.headers.cookie ?? '';
    if (!cookie.split(/;\s*/).includes(options.cookie) || request.headers.biz_magic !== options.bizMagic) {
      return fail(3000, 'login expired');
    }
    if (request.url.searchParams.get('action') !== 'get_room_msg') return fail(-1, 'unknown action');

    const body = (request.body ?? {}) as Record<string, unknown>;
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
    const room = liveRoom && body.room_id === options.live?.externalId ? liveRoom() : rooms.get(body.room_id);
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
