/**
 * weizhipin IM records → the unified model. Pure functions, field by field.
 *
 * Content is decided by `msg_type`; `body.content` is a JSON document inside a string (documented)
 * or an object (the vendor's send examples). The formats follow Feishu/Lark, which the platform
 * is modelled on: text `{text, atIdList?}`, image `{image_key}`, rich text
 * `{title, content: [[{tag, …}]]}` (possibly wrapped in a locale key such as `zh_cn`). Anything else
 * is shown as `UnsupportedContent`, never dropped.
 */
import type { Message, SenderRole, UnsupportedContent } from '../../model/index.js';
import { unsupported } from '../../model/index.js';
import { isRecord, joinText, type NormalizeContext, nonEmpty } from '../../normalize/context.js';
import { parseNestedJson, secondsOrMs } from '../../normalize/wire.js';
import type { WeizhipinImMention, WeizhipinImMessage } from './wire.js';

/** Somebody mentioned in a text or rich text; the "-1" id is `@所有人` (everyone). */
export interface WeizhipinMention {
  __typename: 'WeizhipinMention';
  id: string;
  /** `open_id` for the vendor's own mentions; null when it does not say. */
  idType: string | null;
  /** The name as written in the message (without the `@`); null when it cannot be told. */
  name: string | null;
  isAll: boolean;
}

export interface WeizhipinText {
  __typename: 'WeizhipinText';
  /** As received, mentions written out as `@name`. */
  text: string;
  mentions: WeizhipinMention[];
}

/** A picture known by its key only: the vendor hands out no URL with the message. */
export interface WeizhipinImage {
  __typename: 'WeizhipinImage';
  imageKey: string;
}

export interface WeizhipinRichTextText {
  __typename: 'WeizhipinRichTextText';
  text: string;
  /** Lark's `style` list, e.g. `bold`, `italic`. */
  styles: string[];
}

export interface WeizhipinRichTextLink {
  __typename: 'WeizhipinRichTextLink';
  text: string;
  href: string | null;
}

/** An element whose tag the code does not know (`hr`, `code_block`, `emotion`, …). */
export interface WeizhipinRichTextUnknown {
  __typename: 'WeizhipinRichTextUnknown';
  tag: string;
  raw: unknown;
}

export type WeizhipinRichTextElement =
  | WeizhipinRichTextText
  | WeizhipinRichTextLink
  | WeizhipinMention
  | WeizhipinImage
  | WeizhipinRichTextUnknown;

export interface WeizhipinRichTextParagraph {
  elements: WeizhipinRichTextElement[];
}

export interface WeizhipinRichText {
  __typename: 'WeizhipinRichText';
  /** `rich_text` or `new_rich_text`: the same structure as far as the vendor shows. */
  format: string;
  title: string | null;
  paragraphs: WeizhipinRichTextParagraph[];
}

/** A card the platform writes into the chat. */
export interface WeizhipinSystemCard {
  __typename: 'WeizhipinSystemCard';
  title: string | null;
  /** The card's wording; "" when it has none. */
  text: string;
  /** The card document as received. */
  card: unknown;
}

export type WeizhipinContent =
  | WeizhipinText
  | WeizhipinImage
  | WeizhipinRichText
  | WeizhipinSystemCard
  | UnsupportedContent;

export interface WeizhipinMessage extends Message<WeizhipinContent> {
  vendor: 'WEIZHIPIN';
  /** The vendor's message type as received, e.g. `text`, `new_rich_text`. */
  msgType: string | null;
  rootId: string | null;
  parentId: string | null;
  /** Within a merged forward, the message one level up. */
  upperMessageId: string | null;
  /** The sender edited the message. */
  updated: boolean;
  /** Epoch ms of the last edit (the vendor repeats `create_time` when there was none). */
  updatedAt: number | null;
  /** The vendor's `chat_id` (documented as "the group it belongs to"; null in one-to-one chats). */
  chatId: string | null;
  /** `sender.id_type`: what kind of id `sender.externalId` is (open_id, union_id, user_id). */
  senderIdType: string | null;
  /** `sender.tenant_key`: the tenant the sender belongs to. */
  senderTenantKey: string | null;
}

/** A mention as the text writes it: `@name` at the start or after white space. */
const WRITTEN_MENTION = /(?:^|\s)@(\S+)/g;

/** The vendor's own mention id for "everyone". */
export const MENTION_ALL_ID = '-1';
const MENTION_ALL_IDS = new Set([MENTION_ALL_ID, 'all', '@_all']);

