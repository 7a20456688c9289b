/**
 * The weizhipin (BOSS Hi) IM open platform wire format, read leniently: only what paging needs is
 * required (a record's `message_id` and `create_time`); everything else is optional or nullable so
 * that a field the vendor adds, drops or retypes costs a detail, not a page.
 * See `../shared/vendors/weizhipin.md` and `weizhipin.im-v2-messages.sample.json`.
 */
import { z } from 'zod';
import { looseId, looseInt } from '../../normalize/wire.js';

/** Optional free-form string: the sample sends `null` where the table documents a string. */
const optString = z.string().nullish();

/**
 * The sender. The documentation spells its keys in snake_case (`id_type`, `sender_type`), the
 * sample response in camelCase (`idType`, `senderType`, `tenantKey`): both are accepted and
 * merged, snake_case first.
 */
export const WeizhipinImSender = z
  .object({
    id: optString,
    id_type: optString,
    idType: optString,
    sender_type: optString,
    senderType: optString,
    tenant_key: optString,
    tenantKey: optString,
  })
  .transform((sender) => ({
    id: sender.id ?? null,
    idType: sender.id_type ?? sender.idType ?? null,
    senderType: sender.sender_type ?? sender.senderType ?? null,
    tenantKey: sender.tenant_key ?? sender.tenantKey ?? null,
  }));
export type WeizhipinImSender = z.output<typeof WeizhipinImSender>;

export const WeizhipinImMention = z
  .object({
    id: looseId,
    id_type: optString,
    idType: optString,
    tenant_key: optString,
    /** Lark's text format names mentions by a placeholder key (`@_user_1`) and gives the name. */
    key: optString,
    name: optString,
  })
  .transform((mention) => ({
    id: mention.id,
    idType: mention.id_type ?? mention.idType ?? null,
    key: mention.key ?? null,
    name: mention.name ?? null,
  }));
export type WeizhipinImMention = z.output<typeof WeizhipinImMention>;

/** `content` is documented as a JSON document inside a string; the send examples pass an object. */
export const WeizhipinImBody = z.object({
  content: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});

/** One record of `data`. */
export const WeizhipinImMessage = z.object({
  message_id: z.string().min(1),
  root_id: optString,
  parent_id: optString,
  msg_type: optString,
  /** Milliseconds, as a string. */
  create_time: looseInt,
  update_time: looseInt.nullish(),
  deleted: z.boolean().nullish(),
  updated: z.boolean().nullish(),
  chat_id: optString,
  sender: WeizhipinImSender.nullish(),
  body: WeizhipinImBody.nullish(),
  mentions: z.array(WeizhipinImMention).nullish(),
  upper_message_id: optString,
});
export type WeizhipinImMessage = z.output<typeof WeizhipinImMessage>;

/**
 * `GET /open-apis/im/v2/messages`. `data` is a bare list (no `has_more`, no page token); Lark's
 * `{items: [...]}` shape is accepted too in case the vendor moves toward it. Records are parsed
 * one by one by the client so that one bad record names its index.
 */
export const WeizhipinImMessagesResponse = z.object({
  code: looseInt,
  msg: z.string().nullish(),
  /** The vendor's id of this call, for its support to find it (the sample has one). */
  traceId: z.string().nullish(),
  data: z
    .union([z.array(z.unknown()), z.object({ items: z.array(z.unknown()).nullish() })])
    .nullish()
    .transform((data) => (Array.isArray(data) ? data : (data?.items ?? []))),
});

/**
 * `POST /open-apis/auth/tenant_access_token/internal`. The field table puts `tenant_access_token`
 * and `expire` at the top level, the documented example nests them in `data`: both are accepted.
 */
const TokenFields = z.object({
  tenant_access_token: z.string().min(1).nullish(),
  /** Seconds left, e.g. 7140. */
  expire: looseInt.nullish(),
});

export const WeizhipinTenantAccessTokenResponse = TokenFields.extend({
  code: looseInt,
  msg: z.string().nullish(),
  data: TokenFields.nullish(),
}).transform((response) => ({
  code: response.code,
  token: response.tenant_access_token ?? response.data?.tenant_access_token ?? null,
  expireSeconds: response.expire ?? response.data?.expire ?? null,
}));

/** Query of `GET /open-apis/im/v2/messages`. */
export interface WeizhipinImMessagesQuery {
  user_id_type: WeizhipinUserIdType;
  user_id: string;
  /** Seconds. */
  start_time: number;
  /** Seconds, at most 86,400 after `start_time`. */
  end_time: number;
  /** Start from this message (the emulator includes it, the client de-duplicates either way). */
  message_id?: string;
  /** Comma-separated list. */
  message_type: string;
  page_size: number;
}

export const WEIZHIPIN_USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;
export type WeizhipinUserIdType = (typeof WEIZHIPIN_USER_ID_TYPES)[number];

/**
 * The message types the document says can be queried ("目前仅支持 text、image、new_rich_text、
 * rich_text、system_card 类型的消息被查询"). Asking for another (`compressive_card`, which the
 * response table names) is outside the document: a strict vendor refuses the whole call.
 */
export const WEIZHIPIN_MESSAGE_TYPES = [
  'text',
  'image',
  'rich_text',
  'new_rich_text',
  'system_card',
] as const;

export const WEIZHIPIN_MAX_WINDOW_SECONDS = 86_400;
export const WEIZHIPIN_MAX_PAGE_SIZE = 50;

/**
 * Lark's codes for a tenant token that is missing, invalid or expired (the platform is modelled on
 * it): the client refreshes its token once and retries on any of them.
 */
export const TOKEN_REJECTED_CODES: ReadonlySet<number> = new Set([99991661, 99991663, 99991668]);
