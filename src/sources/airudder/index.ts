/**
 * AIRUDDER chatbot sessions on WhatsApp, Instagram and Line.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import type { VendorDefinition } from '../vendor.js';
import { airudderBench } from './bench.js';
import { type AirudderSourceConfig, airudderConfigSchema } from './config.js';
import { airudderSandbox } from './sandbox/index.js';
import { airudderTypes } from './schema.js';
import { AirudderSource } from './source.js';
import { airudderWebhookConversation } from './webhook.js';

export const airudder: VendorDefinition<AirudderSourceConfig> = {
  id: 'AIRUDDER',
  typenames: { conversation: 'AirudderSession', message: 'AirudderMessage' },
  documents: ['../shared/vendors/airudder.md', 'https://api.airudder.com/api/v1/session/messages'],
  secretFields: ['signKey', 'sign'],
  configSchema: airudderConfigSchema,
  createSource: (config, deps) => new AirudderSource(config, deps),
  graphql: airudderTypes,
  sandbox: airudderSandbox,
  bench: airudderBench,
  webhook: airudderWebhookConversation,
};
