/**
 * The configuration file: JSON, validated with zod, secrets taken from environment variables.
 * Every bad field is reported with its path, so an operator fixes them all in one go.
 *
 *     {
 *       "port": 4000,
 *       "cursorSecret": { "env": "CHATGRAPH_CURSOR_SECRET" },
 *       "sources": [
 *         { "vendor": "<VENDOR>", "name": "shop", "baseUrl": "https://…", …the vendor's fields }
 *       ]
 *     }
 *
 * Each vendor's fields are its `VendorDefinition.configSchema`'s (docs/configuration.md lists them).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'graphql';
import { type ZodError, z } from 'zod';
import { hashApiKey } from '../auth/api-keys.js';
import type { ServerPolicy } from '../policy.js';
import { VENDORS, vendorDefinition } from '../sources/index.js';
import type { SourceConfig, VendorDefinition } from '../sources/vendor.js';
import { type StoreConfig, storeConfigSchema } from '../store/config.js';
import { type Env, type SecretSchema, secretFrom } from './secret.js';

export interface ChatgraphConfig {
  port: number;
  /** The interface to listen on. */
  host: string;
  cursorSecret: string;
  sources: SourceConfig[];
  policy: Partial<ServerPolicy>;
  /** Listing, search and archives (src/store); absent: none. */
  store?: StoreConfig;
}

/** What the server lets clients do; absent fields keep `DEFAULT_POLICY`. */
const serverSchema = z
  .strictObject({
    graphiql: z.boolean().optional(),
    introspection: z.boolean().optional(),
    /** Browser origins allowed to call the API (CORS): `"*"`, or a list of `scheme://host[:port]`. */
    corsOrigins: z
      .union([
        z.literal('*'),
        z
          .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], with no path'))
          .max(100),
      ])
      .optional(),
    requestTimeoutMs: z.int().min(100).max(300_000).optional(),
    maxDepth: z.int().min(2).max(100).optional(),
    maxAliases: z.int().min(0).max(1_000).optional(),
    maxPlannedVendorCalls: z.int().min(1).max(100_000).optional(),
    maxVendorCalls: z.int().min(1).max(100_000).optional(),
    maxSelections: z.int().min(1).max(100_000).optional(),
    maxNesting: z.int().min(8).max(500).optional(),
    maxTokens: z.int().min(100).max(1_000_000).optional(),
    maxCompileCost: z.int().min(0).max(1_000_000).optional(),
    compileCostPerMinute: z.int().min(0).max(100_000_000).optional(),
    compileAfter: z.int().min(1).max(1_000).optional(),
    compiledCacheEntries: z.int().min(0).max(100_000).optional(),
    compiledCacheBytes: z.int().min(0).max(4_000_000_000).optional(),
    maxBodyBytes: z.int().min(1_024).max(10_000_000).optional(),
    /** A persisted-documents manifest (JSON: id → document), relative to the configuration file. */
    persistedOperations: z.string().min(1).optional(),
    allowArbitraryOperations: z.boolean().optional(),
    pageCacheTtlMs: z.int().min(0).max(300_000).optional(),
    live: z
      .strictObject({
        minIntervalMs: z.int().min(100).max(3_600_000).optional(),
        maxIntervalMs: z.int().min(100).max(3_600_000).optional(),
        bufferSize: z.int().min(1).max(100_000).optional(),
        maxSubscriptions: z.int().min(0).max(1_000_000).optional(),
        maxSubscriptionsPerClient: z.int().min(0).max(1_000_000).optional(),
        leaseTtlMs: z.int().min(100).max(7_200_000).optional(),
      })
      .refine((live) => (live.minIntervalMs ?? 0) <= (live.maxIntervalMs ?? Number.POSITIVE_INFINITY), {
        message: 'minIntervalMs must not be above maxIntervalMs',
      })
      .optional(),
  })
  .default({});

