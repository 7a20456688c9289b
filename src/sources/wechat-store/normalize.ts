/**
 * WeChat Shop customer-service records → the unified model. Pure functions, field by field.
 *
 * What decides the content: `msg_kf_content` is a JSON document inside a string. Its inner `type`
 * (a number or a numeric string for cards, a name such as "EndRoom" for system notices) wins over
 * the record's `msg_type`, because the vendor reuses `msg_type` values across card kinds.
 * Known `msg_type`s: 1 text, 3 image, 34 voice, 43 video (WeChat's own numbering), 5 and 24
 * system notices; everything else is shown as `UnsupportedContent`.
 */
import type {
  AudioContent,
  ImageContent,
  Message,
  SenderRole,
  TextContent,
  UnsupportedContent,
  VideoContent,
} from '../../model/index.js';
import { unsupported } from '../../model/index.js';
import {
  enumMap,
  finite,
  idText,
  isRecord,
  joinText,
  type NormalizeContext,
  nonEmpty,
} from '../../normalize/context.js';
import { parseNestedJson } from '../../normalize/wire.js';
import { readExtraInfo } from './fast-wire.js';
import type { WechatStoreRoomMsg } from './wire.js';

export interface WechatStoreSystemNotice {
  __typename: 'WechatStoreSystemNotice';
  /** The vendor's notice type, e.g. `EndRoom`, `SessionTimeoutRedDot`. */
  noticeType: string;
  /** The notice as the platform words it; "" when it sent none. */
  text: string;
}

export interface WechatStoreProductCard {
  __typename: 'WechatStoreProductCard';
  productId: string | null;
  title: string | null;
  imageUrl: string | null;
  priceText: string | null;
}

export interface WechatStoreOrderProduct {
  productId: string | null;
  title: string | null;
  imageUrl: string | null;
  quantity: number | null;
}

export interface WechatStoreOrderCard {
  __typename: 'WechatStoreOrderCard';
  orderId: string | null;
  /** The vendor's wording of the order state, e.g. 待发货. */
  stateText: string | null;
  priceText: string | null;
  products: WechatStoreOrderProduct[];
}

export type WechatStoreContent =
  | TextContent
  | ImageContent
  | VideoContent
  | AudioContent
  | WechatStoreSystemNotice
  | WechatStoreProductCard
  | WechatStoreOrderCard
  | UnsupportedContent;

export interface WechatStoreMessage extends Message<WechatStoreContent> {
  vendor: 'WECHAT_STORE';
  /** The customer-service session within the room; null on system notices (vendor "0"). */
  sessionId: string | null;
  /** `is_delete`; null when the vendor did not say. */
  deleted: boolean | null;
  /** `is_fail`: the message was not delivered. */
  failed: boolean | null;
  /** `is_hit_spam`: the platform's spam filter stopped it. */
  spamBlocked: boolean | null;
  /** `accept_by_robot`: the shop's robot handled it (a shop-side one is sent by the `BOT`). */
  acceptedByRobot: boolean | null;
  /** `reply_type` as the vendor numbers it (undocumented). */
  replyType: number | null;
  /** `qa_info_list` (on the record or in `extra_info`) as sent; null when absent. */
  qaInfo: unknown[] | null;
}

const roleByDirection = enumMap<SenderRole>({ 1: 'CUSTOMER', 2: 'AGENT', 3: 'SYSTEM' });

const MSG_TYPE_TEXT = 1;
const MSG_TYPE_IMAGE = 3;
const MSG_TYPE_VOICE = 34;
const MSG_TYPE_VIDEO = 43;
const INNER_PRODUCT_CARD = '13';
const INNER_ORDER_CARD = '14';

export function normalizeWechatStoreMessage(
  record: WechatStoreRoomMsg,
  raw: unknown,
  ctx: NormalizeContext,
): WechatStoreMessage {
  let role = roleByDirection(record.msg_direction);
  if (role === 'UNKNOWN') {
    ctx.warn('unknown msg_direction', { msgId: record.msg_id, msgDirection: record.msg_direction });
  }
  const robot = flagOf(record.accept_by_robot);
  // A shop-side message the robot sent is the bot's, not an agent's.
  if (role === 'AGENT' && robot === true) role = 'BOT';
  const content = wechatStoreContent(record);
  // System notices carry the customer's identity in `send_openid` / `extra_info`, but the
  // platform wrote them: attributing them to the customer would mislead a transcript reader.
  const attributed = role !== 'SYSTEM';
  // `extra_info` is a JSON document to parse: only when its names or its `qa_info_list` are used.
  const extra =
    attributed || record.qa_info_list == null ? readExtraInfo(parseNestedJson(record.extra_info)) : undefined;
  return {
    vendor: 'WECHAT_STORE',
    source: ctx.source,
    conversation: ctx.conversation,
    externalId: record.msg_id,
    sentAt: sentAtMs(record),
    sender: {
      role,
      // Every shop-side record's `send_openid` is the shop's account: the agent's own is
      // `send_open_account`, so agents can be told apart.
      externalId: attributed
        ? ((role === 'AGENT' || role === 'BOT' ? nonEmpty(record.send_open_account) : null) ??
          nonEmpty(record.send_openid))
        : null,
      displayName: attributed && extra ? nonEmpty(extra.nickname) : null,
      avatarUrl: attributed && extra ? nonEmpty(extra.head_img) : null,
    },
    kind: KIND_BY_TYPENAME[content.__typename],
    text: wechatStoreText(content),
    recalled: flagOf(record.is_revoked) === true,
    content,
    raw,
    sessionId: record.session_id && record.session_id !== '0' ? record.session_id : null,
    deleted: flagOf(record.is_delete),
    failed: flagOf(record.is_fail),
    spamBlocked: flagOf(record.is_hit_spam),
    acceptedByRobot: robot,
    replyType: record.reply_type ?? null,
    qaInfo: record.qa_info_list ?? extra?.qa_info_list ?? null,
  };
}

