/**
 * What `npm run bench` needs of the vendor (see `VendorBench`): its L4 query's content
 * selection, a direct client's credentials, and L3's validate-and-normalize step, built from the
 * source's own wire schemas and normalizer so that L3 is exactly "the gateway minus GraphQL".
 */
import { silentLogger } from '../../logger.js';
import { parseWire } from '../../normalize/wire.js';
import { createSourceHttp } from '../http.js';
import type { VendorBench } from '../vendor.js';
import { WeizhipinClient } from './client.js';
import type { WeizhipinSourceConfig } from './config.js';
import { readImMessage, readMessagesResponse } from './fast-wire.js';
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
  // The tenant token, fetched once by the direct client through the source's own token call.
  async directHeaders(config) {
    const { http, close } = createSourceHttp(config, { logger: silentLogger() });
    try {
      const credentials = { appId: config.appId, appSecret: config.appSecret };
      const { token } = await new WeizhipinClient({
        source: config.name,
        http,
        credentials,
      }).tenantAccessToken();
      return { authorization: `Bearer ${token}` };
    } finally {
      await close();
    }
  },
  // `body.content` is a JSON string or an object (the emulator sends both); the sample spells
  // `sender` in camelCase, the emulator in snake case, so the peer's schema has no sender.
  peer: {
    sample: new URL('./sandbox/weizhipin.im-v2-messages.sample.json', import.meta.url),
    untyped: ['data.body.content'],
    selection:
      'code msg data { message_id msg_type create_time update_time deleted updated body { content } }',
  },
  normalizeAnswer(body, ctx) {
    return readMessagesResponse(body, ctx.source).data.map((raw, i) =>
      normalizeWeizhipinMessage(readImMessage(raw, ctx.source, `record ${i}`), raw, ctx),
    );
  },
  readAnswer: {
    fast: (body, source) =>
      readMessagesResponse(body, source).data.map((raw, i) => readImMessage(raw, source, `record ${i}`)),
    zodOnly: (body, source) =>
      parseWire(WeizhipinImMessagesResponse, body, source, 'im/v2/messages').data.map((raw, i) =>
        parseWire(WeizhipinImMessage, raw, source, `record ${i}`),
      ),
  },
};
