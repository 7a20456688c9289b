/**
 * myscrm WeCom archive records → the unified model. Pure functions, field by field.
 *
 * What decides the content: the record's `type`, and only the block of that name. The vendor's
 * sample carries every block at once (with placeholders); a real record carries one, and a block
 * that does not match its `type` is ignored. The 14 documented types map onto shared or `Myscrm…`
 * content; every other WeCom archive type (revoke, chatrecord, todo, vote, meeting, markdown, news,
 * calendar, mixed, …) is `UnsupportedContent` holding the whole record.
 *
 * Roles: the record does not say, and the form of `sender_id` does not either (the vendor's own
 * sample has an employee's greeting sent from a `wo…` id). Only the vendor's `sender_type` query
 * parameter (1 employee, 2 external contact) tells, so the source learns roles per chat and passes
 * what it knows in `ctx.senderRole`; without it the role is UNKNOWN, never a guess.
 *
 * Media: the archive's `oss_url` / `thumb_url` addresses are signed and valid for one hour from
 * when the vendor hands them out. Each content that holds one gets `expiresAt = fetchedAt + 1h`,
 * with `fetchedAt` the time the request was sent (so the estimate errs early, never late). Links
 * and shared documents point at the shared page itself, not at an archived file, and do not expire.
 */
import type {
  AudioContent,
  FileContent,
  ImageContent,
  LinkContent,
  LocationContent,
  Message,
  SenderRole,
  StickerContent,
  TextContent,
  UnsupportedContent,
  VideoContent,
} from '../../model/index.js';
import { unsupported } from '../../model/index.js';
import { enumMap, joinText, type NormalizeContext, nonEmpty } from '../../normalize/context.js';
import { secondsOrMs } from '../../normalize/wire.js';
import { readBlock, readKeywordRuleHit } from './fast-wire.js';
import { MYSCRM_KIND_BY_TYPE, type MyscrmChatRecord, type MyscrmDocumentedType } from './wire.js';

/** How long the archive's media addresses stay valid (vendor doc: 一小时内有效). */
export const MYSCRM_MEDIA_TTL_MS = 3_600_000;

export interface MyscrmNormalizeContext extends NormalizeContext {
  /** Epoch ms when the vendor call that returned the record was sent. */
  fetchedAt: number;
  /** The sender's role as the vendor told it (`sender_type`); UNKNOWN when absent. */
  senderRole?: SenderRole;
}

/** WeCom's emotion formats (`emotion.type`). */
export type MyscrmStickerFormat = 'GIF' | 'PNG' | 'UNKNOWN';
const stickerFormat = enumMap<MyscrmStickerFormat>({ 1: 'GIF', 2: 'PNG' });

/** What an `emotion` block says beyond the picture: its format and size. */
export interface MyscrmStickerDetails {
  format: MyscrmStickerFormat;
  /** `emotion.type` as sent: 1 gif, 2 png; null when absent. */
  formatCode: number | null;
  sizeBytes: number | null;
}

/** `agree` / `disagree`: the external contact's answer to being archived. */
export interface MyscrmConsent {
  __typename: 'MyscrmConsent';
  agreed: boolean;
  /** Who answered (their WeCom userid). */
  userId: string | null;
  /** Epoch ms of the answer. */
  at: number | null;
}

export interface MyscrmMiniProgram {
  __typename: 'MyscrmMiniProgram';
  title: string | null;
  description: string | null;
  /** The mini program's original id (`gh_…@app`). */
  username: string | null;
  /** The mini program's display name. */
  appName: string | null;
}

export interface MyscrmRedPacket {
  __typename: 'MyscrmRedPacket';
  /** WeCom's red-packet type: 1 ordinary, 2 lucky draw, 3 incentive. */
  packetType: number | null;
  wish: string | null;
  count: number | null;
  /** Total in fen (0.01 CNY), as the vendor sends it. */
  totalAmountFen: number | null;
}

export interface MyscrmContactCard {
  __typename: 'MyscrmContactCard';
  corpName: string | null;
  /** WeCom userid of the person on the card. */
  userId: string | null;
}

export interface MyscrmSharedDocument {
  __typename: 'MyscrmSharedDocument';
  title: string | null;
  url: string | null;
  /** WeCom userid of the document's creator. */
  creatorId: string | null;
}

export type MyscrmContent =
  | TextContent
  | ImageContent
  | VideoContent
  | AudioContent
  | FileContent
  | StickerContent
  | LinkContent
  | LocationContent
  | MyscrmConsent
  | MyscrmMiniProgram
  | MyscrmRedPacket
  | MyscrmContactCard
  | MyscrmSharedDocument
  | UnsupportedContent;

export interface MyscrmComplianceFlag {
  ruleId: string | null;
  ruleName: string | null;
  /** The rule's keywords that the message hit. */
  keywords: string[];
}

