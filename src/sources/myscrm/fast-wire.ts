/**
 * The fast path of the myscrm wire schemas (`wire.ts`): plain functions that read the common,
 * well-formed `chat-record/pull` answer, its records, their keyword-rule hits and content blocks
 * exactly as zod reads them, and return `undefined` on anything unusual, which then goes through
 * the lenient zod schema as before (it stays the definition of tolerance). The differential tests
 * in `test/sources/myscrm/fast-wire.test.ts` hold every value returned here to zod's.
 */
import type { z } from 'zod';
import {
  type FieldReader,
  fastLooseNumber,
  fastUnknownArray,
  isObjectLike,
  lenientNumber,
  lenientString,
  MISS,
  nullishArrayField,
  presentButUndefined,
  readOptional,
} from '../../normalize/fast-fields.js';
import { MAX_EPOCH_MS, parseWire, secondsOrMs } from '../../normalize/wire.js';
import {
  MyscrmAgreeBlock,
  MyscrmCardBlock,
  type MyscrmChatRecord,
  MyscrmChatRecordPullResponse,
  MyscrmChatRecord as MyscrmChatRecordSchema,
  MyscrmDisagreeBlock,
  MyscrmDocMsgBlock,
  MyscrmEmotionBlock,
  MyscrmFileBlock,
  MyscrmImageBlock,
  MyscrmKeywordRuleHit,
  MyscrmLinkBlock,
  MyscrmLocationBlock,
  MyscrmMiniProgramBlock,
  MyscrmRedPacketBlock,
  MyscrmTextBlock,
  MyscrmVideoBlock,
  MyscrmVoiceBlock,
} from './wire.js';

/** `MyscrmChatRecord` on a well-formed record; undefined when zod must decide. */
export function fastChatRecord(raw: unknown): MyscrmChatRecord | undefined {
  if (!isObjectLike(raw)) return undefined;
  const id = raw.chat_record_id;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  const sendTime = fastLooseNumber(raw.send_time);
  if (!(Math.abs(sendTime) <= MAX_EPOCH_MS)) return undefined;
  const out: Partial<Record<keyof MyscrmChatRecord, unknown>> = { chat_record_id: id };
  let value: unknown;

  value = raw.qw_chat_record_id;
  if (value !== undefined) out.qw_chat_record_id = lenientString(value);
  else if (presentButUndefined(raw, 'qw_chat_record_id')) return undefined;
  value = raw.action;
  if (value !== undefined) out.action = lenientString(value);
  else if (presentButUndefined(raw, 'action')) return undefined;
  value = raw.sender_id;
  if (value !== undefined) out.sender_id = lenientString(value);
  else if (presentButUndefined(raw, 'sender_id')) return undefined;
  value = raw.receiver_ids;
  if (value !== undefined) out.receiver_ids = fastUnknownArray(value) ?? null;
  else if (presentButUndefined(raw, 'receiver_ids')) return undefined;
  out.send_time = secondsOrMs(sendTime);
  value = raw.type;
  if (value !== undefined) out.type = lenientString(value);
  else if (presentButUndefined(raw, 'type')) return undefined;
  value = raw.hit_keyword_rules;
  if (value !== undefined) out.hit_keyword_rules = fastUnknownArray(value) ?? null;
  else if (presentButUndefined(raw, 'hit_keyword_rules')) return undefined;
  value = raw.is_recall;
  if (value !== undefined) {
    // `z.union([z.boolean(), looseNumber, z.enum(['true', 'false'])])`, null when none fits.
    out.is_recall =
      typeof value === 'boolean' || value === 'true' || value === 'false' ? value : lenientNumber(value);
  } else if (presentButUndefined(raw, 'is_recall')) return undefined;
  value = raw.recall_time;
  if (value !== undefined) {
    const time = lenientNumber(value);
    out.recall_time = time === null ? null : secondsOrMs(time);
  } else if (presentButUndefined(raw, 'recall_time')) return undefined;
  // Content blocks as they are (`z.unknown()`), one field at a time: a loop over names costs more.
  value = raw.text;
  if (value !== undefined) out.text = value;
  else if (presentButUndefined(raw, 'text')) return undefined;
  value = raw.image;
  if (value !== undefined) out.image = value;
  else if (presentButUndefined(raw, 'image')) return undefined;
  value = raw.video;
  if (value !== undefined) out.video = value;
  else if (presentButUndefined(raw, 'video')) return undefined;
  value = raw.voice;
  if (value !== undefined) out.voice = value;
  else if (presentButUndefined(raw, 'voice')) return undefined;
  value = raw.agree;
  if (value !== undefined) out.agree = value;
  else if (presentButUndefined(raw, 'agree')) return undefined;
  value = raw.disagree;
  if (value !== undefined) out.disagree = value;
  else if (presentButUndefined(raw, 'disagree')) return undefined;
  value = raw.file;
  if (value !== undefined) out.file = value;
  else if (presentButUndefined(raw, 'file')) return undefined;
  value = raw.miniprogram;
  if (value !== undefined) out.miniprogram = value;
  else if (presentButUndefined(raw, 'miniprogram')) return undefined;
  value = raw.redpacket;
  if (value !== undefined) out.redpacket = value;
  else if (presentButUndefined(raw, 'redpacket')) return undefined;
  value = raw.link;
  if (value !== undefined) out.link = value;
  else if (presentButUndefined(raw, 'link')) return undefined;
  value = raw.card;
  if (value !== undefined) out.card = value;
  else if (presentButUndefined(raw, 'card')) return undefined;
  value = raw.location;
  if (value !== undefined) out.location = value;
  else if (presentButUndefined(raw, 'location')) return undefined;
  value = raw.docmsg;
  if (value !== undefined) out.docmsg = value;
  else if (presentButUndefined(raw, 'docmsg')) return undefined;
  value = raw.emotion;
  if (value !== undefined) out.emotion = value;
  else if (presentButUndefined(raw, 'emotion')) return undefined;
  return out as MyscrmChatRecord;
}

