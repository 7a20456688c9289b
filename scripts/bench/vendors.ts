/**
 * What the benchmark needs to know per vendor: the conversation it reads, the L4 query's content
 * fragments, the credentials a hand-written client sends (L0–L3 talk to the emulator directly),
 * and the validate-and-normalize step of the L3 backend-for-frontend, built from the same wire
 * schemas and normalizers the sources use so that L3 is exactly "the gateway minus GraphQL".
 */
import { encodeNodeId } from '../../src/ids.js';
import type { Message, Vendor } from '../../src/model/index.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import { normalizeAirudderMessage } from '../../src/sources/airudder/normalize.js';
import { airudderSign } from '../../src/sources/airudder/sign.js';
import type { AirudderSourceConfig } from '../../src/sources/airudder/source.js';
import { AirudderSessionMessage, AirudderSessionMessagesResponse } from '../../src/sources/airudder/wire.js';
import type { SourceConfig } from '../../src/sources/index.js';
import { myscrmAuthHeaders } from '../../src/sources/myscrm/auth.js';
import { normalizeMyscrmMessage } from '../../src/sources/myscrm/normalize.js';
import type { MyscrmSourceConfig } from '../../src/sources/myscrm/source.js';
import { MyscrmChatRecord, MyscrmChatRecordPullResponse } from '../../src/sources/myscrm/wire.js';
import { normalizeWechatStoreMessage } from '../../src/sources/wechat-store/normalize.js';
import type { WechatStoreSourceConfig } from '../../src/sources/wechat-store/source.js';
import { WechatStoreGetRoomMsgResponse, WechatStoreRoomMsg } from '../../src/sources/wechat-store/wire.js';
import { normalizeWeizhipinMessage } from '../../src/sources/weizhipin/normalize.js';
import type { WeizhipinSourceConfig } from '../../src/sources/weizhipin/source.js';
import { WeizhipinImMessage, WeizhipinImMessagesResponse } from '../../src/sources/weizhipin/wire.js';
import { parseWire } from '../../src/sources/wire.js';

export const VENDORS: Vendor[] = ['WECHAT_STORE', 'AIRUDDER', 'WEIZHIPIN', 'MYSCRM'];

/** Every vendor's `sandbox-long`: 5,000+ messages, so a page of 50 is always full. */
export const LONG_CONVERSATION: Record<Vendor, string> = {
  WECHAT_STORE: 'sandbox-long',
  AIRUDDER: 'sandbox-long',
  WEIZHIPIN: 'open_id:sandbox-long',
  MYSCRM: 'sandbox-long',
};

export const conversationNodeId = (vendor: Vendor): string =>
  encodeNodeId({
    kind: 'Conversation',
    source: sandboxSourceName(vendor),
    conversation: LONG_CONVERSATION[vendor],
  });

/**
 * Scalar fields of each content type a vendor's union can hold. Field names shared by several
 * members keep one type (GraphQL's overlapping-fields rule), so `text: String!` members and
 * `text: String` members are aliased apart.
 */
const CONTENT: Record<Vendor, string> = {
  WECHAT_STORE: `content {
        __typename
        ... on TextContent { text }
        ... on ImageContent { url thumbnailUrl width height }
        ... on VideoContent { url thumbnailUrl durationSeconds }
        ... on AudioContent { url durationSeconds transcript }
        ... on WechatStoreSystemNotice { noticeType noticeText: text }
        ... on WechatStoreProductCard { productId title priceText imageUrl }
        ... on WechatStoreOrderCard { orderId stateText priceText }
        ... on UnsupportedContent { vendorType }
      }`,
  AIRUDDER: `content {
        __typename
        ... on TextContent { text }
        ... on ImageContent { url thumbnailUrl expiresAt }
        ... on VideoContent { url durationSeconds }
        ... on AudioContent { url durationSeconds }
        ... on FileContent { url name sizeBytes }
        ... on AirudderPromptAnswer { answer: text }
        ... on AirudderInteractivePrompt { promptType body footer listButtonText }
        ... on AirudderWhatsappTemplate { templateId templateName language category body footer }
        ... on AirudderLineTemplate { templateType title body imageUrl }
        ... on AirudderInstagramTemplate { templateType }
        ... on UnsupportedContent { vendorType }
      }`,
  WEIZHIPIN: `content {
        __typename
        ... on WeizhipinText { text }
        ... on WeizhipinImage { imageKey }
        ... on WeizhipinRichText { title format }
        ... on WeizhipinSystemCard { title cardText: text }
        ... on UnsupportedContent { vendorType }
      }`,
  MYSCRM: `content {
        __typename
        ... on TextContent { text }
        ... on ImageContent { url thumbnailUrl expiresAt }
        ... on VideoContent { url durationSeconds }
        ... on AudioContent { url durationSeconds }
        ... on FileContent { url name sizeBytes }
        ... on StickerContent { url width height }
        ... on LinkContent { url title description }
        ... on LocationContent { latitude longitude address }
        ... on MyscrmMiniProgram { appName title description }
        ... on MyscrmRedPacket { wish totalAmountFen count }
        ... on MyscrmContactCard { corpName userId }
        ... on MyscrmSharedDocument { title url }
        ... on MyscrmConsent { agreed at }
        ... on UnsupportedContent { vendorType }
      }`,
};