export function normalizeWeizhipinMessage(
  record: WeizhipinImMessage,
  raw: unknown,
  ctx: NormalizeContext,
): WeizhipinMessage {
  const content = weizhipinContent(record);
  return {
    vendor: 'WEIZHIPIN',
    source: ctx.source,
    conversation: ctx.conversation,
    externalId: record.message_id,
    sentAt: secondsOrMs(record.create_time),
    sender: {
      role: senderRole(record, ctx),
      externalId: nonEmpty(record.sender?.id),
      displayName: null,
      avatarUrl: null,
    },
    kind: KIND_BY_TYPENAME[content.__typename],
    text: weizhipinText(content),
    recalled: record.deleted === true,
    content,
    raw,
    msgType: nonEmpty(record.msg_type),
    rootId: nonEmpty(record.root_id),
    parentId: nonEmpty(record.parent_id),
    upperMessageId: nonEmpty(record.upper_message_id),
    updated: record.updated === true,
    updatedAt: record.update_time != null && record.update_time > 0 ? secondsOrMs(record.update_time) : null,
    chatId: nonEmpty(record.chat_id),
    senderIdType: nonEmpty(record.sender?.idType),
    senderTenantKey: nonEmpty(record.sender?.tenantKey),
  };
}

/**
 * The sample sends `senderType: "IM机器人"` for the app's bot; Lark's values are `app`, `user`,
 * `system`. A chat here is always between one user and the app's bot, so `user` is the customer.
 */
function senderRole(record: WeizhipinImMessage, ctx: NormalizeContext): SenderRole {
  // The values the vendor is seen to send, as they are: no new string per message to compare.
  const sent = record.sender?.senderType;
  const known = sent === undefined || sent === null ? undefined : ROLE_BY_SENT_TYPE.get(sent);
  if (known !== undefined) return known;
  const type = sent?.trim().toLowerCase() ?? '';
  if (type === 'app' || type === 'bot' || type.includes('机器人')) return 'BOT';
  if (type === 'user' || type === '用户') return 'CUSTOMER';
  if (type === 'system' || type === '系统') return 'SYSTEM';
  ctx.warn('unknown sender type', {
    messageId: record.message_id,
    senderType: record.sender?.senderType ?? null,
  });
  return 'UNKNOWN';
}

/** `senderRole`'s verdicts on the exact values seen (the sample's, the emulator's, Lark's). */
export const ROLE_BY_SENT_TYPE: ReadonlyMap<string, SenderRole> = new Map([
  ['IM机器人', 'BOT'],
  ['app', 'BOT'],
  ['bot', 'BOT'],
  ['user', 'CUSTOMER'],
  ['用户', 'CUSTOMER'],
  ['system', 'SYSTEM'],
  ['系统', 'SYSTEM'],
]);

const KIND_BY_TYPENAME = {
  WeizhipinText: 'TEXT',
  WeizhipinImage: 'IMAGE',
  WeizhipinRichText: 'RICH_TEXT',
  WeizhipinSystemCard: 'SYSTEM',
  UnsupportedContent: 'UNSUPPORTED',
} as const satisfies Record<WeizhipinContent['__typename'], Message['kind']>;

export function weizhipinContent(record: WeizhipinImMessage): WeizhipinContent {
  const received = record.body?.content ?? null;
  const doc = parseNestedJson(received);
  const msgType = nonEmpty(record.msg_type) ?? 'missing';
  if (!isRecord(doc)) return unsupported(msgType, received);
  switch (msgType) {
    case 'text':
      return typeof doc.text === 'string'
        ? text(doc.text, doc.atIdList, record.mentions ?? [])
        : unsupported(msgType, doc);
    case 'image': {
      const imageKey = nonEmpty(doc.image_key);
      return imageKey ? { __typename: 'WeizhipinImage', imageKey } : unsupported(msgType, doc);
    }
    case 'rich_text':
    case 'new_rich_text':
    case 'post':
      return richText(msgType, doc) ?? unsupported(msgType, doc);
    case 'system_card':
      return systemCard(doc);
    default:
      return unsupported(msgType, doc);
  }
}

/**
 * Resolves a text's mentions. The vendor lists the mentioned ids in `atIdList` (in the order they
 * appear) and in the record's `mentions` (with their id type) but gives no names: the names are
 * the `@name` words of the text, in the same order, so they are paired when the counts agree.
 * Lark's own format (placeholder `key`s such as `@_user_1` with a `name`) is resolved as well.
 */
