/**
 * What `npm run bench` needs of the vendor (see `VendorBench`): its L4 query's content
 * selection, a direct client's credentials, and L3's validate-and-normalize step, built from the
 * source's own wire schemas and normalizer so that L3 is exactly "the gateway minus GraphQL".
 */

import { parseWire } from '../../normalize/wire.js';
import type { VendorBench } from '../vendor.js';
import { myscrmAuthHeaders } from './auth.js';
import type { MyscrmSourceConfig } from './config.js';
import { readChatRecord, readPullResponse } from './fast-wire.js';
import { normalizeMyscrmMessage } from './normalize.js';
import { MyscrmChatRecord, MyscrmChatRecordPullResponse } from './wire.js';

export const myscrmBench: VendorBench<MyscrmSourceConfig> = {
  longConversation: 'sandbox-long',
  contentSelection: `content {
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
  directHeaders: async (config) => myscrmAuthHeaders(config.auth),
  peer: {
    sample: new URL('./sandbox/myscrm.chat-record-pull.sample.json', import.meta.url),
    untyped: [],
    selection:
      'errcode errmsg next_cursor list { chat_record_id sender_id send_time type is_recall text { content } image { oss_url thumb_url } }',
  },
  normalizeAnswer(body, ctx) {
    const response = readPullResponse(body, ctx.source);
    return (response.list ?? []).map((raw, i) =>
      normalizeMyscrmMessage(readChatRecord(raw, ctx.source, `record ${i}`), raw, ctx),
    );
  },
  readAnswer: {
    fast: (body, source) =>
      (readPullResponse(body, source).list ?? []).map((raw, i) => readChatRecord(raw, source, `record ${i}`)),
    zodOnly: (body, source) =>
      (parseWire(MyscrmChatRecordPullResponse, body, source, 'chat-record/pull').list ?? []).map((raw, i) =>
        parseWire(MyscrmChatRecord, raw, source, `record ${i}`),
      ),
  },
};
