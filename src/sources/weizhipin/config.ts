/** The configuration of a WEIZHIPIN source, declared once: the type is what the schema reads. */
import { z } from 'zod';
import { baseSourceConfig, type SecretSchema } from '../../config/secret.js';
import {
  WEIZHIPIN_DEFAULT_LOOKBACK_DAYS,
  WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY,
  WEIZHIPIN_MAX_WINDOW_CONCURRENCY,
} from './source.js';
import { WEIZHIPIN_MAX_PAGE_SIZE } from './wire.js';

/** Secrets are read through `secret` (an environment variable's name, resolved when loaded). */
export function weizhipinConfigSchema(secret: SecretSchema) {
  return z.strictObject({
    vendor: z.literal('WEIZHIPIN'),
    ...baseSourceConfig,
    appId: z.string().min(1),
    appSecret: secret,
    /** Whole UTC days searched back from the newest bound when `filter.since` is not given. */
    lookbackDays: z.int().min(1).max(3660).default(WEIZHIPIN_DEFAULT_LOOKBACK_DAYS),
    /**
     * Most windows requested at once. Also the default of `http.maxConcurrency` when it is above
     * the usual 16, so that the windows do not queue for a connection.
     */
    windowConcurrency: z
      .int()
      .min(1)
      .max(WEIZHIPIN_MAX_WINDOW_CONCURRENCY)
      .default(WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY),
    /**
     * `page_size` of every call. At least 2: `message_id` starts a page at the previous page's
     * last message, so a page of one could never move on.
     */
    pageSize: z.int().min(2).max(WEIZHIPIN_MAX_PAGE_SIZE).default(WEIZHIPIN_MAX_PAGE_SIZE),
  });
}

export type WeizhipinSourceConfig = z.output<ReturnType<typeof weizhipinConfigSchema>>;