function text(raw: string, atIdList: unknown, recordMentions: WeizhipinImMention[]): WeizhipinText {
  let rendered = raw;
  for (const mention of recordMentions) {
    if (mention.key && mention.name) rendered = rendered.split(mention.key).join(`@${mention.name}`);
  }
  const ids = Array.isArray(atIdList)
    ? atIdList
        .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number')
        .map(String)
    : [];
  for (const mention of recordMentions) if (!ids.includes(mention.id)) ids.push(mention.id);

  // Most texts mention nobody: no `@`, no match to look for.
  const written = rendered.includes('@')
    ? [...rendered.matchAll(WRITTEN_MENTION)].map((match) => match[1] as string)
    : [];
  const pairNames = written.length === ids.length;
  const mentions = ids.map((id, index): WeizhipinMention => {
    const fromRecord = recordMentions.find((mention) => mention.id === id);
    return mention(
      id,
      fromRecord?.idType ?? null,
      fromRecord?.name ?? (pairNames ? (written[index] ?? null) : null),
    );
  });
  return { __typename: 'WeizhipinText', text: rendered, mentions };
}

function mention(id: string, idType: string | null, name: string | null): WeizhipinMention {
  const isAll = MENTION_ALL_IDS.has(id);
  return { __typename: 'WeizhipinMention', id, idType, name: name ?? (isAll ? '所有人' : null), isAll };
}

/** `{title, content}`, or the same inside a locale key (`zh_cn`, `en_us`, …) or one more `content`. */
function richTextBody(doc: Record<string, unknown>): Record<string, unknown> | null {
  if (Array.isArray(doc.content)) return doc;
  if (isRecord(doc.content) && Array.isArray(doc.content.content)) return doc.content;
  const locales = ['zh_cn', 'en_us', ...Object.keys(doc)];
  for (const locale of locales) {
    const inner = doc[locale];
    if (isRecord(inner) && Array.isArray(inner.content)) return inner;
  }
  return null;
}

function richText(format: string, doc: Record<string, unknown>): WeizhipinRichText | null {
  const body = richTextBody(doc);
  if (!body) return null;
  const paragraphs = (body.content as unknown[]).map((paragraph) => ({
    elements: (Array.isArray(paragraph) ? paragraph : [paragraph]).map(richTextElement),
  }));
  return { __typename: 'WeizhipinRichText', format, title: nonEmpty(body.title), paragraphs };
}

function richTextElement(element: unknown): WeizhipinRichTextElement {
  if (!isRecord(element)) return { __typename: 'WeizhipinRichTextUnknown', tag: 'missing', raw: element };
  const tag = nonEmpty(element.tag) ?? 'missing';
  switch (tag) {
    case 'text':
      if (typeof element.text !== 'string') break;
      return {
        __typename: 'WeizhipinRichTextText',
        text: element.text,
        styles: Array.isArray(element.style)
          ? element.style.filter((style): style is string => typeof style === 'string')
          : [],
      };
    case 'a': {
      const href = nonEmpty(element.href);
      const label = typeof element.text === 'string' ? element.text : (href ?? '');
      return { __typename: 'WeizhipinRichTextLink', text: label, href };
    }
    case 'at': {
      const id = nonEmpty(element.user_id) ?? nonEmpty(element.id);
      if (!id) break;
      return mention(id, nonEmpty(element.id_type), nonEmpty(element.user_name) ?? nonEmpty(element.name));
    }
    case 'img': {
      const imageKey = nonEmpty(element.image_key);
      if (!imageKey) break;
      return { __typename: 'WeizhipinImage', imageKey };
    }
  }
  return { __typename: 'WeizhipinRichTextUnknown', tag, raw: element };
}

function systemCard(doc: Record<string, unknown>): WeizhipinSystemCard {
  const wording = [doc.text, doc.content, doc.template].find((value) => nonEmpty(value) !== null);
  return {
    __typename: 'WeizhipinSystemCard',
    title: nonEmpty(doc.title),
    text: typeof wording === 'string' ? wording : '',
    card: doc,
  };
}

function elementText(element: WeizhipinRichTextElement): string {
  switch (element.__typename) {
    case 'WeizhipinRichTextText':
      return element.text;
    case 'WeizhipinRichTextLink':
      return element.text || (element.href ?? '');
    case 'WeizhipinMention':
      return `@${element.name ?? element.id}`;
    case 'WeizhipinRichTextUnknown':
      return isRecord(element.raw) && typeof element.raw.text === 'string' ? element.raw.text : '';
    default:
      return '';
  }
}

export function weizhipinText(content: WeizhipinContent): string | null {
  switch (content.__typename) {
    case 'WeizhipinText':
      return nonEmpty(content.text.trim());
    case 'WeizhipinRichText':
      return joinText([
        content.title,
        ...content.paragraphs.map((paragraph) => paragraph.elements.map(elementText).join('')),
      ]);
    case 'WeizhipinSystemCard':
      return joinText([content.title, content.text], ' · ');
    default:
      return null;
  }
}
