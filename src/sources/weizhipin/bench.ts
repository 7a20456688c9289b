/**
 * What `npm run bench` needs of the vendor (see `VendorBench`): its L4 query's content
 * selection, a direct client's credentials, and L3's validate-and-normalize step, built from the
 * source's own wire schemas and normalizer so that L3 is exactly "the gateway minus GraphQL".
 */

import { parseWire } from '../../normalize/wire.js';
import type { VendorBench } from '../vendor.js';
import type { WeizhipinSourceConfig } from './config.js';
import { normalizeWeizhipinMessage } from './normalize.js';
import { WeizhipinImMessage, WeizhipinImMessagesResponse } from './wire.js';

export const weizhipinBench: VendorBench<WeizhipinSourceConfig> = {
  longConversation: 'open_id:sandbox-long',
  contentSelection: `content {
    __typename
    ... on WeizhipinText { text }
    ... on WeizhipinImage { imageKey }
    ... on WeizhipinRichText { title format }
    ... on WeizhipinSystemCard { title cardText: text }
    ... on UnsupportedContent { vendorType }
  }`,
  // The tenant token, fetched once by the direct client as the source's cache does.
  async directHeaders(config) {
    const response = await fetch(new URL('/open-apis/auth/tenant_access_token/internal', config.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: config.appId, app_secret: config.appSecret }),
    });
    const body = (await response.json()) as { data?: { tenant_access_token?: string } };
    const token = body.data?.tenant_access_token;
    if (!token) throw new Error('weizhipin emulator gave no token');
    return { authorization: `Bearer ${token}` };
  },
  normalizeAnswer(body, ctx) {
    const response = parseWire(WeizhipinImMessagesResponse, body, ctx.source, 'im/v2/messages');
    return response.data.map((raw, i) =>
      normalizeWeizhipinMessage(parseWire(WeizhipinImMessage, raw, ctx.source, `record ${i}`), raw, ctx),
    );
  },
};
