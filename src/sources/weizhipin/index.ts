/**
 * weizhipin IM: one-to-one chats between users and an app's bot.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import { z } from 'zod';
import { baseSourceConfig } from '../../config/secret.js';
import type { VendorDefinition } from '../vendor.js';
import { weizhipinBench } from './bench.js';
import { weizhipinSandbox } from './sandbox/index.js';
import { weizhipinTypes } from './schema.js';
import {
  WEIZHIPIN_DEFAULT_LOOKBACK_DAYS,
  WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY,
  WEIZHIPIN_MAX_WINDOW_CONCURRENCY,
  WeizhipinSource,
  type WeizhipinSourceConfig,
} from './source.js';
import { WEIZHIPIN_MAX_PAGE_SIZE } from './wire.js';

export const weizhipin: VendorDefinition<WeizhipinSourceConfig> = {
  id: 'WEIZHIPIN',
  typenames: { conversation: 'WeizhipinChat', message: 'WeizhipinMessage' },
  documents: ['../shared/vendors/weizhipin.md', 'https://hi-gw.weizhipin.com/open-apis/im/v2/messages'],
  secretFields: ['appSecret'],
  configSchema: (secret) =>
    z.strictObject({
      vendor: z.literal('WEIZHIPIN'),
      ...baseSourceConfig,
      appId: z.string().min(1),
      appSecret: secret,
      lookbackDays: z.int().min(1).max(3660).default(WEIZHIPIN_DEFAULT_LOOKBACK_DAYS),
      windowConcurrency: z
        .int()
        .min(1)
        .max(WEIZHIPIN_MAX_WINDOW_CONCURRENCY)
        .default(WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY),
      // At least 2: `message_id` starts a page at the previous page's last message, so a page of
      // one could never move on.
      pageSize: z.int().min(2).max(WEIZHIPIN_MAX_PAGE_SIZE).default(WEIZHIPIN_MAX_PAGE_SIZE),
    }),
  createSource: (config, deps) => new WeizhipinSource(config, deps),
  graphql: weizhipinTypes,
  sandbox: weizhipinSandbox,
  bench: weizhipinBench,
};
