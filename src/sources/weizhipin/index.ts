/**
 * weizhipin IM: one-to-one chats between users and an app's bot.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import type { VendorDefinition } from '../vendor.js';
import { weizhipinBench } from './bench.js';
import { type WeizhipinSourceConfig, weizhipinConfigSchema } from './config.js';
import { weizhipinSandbox } from './sandbox/index.js';
import { weizhipinTypes } from './schema.js';
import { WeizhipinSource } from './source.js';

export const weizhipin: VendorDefinition<WeizhipinSourceConfig> = {
  id: 'WEIZHIPIN',
  typenames: { conversation: 'WeizhipinChat', message: 'WeizhipinMessage' },
  documents: ['../shared/vendors/weizhipin.md', 'https://hi-gw.weizhipin.com/open-apis/im/v2/messages'],
  secretFields: ['appSecret'],
  configSchema: weizhipinConfigSchema,
  createSource: (config, deps) => new WeizhipinSource(config, deps),
  graphql: weizhipinTypes,
  sandbox: weizhipinSandbox,
  bench: weizhipinBench,
};