type PullResponse = z.output<typeof MyscrmChatRecordPullResponse>;

/** `z.string().nullish()` on a value that is not undefined. */
const nullableString: FieldReader<string | null> = (value) =>
  typeof value === 'string' || value === null ? value : MISS;

/** `MyscrmChatRecordPullResponse` on a well-formed answer; undefined when zod must decide. */
export function fastPullResponse(body: unknown): PullResponse | undefined {
  if (!isObjectLike(body)) return undefined;
  const errcode = fastLooseNumber(body.errcode);
  if (Number.isNaN(errcode)) return undefined;
  const out: PullResponse = { errcode };
  if (!readOptional(body, 'errmsg', out, nullableString)) return undefined;
  if (!readOptional(body, 'list', out, nullishArrayField)) return undefined;
  if (!readOptional(body, 'next_cursor', out, nullableString)) return undefined;
  return out;
}

type KeywordRuleHit = z.output<typeof MyscrmKeywordRuleHit>;

/** `MyscrmKeywordRuleHit` on a well-formed hit; undefined when zod must decide. */
export function fastKeywordRuleHit(item: unknown): KeywordRuleHit | undefined {
  if (!isObjectLike(item)) return undefined;
  const out: Partial<KeywordRuleHit> = {};
  let value = item.rule_id;
  if (value !== undefined) {
    // `lenient(looseId)`: a string, a finite number as its text, else null.
    out.rule_id =
      typeof value === 'string'
        ? value
        : typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : null;
  } else if (presentButUndefined(item, 'rule_id')) return undefined;
  value = item.rule_name;
  if (value !== undefined) out.rule_name = lenientString(value);
  else if (presentButUndefined(item, 'rule_name')) return undefined;
  value = item.keywords;
  const keywords: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const keyword = value[i];
      if (typeof keyword === 'string') keywords.push(keyword);
    }
  }
  out.keywords = keywords;
  return out as KeywordRuleHit;
}

/** How each field of a lenient block is read: `optionalString` or `optionalNumber`. */
type BlockFields = Readonly<Record<string, 'string' | 'number'>>;

/**
 * A block whose fields are all lenient (`optionalString` / `optionalNumber`): every object reads,
 * each field as its kind or null. Undefined when zod must decide (not an object, a key present
 * but undefined).
 */
function fastLenientBlock<T>(block: unknown, fields: BlockFields): T | undefined {
  if (!isObjectLike(block)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in fields) {
    const value = block[key];
    if (value !== undefined)
      out[key] = fields[key] === 'string' ? lenientString(value) : lenientNumber(value);
    else if (presentButUndefined(block, key)) return undefined;
  }
  return out as T;
}

/** A content block read with its schema: the fast path, else `safeParse` (undefined when refused). */
function blockReader<S extends z.ZodObject>(
  schema: S,
  fields: BlockFields,
): (block: unknown) => z.output<S> | undefined {
  return (block) => fastLenientBlock<z.output<S>>(block, fields) ?? schema.safeParse(block).data;
}