function flagOf(value: number | boolean | undefined): boolean | null {
  if (value === undefined) return null;
  return value === true || value === 1;
}

function sentAtMs(record: WechatStoreRoomMsg): number {
  if (record.create_time_ms !== undefined && record.create_time_ms > 0) return record.create_time_ms;
  return (record.create_time ?? 0) * 1000;
}

const KIND_BY_TYPENAME = {
  TextContent: 'TEXT',
  ImageContent: 'IMAGE',
  VideoContent: 'VIDEO',
  AudioContent: 'AUDIO',
  WechatStoreSystemNotice: 'SYSTEM',
  WechatStoreProductCard: 'CARD',
  WechatStoreOrderCard: 'CARD',
  UnsupportedContent: 'UNSUPPORTED',
} as const satisfies Record<WechatStoreContent['__typename'], Message['kind']>;

export function wechatStoreContent(record: WechatStoreRoomMsg): WechatStoreContent {
  const doc = parseNestedJson(record.msg_kf_content);
  const msgType = record.msg_type;
  const vendorType = `msg_type:${msgType ?? 'missing'}`;
  if (!isRecord(doc)) return unsupported(vendorType, record.msg_kf_content ?? null);

  const innerType = typeof doc.type === 'number' || typeof doc.type === 'string' ? String(doc.type) : null;
  if (innerType === INNER_PRODUCT_CARD) return productCard(doc);
  if (innerType === INNER_ORDER_CARD) return orderCard(doc);
  if ((innerType !== null && !/^\d+$/.test(innerType)) || record.msg_direction === 3) {
    return {
      __typename: 'WechatStoreSystemNotice',
      noticeType: innerType ?? vendorType,
      text: typeof doc.content === 'string' ? doc.content : '',
    };
  }
  switch (msgType) {
    case MSG_TYPE_TEXT:
      return typeof doc.content === 'string'
        ? { __typename: 'TextContent', text: doc.content }
        : unsupported(vendorType, doc);
    case MSG_TYPE_IMAGE:
      return image(doc);
    case MSG_TYPE_VOICE:
      return {
        __typename: 'AudioContent',
        url: uri(doc.voice_uri),
        durationSeconds: finite(doc.play_length),
        transcript: nonEmpty(doc.translated_word),
        expiresAt: null,
      };
    case MSG_TYPE_VIDEO:
      return {
        __typename: 'VideoContent',
        url: uri(doc.video_uri),
        thumbnailUrl: uri(doc.cover_uri),
        durationSeconds: finite(doc.play_length),
        expiresAt: null,
      };
    default:
      return unsupported(innerType ?? vendorType, doc);
  }
}

/** A media address: either a URL string or `{ url }`. */
function uri(value: unknown): string | null {
  if (isRecord(value)) return nonEmpty(value.url);
  return nonEmpty(value);
}

function image(doc: Record<string, unknown>): ImageContent {
  // Largest first for the picture, smallest for the thumbnail.
  const sizes = [doc.ori_img, doc.hd_img, doc.ld_img].filter(isRecord);
  const largest = sizes.find((size) => uri(size.img_uri) !== null);
  const smallest = [...sizes].reverse().find((size) => uri(size.img_uri) !== null);
  return {
    __typename: 'ImageContent',
    url: largest ? uri(largest.img_uri) : null,
    thumbnailUrl: smallest ? uri(smallest.img_uri) : null,
    width: largest ? finite(largest.width) : null,
    height: largest ? finite(largest.height) : null,
    expiresAt: null,
  };
}

/** Card payloads nest one more JSON document in `content`. */
function cardDoc(doc: Record<string, unknown>): Record<string, unknown> {
  const inner = parseNestedJson(doc.content);
  return isRecord(inner) ? inner : doc;
}

function productCard(doc: Record<string, unknown>): WechatStoreProductCard {
  const card = cardDoc(doc);
  return {
    __typename: 'WechatStoreProductCard',
    productId: idText(card.product_id),
    title: nonEmpty(card.product_title),
    imageUrl: nonEmpty(card.product_img) ?? nonEmpty(card.img_url),
    priceText: nonEmpty(card.price_wording),
  };
}

function orderCard(doc: Record<string, unknown>): WechatStoreOrderCard {
  const card = cardDoc(doc);
  const products = Array.isArray(card.products) ? card.products.filter(isRecord) : [];
  return {
    __typename: 'WechatStoreOrderCard',
    orderId: idText(card.order_id),
    stateText: nonEmpty(card.state_wording),
    priceText: nonEmpty(card.price_wording),
    products: products.map((product) => ({
      productId: idText(product.product_id),
      title: nonEmpty(product.product_title) ?? nonEmpty(product.title),
      imageUrl: nonEmpty(product.product_img) ?? nonEmpty(product.img_url),
      quantity: finite(product.product_cnt) ?? finite(product.quantity),
    })),
  };
}

export function wechatStoreText(content: WechatStoreContent): string | null {
  switch (content.__typename) {
    case 'TextContent':
      return content.text;
    case 'WechatStoreSystemNotice':
      return content.text || null;
    case 'AudioContent':
      return content.transcript;
    case 'WechatStoreProductCard':
      return joinText([content.title, content.priceText], ' · ');
    case 'WechatStoreOrderCard':
      return joinText(
        [content.stateText, ...content.products.map((product) => product.title), content.priceText],
        ' · ',
      );
    default:
      return null;
  }
}
