/** The configuration of a AIRUDDER source, declared once: the type is what the schema reads. */
import { z } from 'zod';
import { baseSourceConfig, type SecretSchema } from '../../config/secret.js';
import { AIRUDDER_MAX_PAGE } from './source.js';

/** Secrets are read through `secret` (an environment variable's name, resolved when loaded). */
export function airudderConfigSchema(secret: SecretSchema) {
  return z.strictObject({
    vendor: z.literal('AIRUDDER'),
    ...baseSourceConfig,
    /** Sent as `X-AIRudder-Sign-Key` (through `airudderSign`). */
    signKey: secret,
    /**
     * Sent as `X-AIRudder-Sign` (through `airudderSign`). The vendor's own example sends an empty
     * one: leave it out to do the same.
     */
    sign: secret.optional().transform((value) => value ?? ''),
    /** Largest `size` sent to the vendor. */
    pageSize: z.int().min(1).max(AIRUDDER_MAX_PAGE).default(AIRUDDER_MAX_PAGE),
  });
}

export type AirudderSourceConfig = z.output<ReturnType<typeof airudderConfigSchema>>;