export interface MyscrmMessage extends Message<MyscrmContent> {
  vendor: 'MYSCRM';
  /** WeCom's own msgid of the record (`qw_chat_record_id`). */
  qwChatRecordId: string | null;
  receiverIds: string[];
  complianceFlags: MyscrmComplianceFlag[];
  /** Epoch ms of the recall; null when not recalled or the vendor did not say. */
  recalledAt: number | null;
  /** The record's `action` as sent (e.g. `send`); null when absent. */
  action: string | null;
  /** The `emotion` block's format and size; null for other types. */
  sticker: MyscrmStickerDetails | null;
}

const KIND_BY_TYPENAME = {
  TextContent: 'TEXT',
  ImageContent: 'IMAGE',
  VideoContent: 'VIDEO',
  AudioContent: 'AUDIO',
  FileContent: 'FILE',
  StickerContent: 'STICKER',
  LinkContent: 'LINK',
  LocationContent: 'LOCATION',
  // Consent to archiving is a notice about the chat, not something a person said in it.
  MyscrmConsent: 'SYSTEM',
  MyscrmMiniProgram: 'CARD',
  MyscrmRedPacket: 'CARD',
  MyscrmContactCard: 'CARD',
  // An online document is opened by following its link; the archive holds no file for it.
  MyscrmSharedDocument: 'LINK',
  UnsupportedContent: 'UNSUPPORTED',
} as const satisfies Record<MyscrmContent['__typename'], Message['kind']>;

export function isDocumentedType(type: string): type is MyscrmDocumentedType {
  return Object.hasOwn(MYSCRM_KIND_BY_TYPE, type);
}

export function normalizeMyscrmMessage(
  record: MyscrmChatRecord,
  raw: unknown,
  ctx: MyscrmNormalizeContext,
): MyscrmMessage {
  const content = myscrmContent(record, raw, ctx);
  const recalled = record.is_recall === true || record.is_recall === 1 || record.is_recall === 'true';
  return {
    vendor: 'MYSCRM',
    source: ctx.source,
    conversation: ctx.conversation,
    externalId: record.chat_record_id,
    sentAt: record.send_time,
    sender: {
      role: ctx.senderRole ?? 'UNKNOWN',
      externalId: nonEmpty(record.sender_id),
      displayName: null,
      avatarUrl: null,
    },
    kind: KIND_BY_TYPENAME[content.__typename],
    text: myscrmText(content),
    recalled,
    content,
    raw,
    qwChatRecordId: nonEmpty(record.qw_chat_record_id),
    receiverIds: (record.receiver_ids ?? []).filter(
      (id): id is string => typeof id === 'string' && id !== '',
    ),
    complianceFlags: complianceFlags(record, ctx),
    recalledAt: recalled && record.recall_time ? record.recall_time : null,
    action: nonEmpty(record.action),
    sticker: record.type === 'emotion' ? stickerDetails(record.emotion) : null,
  };
}

function stickerDetails(block: unknown): MyscrmStickerDetails | null {
  const parsed = readBlock.emotion(block);
  if (!parsed) return null;
  const code = parsed.type ?? null;
  return {
    format: stickerFormat(code),
    formatCode: code,
    // The sample's placeholder is 0: WeCom's "not set".
    sizeBytes: positive(parsed.size),
  };
}

function complianceFlags(record: MyscrmChatRecord, ctx: MyscrmNormalizeContext): MyscrmComplianceFlag[] {
  const flags: MyscrmComplianceFlag[] = [];
  for (const item of record.hit_keyword_rules ?? []) {
    const hit = readKeywordRuleHit(item);
    if (!hit) {
      // A rule hit that cannot be read is still a hit: keep it, without the parts that are missing.
      ctx.warn('unreadable hit_keyword_rules item', { chatRecordId: record.chat_record_id });
      flags.push({ ruleId: null, ruleName: null, keywords: [] });
      continue;
    }
    flags.push({
      ruleId: nonEmpty(hit.rule_id),
      ruleName: nonEmpty(hit.rule_name),
      keywords: hit.keywords,
    });
  }
  return flags;
}

/** The content of the block named by the record's `type`. */
export function myscrmContent(
  record: MyscrmChatRecord,
  raw: unknown,
  ctx: MyscrmNormalizeContext,
): MyscrmContent {
  const type = record.type ?? '';
  if (!isDocumentedType(type)) return unsupported(type || 'missing', raw);
  const block = record[type];
  const content = documentedContent(type, block, ctx.fetchedAt + MYSCRM_MEDIA_TTL_MS);
  if (content) return content;
  ctx.warn('content block missing or unreadable', { chatRecordId: record.chat_record_id, type });
  return unsupported(type, raw);
}