/** The fast paths of the lenient blocks, for the differential tests. */
export const LENIENT_BLOCK_FIELDS = {
  image: { oss_url: 'string', thumb_url: 'string' },
  video: { oss_url: 'string', length: 'number' },
  voice: { oss_url: 'string', length: 'number' },
  agree: { user_id: 'string', agree_time: 'number' },
  disagree: { user_id: 'string', disagree_time: 'number' },
  file: { oss_url: 'string', filename: 'string', size: 'number' },
  miniprogram: { title: 'string', description: 'string', username: 'string', miniprogram_name: 'string' },
  redpacket: { type: 'number', wish: 'string', count: 'number', total_amount: 'number' },
  link: { title: 'string', description: 'string', url: 'string', image_url: 'string' },
  card: { corp_name: 'string', user_id: 'string' },
  location: { longitude: 'number', latitude: 'number', address: 'string', title: 'string', zoom: 'number' },
  docmsg: { title: 'string', link_url: 'string', doc_creator: 'string' },
  emotion: {
    type: 'number',
    width: 'number',
    height: 'number',
    oss_url: 'string',
    size: 'number',
    thumb_url: 'string',
  },
} as const satisfies Record<string, BlockFields>;

export const fastLenientBlockOf = (type: keyof typeof LENIENT_BLOCK_FIELDS, block: unknown): unknown =>
  fastLenientBlock(block, LENIENT_BLOCK_FIELDS[type]);

/** `MyscrmTextBlock` on a well-formed block; undefined when zod must decide. */
export function fastTextBlock(block: unknown): z.output<typeof MyscrmTextBlock> | undefined {
  if (!isObjectLike(block)) return undefined;
  const content = block.content;
  return typeof content === 'string' ? { content } : undefined;
}

/** Each content block as the normalizer reads it: its data, or undefined when zod refuses it. */
export const readBlock = {
  text: (block: unknown) => fastTextBlock(block) ?? MyscrmTextBlock.safeParse(block).data,
  image: blockReader(MyscrmImageBlock, LENIENT_BLOCK_FIELDS.image),
  video: blockReader(MyscrmVideoBlock, LENIENT_BLOCK_FIELDS.video),
  voice: blockReader(MyscrmVoiceBlock, LENIENT_BLOCK_FIELDS.voice),
  agree: blockReader(MyscrmAgreeBlock, LENIENT_BLOCK_FIELDS.agree),
  disagree: blockReader(MyscrmDisagreeBlock, LENIENT_BLOCK_FIELDS.disagree),
  file: blockReader(MyscrmFileBlock, LENIENT_BLOCK_FIELDS.file),
  miniprogram: blockReader(MyscrmMiniProgramBlock, LENIENT_BLOCK_FIELDS.miniprogram),
  redpacket: blockReader(MyscrmRedPacketBlock, LENIENT_BLOCK_FIELDS.redpacket),
  link: blockReader(MyscrmLinkBlock, LENIENT_BLOCK_FIELDS.link),
  card: blockReader(MyscrmCardBlock, LENIENT_BLOCK_FIELDS.card),
  location: blockReader(MyscrmLocationBlock, LENIENT_BLOCK_FIELDS.location),
  docmsg: blockReader(MyscrmDocMsgBlock, LENIENT_BLOCK_FIELDS.docmsg),
  emotion: blockReader(MyscrmEmotionBlock, LENIENT_BLOCK_FIELDS.emotion),
};

/** One keyword-rule hit: the fast path, else zod; undefined when zod refuses it. */
export function readKeywordRuleHit(item: unknown): KeywordRuleHit | undefined {
  return fastKeywordRuleHit(item) ?? MyscrmKeywordRuleHit.safeParse(item).data;
}

/** `chat-record/pull`'s answer: the fast path, else `parseWire` (zod) as the definition of tolerance. */
export function readPullResponse(body: unknown, source: string): PullResponse {
  return fastPullResponse(body) ?? parseWire(MyscrmChatRecordPullResponse, body, source, 'chat-record/pull');
}

/** One record of `list` (`what` names it in a refusal): the fast path, else zod. */
export function readChatRecord(raw: unknown, source: string, what: string): MyscrmChatRecord {
  return fastChatRecord(raw) ?? parseWire(MyscrmChatRecordSchema, raw, source, what);
}
