/**
 * AIRUDDER chatbot sessions on WhatsApp, Instagram and Line.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import { z } from 'zod';
import { baseSourceConfig } from '../../config/secret.js';
import type { VendorDefinition } from '../vendor.js';
import { airudderBench } from './bench.js';
import { airudderSandbox } from './sandbox/index.js';
import { airudderTypes } from './schema.js';
import { AIRUDDER_MAX_PAGE, AirudderSource, type AirudderSourceConfig } from './source.js';
import { airudderWebhookConversation } from './webhook.js';

export const airudder: VendorDefinition<AirudderSourceConfig> = {
  id: 'AIRUDDER',
  typenames: { conversation: 'AirudderSession', message: 'AirudderMessage' },
  documents: ['../shared/vendors/airudder.md', 'https://api.airudder.com/api/v1/session/messages'],
  secretFields: ['signKey', 'sign'],
  configSchema: (secret) =>
    z.strictObject({
      vendor: z.literal('AIRUDDER'),
      ...baseSourceConfig,
      signKey: secret,
      // The vendor's own example sends an empty `X-AIRudder-Sign`: leave it out to do the same.
      sign: secret.optional().transform((value) => value ?? ''),
      pageSize: z.int().min(1).max(AIRUDDER_MAX_PAGE).default(AIRUDDER_MAX_PAGE),
    }),
  createSource: (config, deps) => new AirudderSource(config, deps),
  graphql: airudderTypes,
  sandbox: airudderSandbox,
  bench: airudderBench,
  webhook: airudderWebhookConversation,
};
