/**
 * The myscrm WeCom archive wire format of `GET /bff-nbd-qw-openapi/v1/chat-record/pull`, read
 * leniently: only what paging needs is required (`errcode`, each record's `chat_record_id` and
 * `send_time`). Content blocks stay `unknown` on the record and are read one at a time by the
 * normalizer, because a record carries only the block named by its `type` and a stray or malformed
 * block of another type must not cost the page (the vendor's own sample fills every block with
 * placeholders). See `../shared/vendors/myscrm.md` and its sample response.
 */
import { z } from 'zod';
import type { ContentKind } from '../../model/index.js';
import { looseId, MAX_EPOCH_MS, secondsOrMs } from '../../normalize/wire.js';

/**
 * Numbers the vendor may send as numbers or as digit strings. A digit string beyond a double is
 * refused (it would read as Infinity), as JSON numbers that large cannot arrive.
 */
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number()),
]);

/** An optional field that becomes null when absent or of a type nobody expected. */
const lenient = <S extends z.ZodType>(schema: S) => schema.nullish().catch(null);

const optionalString = lenient(z.string());
const optionalNumber = lenient(looseNumber);
const optionalId = lenient(looseId);

/** One keyword rule a message hit: compliance data, so each field survives on its own. */
export const MyscrmKeywordRuleHit = z.object({
  rule_id: optionalId,
  rule_name: optionalString,
  keywords: z
    .array(z.unknown())
    .nullish()
    .catch(null)
    .transform((keywords) =>
      (keywords ?? []).filter((keyword): keyword is string => typeof keyword === 'string'),
    ),
});
export type MyscrmKeywordRuleHit = z.output<typeof MyscrmKeywordRuleHit>;

export const MyscrmChatRecord = z.object({
  chat_record_id: z.string().min(1),
  qw_chat_record_id: optionalString,
  action: optionalString,
  sender_id: optionalString,
  receiver_ids: lenient(z.array(z.unknown())),
  /**
   * Epoch ms; refused when not a time at all (see `MAX_EPOCH_MS`). The pull document gives
   * `start_time` / `end_time` in ms and public material says `send_time` is ms too, but the unit
   * of record times is not in the document: one shown in seconds is read as seconds, record by
   * record (`secondsOrMs`), rather than as a date in 1970.
   */
  send_time: looseNumber
    .refine((value) => Math.abs(value) <= MAX_EPOCH_MS, 'not an epoch time')
    .transform(secondsOrMs),
  type: optionalString,
  hit_keyword_rules: lenient(z.array(z.unknown())),
  is_recall: lenient(z.union([z.boolean(), looseNumber, z.enum(['true', 'false'])])),
  recall_time: optionalNumber.transform((value) =>
    value === null || value === undefined ? value : secondsOrMs(value),
  ),
  text: z.unknown().optional(),
  image: z.unknown().optional(),
  video: z.unknown().optional(),
  voice: z.unknown().optional(),
  agree: z.unknown().optional(),
  disagree: z.unknown().optional(),
  file: z.unknown().optional(),
  miniprogram: z.unknown().optional(),
  redpacket: z.unknown().optional(),
  link: z.unknown().optional(),
  card: z.unknown().optional(),
  location: z.unknown().optional(),
  docmsg: z.unknown().optional(),
  emotion: z.unknown().optional(),
});
export type MyscrmChatRecord = z.output<typeof MyscrmChatRecord>;

export const MyscrmChatRecordPullResponse = z.object({
  errcode: looseNumber,
  errmsg: z.string().nullish(),
  list: z.array(z.unknown()).nullish(),
  next_cursor: z.string().nullish(),
});
export type MyscrmChatRecordPullResponse = z.output<typeof MyscrmChatRecordPullResponse>;

// The documented content blocks, one schema each; every field optional.

export const MyscrmTextBlock = z.object({ content: z.string() });
export const MyscrmImageBlock = z.object({ oss_url: optionalString, thumb_url: optionalString });
/** `length` is the play length in seconds, as in WeCom's archive (`play_length`). */
export const MyscrmVideoBlock = z.object({ oss_url: optionalString, length: optionalNumber });
export const MyscrmVoiceBlock = z.object({ oss_url: optionalString, length: optionalNumber });
export const MyscrmAgreeBlock = z.object({ user_id: optionalString, agree_time: optionalNumber });
export const MyscrmDisagreeBlock = z.object({ user_id: optionalString, disagree_time: optionalNumber });
export const MyscrmFileBlock = z.object({
  oss_url: optionalString,
  filename: optionalString,
  size: optionalNumber,
});
export const MyscrmMiniProgramBlock = z.object({
  title: optionalString,
  description: optionalString,
  username: optionalString,
  miniprogram_name: optionalString,
});
/** `type`: 1 ordinary, 2 lucky draw, 3 incentive (WeCom); `total_amount` in fen (0.01 CNY). */
export const MyscrmRedPacketBlock = z.object({
  type: optionalNumber,
  wish: optionalString,
  count: optionalNumber,
  total_amount: optionalNumber,
});
export const MyscrmLinkBlock = z.object({
  title: optionalString,
  description: optionalString,
  url: optionalString,
  image_url: optionalString,
});
export const MyscrmCardBlock = z.object({ corp_name: optionalString, user_id: optionalString });
export const MyscrmLocationBlock = z.object({
  longitude: optionalNumber,
  latitude: optionalNumber,
  address: optionalString,
  title: optionalString,
  zoom: optionalNumber,
});
export const MyscrmDocMsgBlock = z.object({
  title: optionalString,
  link_url: optionalString,
  doc_creator: optionalString,
});
/** `type`: 1 gif, 2 png (WeCom). */
export const MyscrmEmotionBlock = z.object({
  type: optionalNumber,
  width: optionalNumber,
  height: optionalNumber,
  oss_url: optionalString,
  size: optionalNumber,
  thumb_url: optionalString,
});