function clientSchema(secret: SecretSchema) {
  return z
    .strictObject({
      name: z.string().min(1).max(100),
      /** SHA-256 of the key, hex: the key itself need not be on the server at all. */
      keySha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (sha256sum of the key)')
        .optional(),
      /** Or the key itself, from the environment; it is hashed at load and not kept. */
      key: secret.pipe(z.string().min(16, 'must be at least 16 characters')).optional(),
      /** The source names this client may read, or "*" for all. */
      sources: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]),
      /** A federation gateway: may read `_service { sdl }` even with introspection off. */
      gateway: z.boolean().optional(),
    })
    .refine((client) => (client.keySha256 === undefined) !== (client.key === undefined), {
      message: 'give exactly one of keySha256 and key',
    });
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`Configuration ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

const problemsOf = (error: ZodError, prefix: Array<string | number> = []): string[] =>
  error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });

export function parseConfig(
  document: unknown,
  env: Env,
  file = 'config',
  vendors: readonly VendorDefinition[] = VENDORS,
): ChatgraphConfig {
  const vendorIds = vendors.map((vendor) => vendor.id) as [string, ...string[]];
  const secret = secretFrom(env);
  const top = z
    .strictObject({
      port: z.int().min(1).max(65_535).default(4000),
      host: z.string().min(1).max(255).default('0.0.0.0'),
      cursorSecret: secret.pipe(z.string().min(16, 'must be at least 16 characters')),
      sources: z.array(z.looseObject({ vendor: z.enum(vendorIds) })).min(1, 'configure at least one source'),
      server: serverSchema,
      clients: z.array(clientSchema(secret)).optional(),
      /** Who reads /metrics and /readiness, and on which port. */
      operations: z
        .strictObject({
          key: secret.pipe(z.string().min(16, 'must be at least 16 characters')).optional(),
          keySha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (sha256sum of the key)')
            .optional(),
          /** What callers without the key see; default: "refused" with a key, "full" without. */
          anonymous: z.enum(['full', 'redacted', 'refused']).optional(),
          port: z.int().min(1).max(65_535).optional(),
        })
        .refine((operations) => operations.key === undefined || operations.keySha256 === undefined, {
          message: 'give at most one of key and keySha256',
        })
        .optional(),
      /** Per source, the secret its vendor's callbacks carry (`POST /webhooks/<source>`). */
      webhooks: z
        .record(
          z.string().min(1),
          z.strictObject({ secret: secret.pipe(z.string().min(16, 'must be at least 16 characters')) }),
        )
        .optional(),
      /** Share live subscriptions' wake-ups and poll leases with the other replicas. */
      redis: z
        .strictObject({
          url: secret.pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
        })
        .optional(),
      /** Serve without API keys; must be said out loud, it is never a default. */
      allowOpen: z.literal(true).optional(),
      store: storeConfigSchema(secret).optional(),
    })
    .safeParse(document);
  if (!top.success) throw new ConfigError(file, problemsOf(top.error));

  const problems: string[] = [];
  const sources: SourceConfig[] = [];
  const names = new Set<string>();
  top.data.sources.forEach((raw, index) => {
    // `vendor` is one of `vendorIds`: the top-level schema checked it.
    const definition = vendorDefinition(raw.vendor, vendors) as VendorDefinition;
    const parsed = definition.configSchema(secret).safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error, ['sources', index]));
      return;
    }
    if (names.has(parsed.data.name))
      problems.push(`sources.${index}.name: "${parsed.data.name}" is used twice`);
    names.add(parsed.data.name);
    sources.push(parsed.data as SourceConfig);
  });
  const { clients, allowOpen, server: serverFields, operations, webhooks, redis } = top.data;
  const { persistedOperations: manifestFile, ...server } = serverFields;
  let persistedOperations: Record<string, string> | null = null;
  if (manifestFile !== undefined) {
    const loaded = loadManifest(resolve(dirname(file), manifestFile));
    if (typeof loaded === 'string') problems.push(`server.persistedOperations: ${loaded}`);
    else persistedOperations = loaded;
  }
  for (const name of Object.keys(webhooks ?? {})) {
    if (!names.has(name)) problems.push(`webhooks.${name}: no source is named "${name}"`);
  }
  if (!clients && !allowOpen) {
    problems.push('clients: configure API keys, or set "allowOpen": true to serve without them');
  }
  if (clients && allowOpen) problems.push('allowOpen: cannot be set together with clients');
  clients?.forEach((client, index) => {
    if (client.sources === '*') return;
    for (const name of client.sources) {
      if (!names.has(name)) problems.push(`clients.${index}.sources: no source is named "${name}"`);
    }
  });
  for (const name of Object.keys(top.data.store?.sources ?? {})) {
    if (!names.has(name)) problems.push(`store.sources: no source is named "${name}"`);
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return {
    port: top.data.port,
    host: top.data.host,
    cursorSecret: top.data.cursorSecret,
    sources,
    ...(top.data.store ? { store: top.data.store } : {}),
    policy: {
      ...server,
      ...(persistedOperations ? { persistedOperations } : {}),
      ...(operations ? operationsPolicy(operations) : {}),
      ...(redis ? { live: { ...server.live, redisUrl: redis.url } } : {}),
      webhooks,
      clients:
        clients?.map((client) => ({
          name: client.name,
          keyHash: client.keySha256 ? Buffer.from(client.keySha256, 'hex') : hashApiKey(client.key as string),
          sources: client.sources === '*' ? null : new Set(client.sources),
          gateway: client.gateway ?? false,
        })) ?? null,
    },
  };
}

function operationsPolicy(operations: {
  key?: string;
  keySha256?: string;
  anonymous?: 'full' | 'redacted' | 'refused';
  port?: number;
}): Partial<ServerPolicy> {
  const keyHash = operations.keySha256
    ? Buffer.from(operations.keySha256, 'hex')
    : operations.key
      ? hashApiKey(operations.key)
      : null;
  return {
    operationsKeyHash: keyHash,
    anonymousOperations: operations.anonymous ?? (keyHash ? 'refused' : 'full'),
    operationsPort: operations.port ?? null,
  };
}

const manifestSchema = z.record(z.string().min(1), z.string().min(1));

/** A persisted-documents manifest, or what is wrong with it; every document must parse. */
function loadManifest(path: string): Record<string, string> | string {
  let manifest: Record<string, string>;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return `${path} is not an object of ids to document texts`;
    manifest = parsed.data;
  } catch (error) {
    return `cannot read ${path} as JSON: ${(error as Error).message}`;
  }
  for (const [id, text] of Object.entries(manifest)) {
    try {
      parse(text);
    } catch (error) {
      return `the document ${id} does not parse: ${(error as Error).message}`;
    }
  }
  return manifest;
}

export function loadConfig(file: string, env: Env): ChatgraphConfig {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  return parseConfig(document, env, file);
}