const MESSAGE_TYPE: Record<Vendor, string> = {
  WECHAT_STORE: 'WechatStoreMessage',
  AIRUDDER: 'AirudderMessage',
  WEIZHIPIN: 'WeizhipinMessage',
  MYSCRM: 'MyscrmMessage',
};

/** The L4 query: one page of a conversation with what a chat view shows of each message. */
export function pageQuery(vendor: Vendor, first = 50): string {
  return `query Page($id: ID!, $after: String) {
  conversation(id: $id) {
    messages(first: ${first}, after: $after) {
      edges {
        cursor
        node {
          id
          sentAt
          text
          kind
          sender { role displayName }
          ... on ${MESSAGE_TYPE[vendor]} {
      ${CONTENT[vendor]}
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
}

/** The credentials a direct client sends with every call of this vendor (weizhipin: see `token`). */
export function directHeaders(config: SourceConfig, token?: string): Record<string, string> {
  switch (config.vendor) {
    case 'WECHAT_STORE': {
      const c = config as WechatStoreSourceConfig;
      return { cookie: c.cookie, biz_magic: c.bizMagic };
    }
    case 'AIRUDDER': {
      const c = config as AirudderSourceConfig;
      // Today's rule ignores the body; were it to sign it, L0–L3 would sign each recorded call.
      return { ...airudderSign(c, { method: 'POST', path: '', body: '' }) };
    }
    case 'WEIZHIPIN':
      return { authorization: `Bearer ${token ?? ''}` };
    case 'MYSCRM':
      return myscrmAuthHeaders((config as MyscrmSourceConfig).auth);
  }
}

/** Weizhipin's tenant token, fetched once by the direct client as the source's cache does. */
export async function weizhipinToken(config: SourceConfig): Promise<string> {
  const c = config as WeizhipinSourceConfig;
  const response = await fetch(new URL('/open-apis/auth/tenant_access_token/internal', c.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: c.appId, app_secret: c.appSecret }),
  });
  const body = (await response.json()) as { data?: { tenant_access_token?: string } };
  const token = body.data?.tenant_access_token;
  if (!token) throw new Error('weizhipin emulator gave no token');
  return token;
}

const quietCtx = (source: string, conversation: string) => ({
  source,
  conversation,
  fetchedAt: Date.now(),
  warn: () => {},
});

/** L3's work on one vendor answer: the envelope and each record through zod, then the normalizer. */
export function normalizeAnswer(vendor: Vendor, body: unknown, conversation: string): Message[] {
  const source = sandboxSourceName(vendor);
  const ctx = quietCtx(source, conversation);
  switch (vendor) {
    case 'WECHAT_STORE': {
      const response = parseWire(WechatStoreGetRoomMsgResponse, body, source, 'get_room_msg');
      return (response.list ?? []).map((raw, i) =>
        normalizeWechatStoreMessage(parseWire(WechatStoreRoomMsg, raw, source, `record ${i}`), raw, ctx),
      );
    }
    case 'AIRUDDER': {
      const response = parseWire(AirudderSessionMessagesResponse, body, source, 'session/messages');
      return (response.data ?? []).map((raw, i) =>
        normalizeAirudderMessage(parseWire(AirudderSessionMessage, raw, source, `record ${i}`), raw, ctx),
      );
    }
    case 'WEIZHIPIN': {
      const response = parseWire(WeizhipinImMessagesResponse, body, source, 'im/v2/messages');
      return response.data.map((raw, i) =>
        normalizeWeizhipinMessage(parseWire(WeizhipinImMessage, raw, source, `record ${i}`), raw, ctx),
      );
    }
    case 'MYSCRM': {
      const response = parseWire(MyscrmChatRecordPullResponse, body, source, 'chat-record/pull');
      return (response.list ?? []).map((raw, i) =>
        normalizeMyscrmMessage(parseWire(MyscrmChatRecord, raw, source, `record ${i}`), raw, ctx),
      );
    }
  }
}

/** What L3 answers per message: the L4 query's selection, as a REST BFF would shape it. */
export function restShape(message: Message): Record<string, unknown> {
  const { content } = message as Message & { content: unknown };
  return {
    id: message.externalId,
    sentAt: message.sentAt,
    text: message.text,
    kind: message.kind,
    sender: { role: message.sender.role, displayName: message.sender.displayName },
    content,
  };
}
