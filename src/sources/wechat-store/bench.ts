/**
 * What `npm run bench` needs of the vendor (see `VendorBench`): its L4 query's content
 * selection, a direct client's credentials, and L3's validate-and-normalize step, built from the
 * source's own wire schemas and normalizer so that L3 is exactly "the gateway minus GraphQL".
 */

import { parseWire } from '../../normalize/wire.js';
import type { VendorBench } from '../vendor.js';
import type { WechatStoreSourceConfig } from './config.js';
import { readGetRoomMsgResponse, readRoomMsg } from './fast-wire.js';
import { normalizeWechatStoreMessage } from './normalize.js';
import { WechatStoreGetRoomMsgResponse, WechatStoreRoomMsg } from './wire.js';

export const wechatStoreBench: VendorBench<WechatStoreSourceConfig> = {
  longConversation: 'sandbox-long',
  contentSelection: `content {
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
  directHeaders: async (config) => ({ cookie: config.cookie, biz_magic: config.bizMagic }),
  peer: {
    sample: new URL('./sandbox/wechat-store.get_room_msg.sample.json', import.meta.url),
    untyped: [],
    selection:
      'base_resp { ret err_msg } list { msg_id create_time_ms msg_type msg_direction send_openid extra_info msg_kf_content is_revoked }',
  },
  normalizeAnswer(body, ctx) {
    const response = readGetRoomMsgResponse(body, ctx.source);
    return (response.list ?? []).map((raw, i) =>
      normalizeWechatStoreMessage(readRoomMsg(raw, ctx.source, `record ${i}`), raw, ctx),
    );
  },
  readAnswer: {
    fast: (body, source) =>
      (readGetRoomMsgResponse(body, source).list ?? []).map((raw, i) =>
        readRoomMsg(raw, source, `record ${i}`),
      ),
    zodOnly: (body, source) =>
      (parseWire(WechatStoreGetRoomMsgResponse, body, source, 'get_room_msg').list ?? []).map((raw, i) =>
        parseWire(WechatStoreRoomMsg, raw, source, `record ${i}`),
      ),
  },
};