/** The `type`s whose blocks the pull API documents, and the content kind each becomes. */
export const MYSCRM_KIND_BY_TYPE = {
  text: 'TEXT',
  image: 'IMAGE',
  video: 'VIDEO',
  voice: 'AUDIO',
  file: 'FILE',
  emotion: 'STICKER',
  link: 'LINK',
  docmsg: 'LINK',
  location: 'LOCATION',
  agree: 'SYSTEM',
  disagree: 'SYSTEM',
  miniprogram: 'CARD',
  redpacket: 'CARD',
  card: 'CARD',
} as const satisfies Record<string, ContentKind>;
export type MyscrmDocumentedType = keyof typeof MYSCRM_KIND_BY_TYPE;

/** `sender_type` query values. */
export const SENDER_TYPE_EMPLOYEE = 1;
export const SENDER_TYPE_EXTERNAL = 2;
export type MyscrmSenderType = 0 | 1 | 2;

/** Query of `chat-record/pull`; absent fields are not sent. */
export interface MyscrmPullQuery {
  app_id: string;
  chat_id: string;
  /** Inclusive lower bound, ms. */
  start_time?: number;
  /** Inclusive upper bound, ms. */
  end_time?: number;
  type?: string;
  page_size: number;
  cursor?: string;
  /** true: oldest first; the vendor's default is newest first. */
  asc: boolean;
  sender_type?: MyscrmSenderType;
  keyword?: string;
  thumb_option?: string;
}

// `errcode`s of the open API, as the emulator uses them (the vendor's list is not public; 40001
// for bad credentials is what public material says). What they mean to chatgraph: `./errors.ts`.
export const ERRCODE_INVALID_CREDENTIAL = 40001;
export const ERRCODE_INVALID_APP_ID = 40013;
export const ERRCODE_INVALID_PARAMETER = 40058;
export const ERRCODE_INVALID_CURSOR = 40059;

// `GET /bff-nbd-qw-openapi/v1/group-chat/list-by-member` (public material in
// `../shared/vendors/myscrm.md`, "Listing chats"): the chats one member is in, most recent first.

/** `member_type` query values of the chat listing. */
export const MEMBER_TYPE_EMPLOYEE = 1;
export const MEMBER_TYPE_EXTERNAL = 2;
export type MyscrmMemberType = 1 | 2;

/**
 * An id sent as a string, or as a number only while a double holds it exactly: a larger number
 * has already lost digits, and a listed chat that reads back under another id is invented.
 */
const exactId = z.union([
  z.string().min(1),
  z
    .number()
    .refine(Number.isSafeInteger, 'an id beyond 2^53 sent as a number has lost precision')
    .transform(String),
]);

/** An epoch time in `unit`, as ms; null when absent, empty or not a time at all. */
const epochIn = (unit: 's' | 'ms') =>
  lenient(looseNumber)
    .transform((value) =>
      value === null || value === undefined ? null : unit === 's' ? value * 1000 : value,
    )
    .transform((value) => (value !== null && Math.abs(value) <= MAX_EPOCH_MS ? value : null));

/** A string that says something, else null ("" is how the vendor leaves a field blank). */
const textOrNull = optionalString.transform((value) => value || null);

/** One listed chat: only `chat_id` is required; `created_at` is seconds, `last_chat_at` ms. */
export const MyscrmListedChat = z.object({
  chat_id: exactId,
  name: textOrNull,
  created_at: epochIn('s'),
  last_chat_at: epochIn('ms'),
  avatar_url: textOrNull,
});
export type MyscrmListedChat = z.output<typeof MyscrmListedChat>;

export const MyscrmChatListResponse = z.object({
  errcode: looseNumber,
  errmsg: z.string().nullish(),
  list: z.array(z.unknown()).nullish(),
  next_cursor: z.string().nullish(),
});

/** Query of `group-chat/list-by-member`; `name` filters by chat name, `cursor` "" at first. */
export interface MyscrmChatListQuery {
  app_id: string;
  member_id: string;
  member_type: MyscrmMemberType;
  name?: string;
  cursor: string;
}
