/** The configuration of a MYSCRM source, declared once: the type is what the schema reads. */
import { z } from 'zod';
import { baseSourceConfig, type SecretSchema } from '../../config/secret.js';
import { myscrmAuthSchema } from './auth.js';
import { MYSCRM_MAX_PAGE } from './source.js';

/** Secrets are read through `secret` (an environment variable's name, resolved when loaded). */
export function myscrmConfigSchema(secret: SecretSchema) {
  return z.strictObject({
    vendor: z.literal('MYSCRM'),
    ...baseSourceConfig,
    /** 企微中台应用 id: not a secret, it names the application. */
    appId: z.string().min(1).max(128),
    auth: myscrmAuthSchema(secret),
    /** Largest `page_size` sent to the vendor. */
    pageSize: z.int().min(1).max(MYSCRM_MAX_PAGE).default(50),
    /** Passed as `thumb_option` (an Aliyun OSS image process), e.g. `image/resize,w_106`. */
    thumbOption: z.string().min(1).max(200).optional(),
  });
}

export type MyscrmSourceConfig = z.output<ReturnType<typeof myscrmConfigSchema>>;
