/** The configuration of a WECHAT_STORE source, declared once: the type is what the schema reads. */
import { z } from 'zod';
import { baseSourceConfig, type SecretSchema } from '../../config/secret.js';
import { WECHAT_STORE_MAX_PAGE } from './source.js';

/** Secrets are read through `secret` (an environment variable's name, resolved when loaded). */
export function wechatStoreConfigSchema(secret: SecretSchema) {
  return z.strictObject({
    vendor: z.literal('WECHAT_STORE'),
    ...baseSourceConfig,
    cookie: secret,
    bizMagic: secret,
    /** Largest `limit` sent to the vendor. */
    pageSize: z.int().min(1).max(WECHAT_STORE_MAX_PAGE).default(WECHAT_STORE_MAX_PAGE),
  });
}

export type WechatStoreSourceConfig = z.output<ReturnType<typeof wechatStoreConfigSchema>>;
