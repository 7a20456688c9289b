/**
 * The WeChat Shop back-office wire format of `get_room_msg`, read leniently: only what paging
 * needs is required (`base_resp.ret`, each record's `msg_id` and time); everything else is
 * optional so that a field the vendor adds, drops or retypes costs a detail, not a page.
 * See `../shared/vendors/wechat-store.md` and its sample response.
 */
import { z } from 'zod';
import { epochMillis, epochSeconds, looseInt } from '../../normalize/wire.js';

/** A 0/1 flag, as a number, a digit string or a boolean. */
const flag = z.union([looseInt, z.boolean()]);

export const WechatStoreBaseResp = z.object({
  ret: looseInt,
  err_msg: z.string().optional(),
});

/** One record of `list`; `msg_kf_content` and `extra_info` are JSON documents inside strings. */
export const WechatStoreRoomMsg = z
  .object({
    id: z.string().optional(),
    msg_id: z.string().regex(/^\d{1,20}$/),
    room_id: z.string().optional(),
    session_id: z.string().optional(),
    msg_type: looseInt.optional(),
    msg_direction: looseInt.optional(),
    create_time: epochSeconds.optional(),
    create_time_ms: epochMillis.optional(),
    msg_kf_content: z.string().optional(),
    extra_info: z.string().optional(),
    send_openid: z.string().optional(),
    /** The agent's own account on shop-side messages ("" otherwise); `send_openid` is the shop's. */
    send_open_account: z.string().optional(),
    is_revoked: flag.optional(),
    is_delete: flag.optional(),
    /** The message was not delivered. */
    is_fail: flag.optional(),
    /** The platform's spam filter stopped the message. */
    is_hit_spam: flag.optional(),
    /** The shop's customer-service robot handled the message. */
    accept_by_robot: flag.optional(),
    reply_type: looseInt.optional(),
    qa_info_list: z.array(z.unknown()).nullish(),
  })
  .refine((record) => record.create_time_ms !== undefined || record.create_time !== undefined, {
    message: 'a record needs create_time or create_time_ms',
    path: ['create_time'],
  });
export type WechatStoreRoomMsg = z.output<typeof WechatStoreRoomMsg>;

export const WechatStoreGetRoomMsgResponse = z.object({
  base_resp: WechatStoreBaseResp,
  kf_openid: z.string().optional(),
  list: z.array(z.unknown()).nullish(),
});

/** Sender details in `extra_info`. */
export const WechatStoreExtraInfo = z.object({
  nickname: z.string().optional(),
  head_img: z.string().optional(),
  qa_info_list: z.array(z.unknown()).nullish(),
});

/** Request body of `get_room_msg`. */
export interface WechatStoreGetRoomMsgRequest {
  room_id: string;
  /** Messages older than this one; 2^64 starts from the newest. */
  msg_id: string;
  /** 0: toward older messages, the only direction public clients use. */
  op: 0;
  limit: number;
}

export const NEWEST_MSG_ID = '18446744073709551616';
/** `base_resp.ret` when the back-office session cookie expired or is not authorised. */
export const RET_NOT_AUTHORISED = 3000;
