/**
 * The WeChat Shop back-office wire format of `get_room_msg`, read leniently: only what paging
 * needs is required (`base_resp.ret`, each record's `msg_id` and time); everything else is
 * optional so that a field the vendor adds, drops or retypes costs a detail, not a page.
 * See `../shared/vendors/wechat-store.md` and its sample response.
 */
import { z } from 'zod';
import { epochMillis, epochSeconds, looseId, looseInt } from '../../normalize/wire.js';

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

/**
 * `get_sync_msg`: the document gives only the request (`{start_sync_id, num, include_sys_msg}`,
 * "incremental sync across rooms keyed by each row's `id`"), not the answer. Read as the same
 * envelope as `get_room_msg` (`base_resp.ret`) around a list of room messages, each with its sync
 * `id` (a 64-bit number, as a string or a number) in increasing order. The list's name is not
 * known: these are the names such lists carry elsewhere in the back office.
 */
export const SYNC_LIST_FIELDS = ['msg_list', 'msgs', 'list'] as const;

export const WechatStoreGetSyncMsgResponse = z.looseObject({
  base_resp: WechatStoreBaseResp,
  msg_list: z.array(z.unknown()).nullish(),
  msgs: z.array(z.unknown()).nullish(),
  list: z.array(z.unknown()).nullish(),
});

/** A sync `id`: 1 to 20 digits, as a string or a (losslessly parsed) number. */
const syncId = looseId.pipe(z.string().regex(/^\d{1,20}$/));

/**
 * What the feed reads of a row, field by field: a row missing either part is still read for the
 * other (a row whose room is unknown wakes nothing; one whose id is unknown does not move the
 * position), never refused as a whole: the feed is a hint, the room's own walk is the truth.
 */
export const WechatStoreSyncRow = z.object({
  id: syncId.optional().catch(undefined),
  /** Checked as a room id by the source (`conversationId`). */
  room_id: looseId.optional().catch(undefined),
});

/** Request body of `get_sync_msg`. */
export interface WechatStoreGetSyncMsgRequest {
  /** Rows after this sync id (64-bit, as a string). */
  start_sync_id: string;
  num: number;
  /** System notices (`msg_direction` 3) are messages subscribers receive too. */
  include_sys_msg: boolean;
}
