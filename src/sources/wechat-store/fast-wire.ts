/**
 * The fast path of the WeChat Shop wire schemas (`wire.ts`): plain functions that read the common,
 * well-formed `get_room_msg` answer and record exactly as zod reads them, and return `undefined` on
 * anything unusual, which then goes through the lenient zod schema as before (it stays the
 * definition of tolerance). Reading a page of 50 through zod alone costs about as much as parsing
 * its JSON; the differential tests in `test/sources/wechat-store/fast-wire.test.ts` hold every value
 * returned here to zod's.
 */

import type { z } from 'zod';
import {
  type FieldReader,
  fastEpochMillis,
  fastEpochSeconds,
  fastLooseInt,
  isObjectLike,
  looseIntField,
  MISS,
  nullishArrayField,
  readOptional,
  stringField,
} from '../../normalize/fast-fields.js';
import { parseWire } from '../../normalize/wire.js';
import { WechatStoreExtraInfo, WechatStoreGetRoomMsgResponse, WechatStoreRoomMsg } from './wire.js';

type Envelope = z.output<typeof WechatStoreGetRoomMsgResponse>;
type ExtraInfo = z.output<typeof WechatStoreExtraInfo>;

const MSG_ID = /^\d{1,20}$/;

/** A `flag`: `looseInt` or a boolean. */
const flag: FieldReader<number | boolean> = (value) =>
  typeof value === 'boolean' ? value : looseIntField(value);
const epochSeconds: FieldReader<number> = (value) => {
  const number = fastEpochSeconds(value);
  return Number.isNaN(number) ? MISS : number;
};
const epochMillis: FieldReader<number> = (value) => {
  const number = fastEpochMillis(value);
  return Number.isNaN(number) ? MISS : number;
};

/** `WechatStoreRoomMsg`'s optional fields after `msg_id`, in the schema's order. */
const ROOM_MSG_FIELDS: Array<[string, FieldReader<unknown>]> = [
  ['room_id', stringField],
  ['session_id', stringField],
  ['msg_type', looseIntField],
  ['msg_direction', looseIntField],
  ['create_time', epochSeconds],
  ['create_time_ms', epochMillis],
  ['msg_kf_content', stringField],
  ['extra_info', stringField],
  ['send_openid', stringField],
  ['send_open_account', stringField],
  ['is_revoked', flag],
  ['is_delete', flag],
  ['is_fail', flag],
  ['is_hit_spam', flag],
  ['accept_by_robot', flag],
  ['reply_type', looseIntField],
  ['qa_info_list', nullishArrayField],
];

/** `WechatStoreRoomMsg` on a well-formed record; undefined when zod must decide. */
export function fastRoomMsg(raw: unknown): WechatStoreRoomMsg | undefined {
  if (!isObjectLike(raw)) return undefined;
  const msgId = raw.msg_id;
  if (typeof msgId !== 'string' || !MSG_ID.test(msgId)) return undefined;
  const out: Record<string, unknown> = {};
  if (!readOptional(raw, 'id', out, stringField)) return undefined;
  out.msg_id = msgId;
  for (const [key, read] of ROOM_MSG_FIELDS) if (!readOptional(raw, key, out, read)) return undefined;
  // The schema's refinement: a record needs one of its times.
  if (out.create_time === undefined && out.create_time_ms === undefined) return undefined;
  return out as WechatStoreRoomMsg;
}

/** `WechatStoreGetRoomMsgResponse` on a well-formed answer; undefined when zod must decide. */
export function fastGetRoomMsgResponse(body: unknown): Envelope | undefined {
  if (!isObjectLike(body)) return undefined;
  const base = body.base_resp;
  if (!isObjectLike(base)) return undefined;
  const ret = fastLooseInt(base.ret);
  if (Number.isNaN(ret)) return undefined;
  const baseResp: Envelope['base_resp'] = { ret };
  if (!readOptional(base, 'err_msg', baseResp, stringField)) return undefined;
  const out: Envelope = { base_resp: baseResp };
  if (!readOptional(body, 'kf_openid', out, stringField)) return undefined;
  if (!readOptional(body, 'list', out, nullishArrayField)) return undefined;
  return out;
}

/** `WechatStoreExtraInfo` on a well-formed document; undefined when zod must decide. */
export function fastExtraInfo(doc: unknown): ExtraInfo | undefined {
  if (!isObjectLike(doc)) return undefined;
  const out: ExtraInfo = {};
  if (!readOptional(doc, 'nickname', out, stringField)) return undefined;
  if (!readOptional(doc, 'head_img', out, stringField)) return undefined;
  if (!readOptional(doc, 'qa_info_list', out, nullishArrayField)) return undefined;
  return out;
}

/** `get_room_msg`'s answer: the fast path, else `parseWire` (zod) as the definition of tolerance. */
export function readGetRoomMsgResponse(body: unknown, source: string): Envelope {
  return (
    fastGetRoomMsgResponse(body) ?? parseWire(WechatStoreGetRoomMsgResponse, body, source, 'get_room_msg')
  );
}

/** One record of `list` (`index` names it in a refusal): the fast path, else zod. */
export function readRoomMsg(raw: unknown, source: string, what: string): WechatStoreRoomMsg {
  return fastRoomMsg(raw) ?? parseWire(WechatStoreRoomMsg, raw, source, what);
}

/** `extra_info`'s document, or undefined when it is not one zod reads (as `safeParse` fails). */
export function readExtraInfo(doc: unknown): ExtraInfo | undefined {
  return fastExtraInfo(doc) ?? WechatStoreExtraInfo.safeParse(doc).data;
}
