/**
 * The myscrm WeCom chat archive (企微会话存档): chats of employees with customers and colleagues.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import { z } from 'zod';
import { baseSourceConfig } from '../../config/secret.js';
import type { VendorDefinition } from '../vendor.js';
import { myscrmAuthSchema } from './auth.js';
import { myscrmBench } from './bench.js';
import { myscrmSandbox } from './sandbox/index.js';
import { myscrmTypes } from './schema.js';
import { MYSCRM_MAX_PAGE, MyscrmSource, type MyscrmSourceConfig } from './source.js';

export const myscrm: VendorDefinition<MyscrmSourceConfig> = {
  id: 'MYSCRM',
  typenames: { conversation: 'MyscrmChat', message: 'MyscrmMessage' },
  documents: [
    '../shared/vendors/myscrm.md',
    'https://nbd-api.myscrm.cn/bff-nbd-qw-openapi/v1/chat-record/pull',
  ],
  secretFields: ['token'],
  configSchema: (secret) =>
    z.strictObject({
      vendor: z.literal('MYSCRM'),
      ...baseSourceConfig,
      /** 企微中台应用 id: not a secret, it names the application. */
      appId: z.string().min(1).max(128),
      auth: myscrmAuthSchema(secret),
      pageSize: z.int().min(1).max(MYSCRM_MAX_PAGE).default(50),
      /** Passed as `thumb_option` (an Aliyun OSS image process), e.g. `image/resize,w_106`. */
      thumbOption: z.string().min(1).max(200).optional(),
    }),
  createSource: (config, deps) => new MyscrmSource(config, deps),
  graphql: myscrmTypes,
  sandbox: myscrmSandbox,
  bench: myscrmBench,
};
