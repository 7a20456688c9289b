/**
 * What `npm run bench` needs of the vendor (see `VendorBench`): its L4 query's content
 * selection, a direct client's credentials, and L3's validate-and-normalize step, built from the
 * source's own wire schemas and normalizer so that L3 is exactly "the gateway minus GraphQL".
 */

import { parseWire } from '../../normalize/wire.js';
import type { VendorBench } from '../vendor.js';
import type { AirudderSourceConfig } from './config.js';
import { readAirudderSessionMessage, readAirudderSessionMessagesResponse } from './fast-wire.js';
import { normalizeAirudderMessage } from './normalize.js';
import { airudderSign } from './sign.js';
import { AirudderSessionMessage, AirudderSessionMessagesResponse } from './wire.js';

export const airudderBench: VendorBench<AirudderSourceConfig> = {
  longConversation: 'sandbox-long',
  contentSelection: `content {
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
  // Today's rule ignores the body; were it to sign it, L0–L3 would sign each recorded call.
  directHeaders: async (config) => ({ ...airudderSign(config, { method: 'POST', path: '', body: '' }) }),
  peer: {
    sample: new URL('./sandbox/airudder.session-messages.sample.json', import.meta.url),
    untyped: [],
    selection: 'code message data { msg_id status sender_type timestamp content { type text } }',
  },
  normalizeAnswer(body, ctx) {
    // As the client reads it: the fast path, zod behind it.
    const response = readAirudderSessionMessagesResponse(body, ctx.source);
    return (response.data ?? []).map((raw, i) =>
      normalizeAirudderMessage(readAirudderSessionMessage(raw, ctx.source, i), raw, ctx),
    );
  },
  readAnswer: {
    fast: (body, source) =>
      (readAirudderSessionMessagesResponse(body, source).data ?? []).map((raw, i) =>
        readAirudderSessionMessage(raw, source, i),
      ),
    zodOnly: (body, source) =>
      (parseWire(AirudderSessionMessagesResponse, body, source, 'session/messages').data ?? []).map(
        (raw, i) => parseWire(AirudderSessionMessage, raw, source, `session/messages record ${i}`),
      ),
  },
};
