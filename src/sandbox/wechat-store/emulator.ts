/**
 * An emulator of the WeChat Shop back office's `get_room_msg`, as public clients see it: POST
 * `/shop/commkf/msg?action=get_room_msg` with `{room_id, msg_id, op, limit}`, the back-office
 * cookie and the `biz_magic` header; `base_resp.ret` 3000 when they are wrong; messages older than
 * `msg_id` (2^64 for the newest), newest first.
 */
import type { LiveFeed } from '../live.js';
import type { EmulatorHandler, EmulatorResponse } from '../server.js';
import { WECHAT_STORE_KF_OPENID, type WechatStoreWireRecord } from './data.js';

export interface WechatStoreEmulatorOptions {
  rooms: Map<string, WechatStoreWireRecord[]>;
  cookie: string;
  bizMagic: string;
  /** The largest `limit` accepted. */
  maxLimit?: number;
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
  const maxLimit = options.maxLimit ?? 50;
  const roomOf = (records: WechatStoreWireRecord[]): Room => ({
    ids: records.map((record) => BigInt(record.msg_id)),
    records,
  });
  const rooms = new Map<string, Room>();
  for (const [roomId, records] of options.rooms) rooms.set(roomId, roomOf(records));
  const liveRoom = options.live?.view((records) => roomOf([...records].reverse()));

  return (request) => {
    if (request.url.pathname !== '/shop/commkf/msg') return { status: 404, body: { errmsg: 'not found' } };
    if (request.method !== 'POST') return { status: 405, body: { errmsg: 'method not allowed' } };
    const cookie = request.headers.cookie ?? '';
    if (!cookie.split(/;\s*/).includes(options.cookie) || request.headers.biz_magic !== options.bizMagic) {
      return fail(3000, 'login expired');
    }
    if (request.url.searchParams.get('action') !== 'get_room_msg') return fail(-1, 'unknown action');

    const body = (request.body ?? {}) as Record<string, unknown>;
    const limit = body.limit ?? body.num;
    if (
      typeof body.room_id !== 'string' ||
      typeof body.msg_id !== 'string' ||
      !/^\d{1,20}$/.test(body.msg_id) ||
      body.op !== 0 ||
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > maxLimit
    ) {
      return fail(-2, 'invalid param');
    }
    const room = liveRoom && body.room_id === options.live?.externalId ? liveRoom() : rooms.get(body.room_id);
    const list: WechatStoreWireRecord[] = [];
    if (room) {
      const anchor = BigInt(body.msg_id);
      // Records are newest first: find the first one older than the anchor.
      let low = 0;
      let high = room.ids.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((room.ids[mid] as bigint) < anchor) high = mid;
        else low = mid + 1;
      }
      list.push(...room.records.slice(low, low + limit));
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