function documentedContent(
  type: MyscrmDocumentedType,
  block: unknown,
  expiresAt: number,
): MyscrmContent | null {
  switch (type) {
    case 'text': {
      const parsed = readBlock.text(block);
      return parsed ? { __typename: 'TextContent', text: parsed.content } : null;
    }
    case 'image': {
      const parsed = readBlock.image(block);
      if (!parsed) return null;
      const url = nonEmpty(parsed.oss_url);
      const thumbnailUrl = nonEmpty(parsed.thumb_url);
      return {
        __typename: 'ImageContent',
        url,
        thumbnailUrl,
        width: null,
        height: null,
        expiresAt: expiry(expiresAt, url, thumbnailUrl),
      };
    }
    case 'video': {
      const parsed = readBlock.video(block);
      if (!parsed) return null;
      const url = nonEmpty(parsed.oss_url);
      return {
        __typename: 'VideoContent',
        url,
        thumbnailUrl: null,
        durationSeconds: parsed.length ?? null,
        expiresAt: expiry(expiresAt, url),
      };
    }
    case 'voice': {
      const parsed = readBlock.voice(block);
      if (!parsed) return null;
      const url = nonEmpty(parsed.oss_url);
      return {
        __typename: 'AudioContent',
        url,
        durationSeconds: parsed.length ?? null,
        transcript: null,
        expiresAt: expiry(expiresAt, url),
      };
    }
    case 'file': {
      const parsed = readBlock.file(block);
      if (!parsed) return null;
      const url = nonEmpty(parsed.oss_url);
      return {
        __typename: 'FileContent',
        url,
        name: nonEmpty(parsed.filename),
        sizeBytes: parsed.size ?? null,
        expiresAt: expiry(expiresAt, url),
      };
    }
    case 'emotion': {
      const parsed = readBlock.emotion(block);
      if (!parsed) return null;
      const url = nonEmpty(parsed.oss_url);
      const thumbnailUrl = nonEmpty(parsed.thumb_url);
      return {
        __typename: 'StickerContent',
        url,
        thumbnailUrl,
        width: positive(parsed.width),
        height: positive(parsed.height),
        expiresAt: expiry(expiresAt, url, thumbnailUrl),
      };
    }
    case 'link': {
      const parsed = readBlock.link(block);
      if (!parsed) return null;
      return {
        __typename: 'LinkContent',
        url: nonEmpty(parsed.url),
        title: nonEmpty(parsed.title),
        description: nonEmpty(parsed.description),
        imageUrl: nonEmpty(parsed.image_url),
      };
    }
    case 'docmsg': {
      const parsed = readBlock.docmsg(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmSharedDocument',
        title: nonEmpty(parsed.title),
        url: nonEmpty(parsed.link_url),
        creatorId: nonEmpty(parsed.doc_creator),
      };
    }
    case 'location': {
      const parsed = readBlock.location(block);
      if (!parsed) return null;
      return {
        __typename: 'LocationContent',
        latitude: parsed.latitude ?? null,
        longitude: parsed.longitude ?? null,
        name: nonEmpty(parsed.title),
        address: nonEmpty(parsed.address),
        zoom: parsed.zoom ?? null,
      };
    }
    case 'agree': {
      const parsed = readBlock.agree(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmConsent',
        agreed: true,
        userId: nonEmpty(parsed.user_id),
        at: positiveMs(parsed.agree_time),
      };
    }
    case 'disagree': {
      const parsed = readBlock.disagree(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmConsent',
        agreed: false,
        userId: nonEmpty(parsed.user_id),
        at: positiveMs(parsed.disagree_time),
      };
    }
    case 'miniprogram': {
      const parsed = readBlock.miniprogram(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmMiniProgram',
        title: nonEmpty(parsed.title),
        description: nonEmpty(parsed.description),
        username: nonEmpty(parsed.username),
        appName: nonEmpty(parsed.miniprogram_name),
      };
    }
    case 'redpacket': {
      const parsed = readBlock.redpacket(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmRedPacket',
        packetType: positive(parsed.type),
        wish: nonEmpty(parsed.wish),
        count: parsed.count ?? null,
        totalAmountFen: parsed.total_amount ?? null,
      };
    }
    case 'card': {
      const parsed = readBlock.card(block);
      if (!parsed) return null;
      return {
        __typename: 'MyscrmContactCard',
        corpName: nonEmpty(parsed.corp_name),
        userId: nonEmpty(parsed.user_id),
      };
    }
  }
}

/** Only addresses the archive hands out expire; no address, nothing to expire. */
function expiry(expiresAt: number, url: string | null, thumbnailUrl: string | null = null): number | null {
  return url !== null || thumbnailUrl !== null ? expiresAt : null;
}

/** A time of the record in ms, read as seconds when it can only be seconds (`secondsOrMs`). */
function positiveMs(value: number | null | undefined): number | null {
  const time = positive(value);
  return time === null ? null : secondsOrMs(time);
}

/** WeCom sends 0 for "not set" in times, enum-like numbers and sizes of stickers. */
function positive(value: number | null | undefined): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

/**
 * The plain-text rendering: what a person typed or the words a card shows. It is also what a
 * keyword search is expected to look at (the sandbox emulator searches exactly these fields).
 */
export function myscrmText(content: MyscrmContent): string | null {
  switch (content.__typename) {
    case 'TextContent':
      return content.text;
    case 'FileContent':
      return content.name;
    case 'LinkContent':
      return joinText([content.title, content.description]);
    case 'LocationContent':
      return joinText([content.name, content.address]);
    case 'MyscrmMiniProgram':
      return joinText([content.appName, content.title, content.description]);
    case 'MyscrmRedPacket':
      return content.wish;
    case 'MyscrmContactCard':
      return content.corpName;
    case 'MyscrmSharedDocument':
      return content.title;
    default:
      return null;
  }
}
