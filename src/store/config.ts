/**
 * The store's configuration (`"store"` in the configuration file):
 *
 *     "store": {
 *       "engine": "sqlite", "path": "/var/lib/chatgraph/store.db",
 *       "sources": {
 *         "bot": { "archive": true, "retentionDays": 90 },
 *         "scrm": { "listMembers": [{ "id": "woD2JC…", "type": "employee" }] }
 *       }
 *     }
 *
 * or `{"engine": "postgres", "url": {"env": "CHATGRAPH_STORE_URL"}}`. Every source's conversations
 * are listed once seen; `archive` keeps a source's messages too (search, and history past the
 * vendor's reach); `retentionDays` bounds how long they are kept; `listMembers` names whose
 * conversations are listed from the vendor at start-up (sources with a listing), so they show,
 * titled, before anyone reads them.
 */
import { z } from 'zod';
import type { SecretSchema } from '../config/secret.js';
import type { ListMember } from '../sources/source.js';

export interface StoreSourcePolicy {
  /** Keep the source's messages (normalized and raw), not only its conversations. */
  archive: boolean;
  /** Purge the source's stored messages older than this many days; null keeps them. */
  retentionDays: number | null;
  /** Whose conversations the vendor's listing is walked for at start-up; none when absent. */
  listMembers?: ListMember[];
}

export type StoreConfig =
  | { engine: 'sqlite'; path: string; sources: Record<string, StoreSourcePolicy> }
  | { engine: 'postgres'; url: string; poolSize: number; sources: Record<string, StoreSourcePolicy> };

const sourcePolicy = z.strictObject({
  archive: z.boolean().default(false),
  retentionDays: z.number().positive().max(36_500).nullable().default(null),
  listMembers: z
    .array(z.strictObject({ id: z.string().min(1).max(256), type: z.enum(['employee', 'external']) }))
    .max(1_000)
    .default([]),
});

export function storeConfigSchema(secret: SecretSchema) {
  const sources = z.record(z.string().min(1), sourcePolicy).default({});
  return z.discriminatedUnion('engine', [
    z.strictObject({ engine: z.literal('sqlite'), path: z.string().min(1), sources }),
    z.strictObject({
      engine: z.literal('postgres'),
      url: secret.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
      poolSize: z.int().min(1).max(100).default(10),
      sources,
    }),
  ]);
}

export const NO_ARCHIVE: StoreSourcePolicy = { archive: false, retentionDays: null };

export function policyOf(config: Pick<StoreConfig, 'sources'>, source: string): StoreSourcePolicy {
  return config.sources[source] ?? NO_ARCHIVE;
}
