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
  fastEpochMillis,
  fastEpochSeconds,
  fastLooseInt,
  fastUnknownArray,
  isObjectLike,
  presentButUndefined,
} from '../../normalize/fast-fields.js';
import { parseWire } from '../../normalize/wire.js';
import { WechatStoreExtraInfo, WechatStoreGetRoomMsgResponse, WechatStoreRoomMsg } from './wire.js';

type Envelope = z.output<typeof WechatStoreGetRoomMsgResponse>;
type ExtraInfo = z.output<typeof WechatStoreExtraInfo>;

const MSG_ID = /^\d{1,20}$/;

/** A `flag` (`looseInt` or boolean); NaN when zod would refuse it. */
function flag(value: unknown): number | boolean {
  return typeof value === 'boolean' ? value : fastLooseInt(value);
}

/** `WechatStoreRoomMsg` on a well-formed record; undefined when zod must decide. */
export function fastRoomMsg(raw: unknown): WechatStoreRoomMsg | undefined {
  if (!isObjectLike(raw)) return undefined;
  const msgId = raw.msg_id;
  if (typeof msgId !== 'string' || !MSG_ID.test(msgId)) return undefined;
  const out: Partial<WechatStoreRoomMsg> = {};
  let value: unknown;
  let number: number | boolean;

  value = raw.id;
  if (typeof value === 'string') out.id = value;
  else if (value !== undefined || presentButUndefined(raw, 'id')) return undefined;
  out.msg_id = msgId;
  value = raw.room_id;
  if (typeof value === 'string') out.room_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'room_id')) return undefined;
  value = raw.session_id;
  if (typeof value === 'string') out.session_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'session_id')) return undefined;

  value = raw.msg_type;
  if (value !== undefined) {
    number = fastLooseInt(value);
    if (Number.isNaN(number)) return undefined;
    out.msg_type = number;
  } else if (presentButUndefined(raw, 'msg_type')) return undefined;
  value = raw.msg_direction;
  if (value !== undefined) {
    number = fastLooseInt(value);
    if (Number.isNaN(number)) return undefined;
    out.msg_direction = number;
  } else if (presentButUndefined(raw, 'msg_direction')) return undefined;
  value = raw.create_time;
  if (value !== undefined) {
    number = fastEpochSeconds(value);
    if (Number.isNaN(number)) return undefined;
    out.create_time = number;
  } else if (presentButUndefined(raw, 'create_time')) return undefined;
  value = raw.create_time_ms;
  if (value !== undefined) {
    number = fastEpochMillis(value);
    if (Number.isNaN(number)) return undefined;
    out.create_time_ms = number;
  } else if (presentButUndefined(raw, 'create_time_ms')) return undefined;
  // The schema's refinement: a record needs one of its times.
  if (out.create_time === undefined && out.create_time_ms === undefined) return undefined;

  value = raw.msg_kf_content;
  if (typeof value === 'string') out.msg_kf_content = value;
  else if (value !== undefined || presentButUndefined(raw, 'msg_kf_content')) return undefined;
  value = raw.extra_info;
  if (typeof value === 'string') out.extra_info = value;
  else if (value !== undefined || presentButUndefined(raw, 'extra_info')) return undefined;
  value = raw.send_openid;
  if (typeof value === 'string') out.send_openid = value;
  else if (value !== undefined || presentButUndefined(raw, 'send_openid')) return undefined;
  value = raw.send_open_account;
  if (typeof value === 'string') out.send_open_account = value;
  else if (value !== undefined || presentButUndefined(raw, 'send_open_account')) return undefined;

  value = raw.is_revoked;
  if (value !== undefined) {
    number = flag(value);
    if (Number.isNaN(number)) return undefined;
    out.is_revoked = number;
  } else if (presentButUndefined(raw, 'is_revoked')) return undefined;
  value = raw.is_delete;
  if (value !== undefined) {
    number = flag(value);
    if (Number.isNaN(number)) return undefined;
    out.is_delete = number;
  } else if (presentButUndefined(raw, 'is_delete')) return undefined;
  value = raw.is_fail;
  if (value !== undefined) {
    number = flag(value);
    if (Number.isNaN(number)) return undefined;
    out.is_fail = number;
  } else if (presentButUndefined(raw, 'is_fail')) return undefined;
  value = raw.is_hit_spam;
  if (value !== undefined) {
    number = flag(value);
    if (Number.isNaN(number)) return undefined;
    out.is_hit_spam = number;
  } else if (presentButUndefined(raw, 'is_hit_spam')) return undefined;
  value = raw.accept_by_robot;
  if (value !== undefined) {
    number = flag(value);
    if (Number.isNaN(number)) return undefined;
    out.accept_by_robot = number;
  } else if (presentButUndefined(raw, 'accept_by_robot')) return undefined;
  value = raw.reply_type;
  if (value !== undefined) {
    number = fastLooseInt(value);
    if (Number.isNaN(number)) return undefined;
    out.reply_type = number;
  } else if (presentButUndefined(raw, 'reply_type')) return undefined;

  value = raw.qa_info_list;
  if (value === null) out.qa_info_list = null;
  else if (value !== undefined) {
    const list = fastUnknownArray(value);
    if (list === undefined) return undefined;
    out.qa_info_list = list;
  } else if (presentButUndefined(raw, 'qa_info_list')) return undefined;
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
  const errMsg = base.err_msg;
  if (typeof errMsg === 'string') baseResp.err_msg = errMsg;
  else if (errMsg !== undefined || presentButUndefined(base, 'err_msg')) return undefined;
  const out: Envelope = { base_resp: baseResp };
  const kfOpenid = body.kf_openid;
  if (typeof kfOpenid === 'string') out.kf_openid = kfOpenid;
  else if (kfOpenid !== undefined || presentButUndefined(body, 'kf_openid')) return undefined;
  const list = body.list;
  if (list === null) out.list = null;
  else if (list !== undefined) {
    const copy = fastUnknownArray(list);
    if (copy === undefined) return undefined;
    out.list = copy;
  } else if (presentButUndefined(body, 'list')) return undefined;
  return out;
}

/** `WechatStoreExtraInfo` on a well-formed document; undefined when zod must decide. */
export function fastExtraInfo(doc: unknown): ExtraInfo | undefined {
  if (!isObjectLike(doc)) return undefined;
  const out: ExtraInfo = {};
  let value = doc.nickname;
  if (typeof value === 'string') out.nickname = value;
  else if (value !== undefined || presentButUndefined(doc, 'nickname')) return undefined;
  value = doc.head_img;
  if (typeof value === 'string') out.head_img = value;
  else if (value !== undefined || presentButUndefined(doc, 'head_img')) return undefined;
  value = doc.qa_info_list;
  if (value === null) out.qa_info_list = null;
  else if (value !== undefined) {
    const list = fastUnknownArray(value);
    if (list === undefined) return undefined;
    out.qa_info_list = list;
  } else if (presentButUndefined(doc, 'qa_info_list')) return undefined;
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
