/**
 * The myscrm WeCom chat archive (企微会话存档): chats of employees with customers and colleagues.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import type { VendorDefinition } from '../vendor.js';
import { myscrmBench } from './bench.js';
import { type MyscrmSourceConfig, myscrmConfigSchema } from './config.js';
import { myscrmSandbox } from './sandbox/index.js';
import { myscrmTypes } from './schema.js';
import { MyscrmSource } from './source.js';

export const myscrm: VendorDefinition<MyscrmSourceConfig> = {
  id: 'MYSCRM',
  typenames: { conversation: 'MyscrmChat', message: 'MyscrmMessage' },
  documents: [
    '../shared/vendors/myscrm.md',
    'https://nbd-api.myscrm.cn/bff-nbd-qw-openapi/v1/chat-record/pull',
  ],
  secretFields: ['token'],
  configSchema: myscrmConfigSchema,
  createSource: (config, deps) => new MyscrmSource(config, deps),
  graphql: myscrmTypes,
  sandbox: myscrmSandbox,
  bench: myscrmBench,
};
