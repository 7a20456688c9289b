/**
 * What lives for the whole process: the configured sources, the cursor codec and the logger.
 * Built once at start-up; nothing here is per request or per client.
 */
import type { ApiKeyClient } from './auth/api-keys.js';
import { ChatgraphError, ERROR_CODES } from './errors.js';
import { closeLiveHub, type LiveOptions } from './live/hub.js';
import type { Logger } from './logger.js';
import { CompiledDocuments } from './plugins/compiled-documents.js';
import { CursorCodec } from './resolvers/cursor.js';
import { SharedPages } from './resolvers/shared-pages.js';
import { VENDORS } from './sources/index.js';
import type { AnySource } from './sources/source.js';
import type { VendorDefinition } from './sources/vendor.js';
import type { StoreRuntime } from './store/index.js';
import { createTelemetry, type Telemetry } from './telemetry/index.js';

export class SourceRegistry {
  readonly #byName = new Map<string, AnySource>();

  constructor(sources: AnySource[]) {
    for (const source of sources) {
      if (this.#byName.has(source.name)) throw new Error(`Duplicate source name "${source.name}".`);
      this.#byName.set(source.name, source);
    }
  }

  /**
   * The sources a client may read. Everything outside the scope is answered as if it did not
   * exist (UNKNOWN_SOURCE), through every path: names, node ids, conversation ids and cursors.
   */
  scoped(allowed: ReadonlySet<string> | null): SourceRegistry {
    return allowed === null
      ? this
      : new SourceRegistry(this.list().filter((source) => allowed.has(source.name)));
  }

  list(): AnySource[] {
    return [...this.#byName.values()];
  }

  find(name: string): AnySource | undefined {
    return this.#byName.get(name);
  }

  get(name: string): AnySource {
    const source = this.#byName.get(name);
    if (!source) {
      throw new ChatgraphError(ERROR_CODES.UNKNOWN_SOURCE, `No source is named "${name}".`, {
        source: name,
      });
    }
    return source;
  }
}

/** What the server lets clients do; every field has a production-safe default. */
export interface ServerPolicy {
  /** Clients and their keys; null runs the API open (the sandbox's default, announced at start). */
  clients: ApiKeyClient[] | null;
  /** How long one GraphQL operation may spend on vendor calls, retries included. */
  requestTimeoutMs: number;
  maxDepth: number;
  maxAliases: number;
  /** The most vendor calls one operation may be planned to make (static estimate). */
  maxPlannedVendorCalls: number;
  /** The most vendor calls one operation may actually make (a backstop for SCAN paging). */
  maxVendorCalls: number;
  /** Field selections of an operation once its fragments are expanded. */
  maxSelections: number;
  /** Nesting of `{`, `[`, `(` in a document, checked before it is parsed (the parser recurses). */
  maxNesting: number;
  /** Tokens the parser reads before giving up on a document. */
  maxTokens: number;
  /**
   * The most selections graphql-jit may generate code for to compile one document (its selections,
   * each repeated per possible type below interface and union fields); costlier documents run
   * uncompiled, by graphql-js.
   */
  maxCompileCost: number;
  /** Compile cost the process may spend per minute, all documents together (see `CompiledDocuments`). */
  compileCostPerMinute: number;
  /** Runs of a document before it is compiled (see `CompiledDocuments`). */
  compileAfter: number;
  /** Compiled documents kept, in entries and estimated bytes (see `CompiledDocuments`). */
  compiledCacheEntries: number;
  compiledCacheBytes: number;
  maxBodyBytes: number;
  /**
   * Persisted operations (trusted documents): id → document text, the client preset's
   * `persistedDocuments` manifest; null: none.
   */
  persistedOperations: Readonly<Record<string, string>> | null;
  /** With `persistedOperations`: whether documents sent as text run too. */
  allowArbitraryOperations: boolean;
  graphiql: boolean;
  introspection: boolean;
  /** SHA-256 of the operations key, which reads `/metrics` and `/readiness` in full; null: none. */
  operationsKeyHash: Buffer | null;
  /** What `/metrics` and `/readiness` show a caller without the operations key. */
  anonymousOperations: 'full' | 'redacted' | 'refused';
  /** Serve `/metrics` and `/readiness` on this port only, not the API's; null: the API's. */
  operationsPort: number | null;
  /**
   * How long a settled vendor page (history behind a message, or a window in the past; see
   * `Source.settled`) is reused by later operations; 0: not at all. Walking a conversation then
   * makes the minimum vendor calls, at the price of history up to this old (a message recalled
   * meanwhile still shows); the newest messages are always read afresh.
   */
  pageCacheTtlMs: number;
  /** Subscriptions' poll intervals and limits; absent fields keep `DEFAULT_LIVE` (src/live/hub.ts). */
  live?: Partial<LiveOptions>;
  /** Secrets of the sources whose vendor callbacks wake subscriptions (`POST /webhooks/<source>`). */
  webhooks?: Record<string, { secret: string }>;
}

export const DEFAULT_POLICY: ServerPolicy = {
  clients: null,
  requestTimeoutMs: 15_000,
  maxDepth: 15,
  maxAliases: 30,
  maxPlannedVendorCalls: 200,
  maxVendorCalls: 1_000,
  maxSelections: 2_000,
  maxNesting: 100,
  maxTokens: 10_000,
  // graphql-jit spends some 0.1–0.2 ms of CPU per unit (BENCHMARKS.md, "Hostile clients"): the
  // example client's page document costs 1,353.
  maxCompileCost: 1_500,
  compileCostPerMinute: 6_000,
  compileAfter: 2,
  compiledCacheEntries: 500,
  compiledCacheBytes: 64 * 1024 * 1024,
  maxBodyBytes: 64 * 1024,
  persistedOperations: null,
  allowArbitraryOperations: false,
  graphiql: true,
  introspection: true,
  operationsKeyHash: null,
  anonymousOperations: 'full',
  operationsPort: null,
  pageCacheTtlMs: 30_000,
};

/** A conversation worth offering to people browsing the API (the sandbox's), e.g. in `/inbox`. */
export interface KnownConversation {
  source: string;
  externalId: string;
  description: string;
}

export interface App {
  /** The vendors the API serves: its schema has their types (see `createSchema`). */
  vendors: readonly VendorDefinition[];
  sources: SourceRegistry;
  cursors: CursorCodec;
  logger: Logger;
  policy: ServerPolicy;
  /** Empty for configured vendors: chatgraph cannot list a vendor's conversations. */
  knownConversations: KnownConversation[];
  /** Metrics and tracer; the sources report their vendor calls to the same instance. */
  telemetry: Telemetry;
  /** Vendor pages shared across operations (in-flight calls, and recent settled pages); null: none. */
  sharedPages: SharedPages | null;
  /** graphql-jit's compiled documents, bounded (see `useCompiledExecution`). */
  compiledDocuments: CompiledDocuments;
  /** What chatgraph has seen and kept (listing, search, archives; src/store); null: no store. */
  store: StoreRuntime | null;
}

export function createApp(options: {
  /** The registry the sources were made from; the built-in one when absent. */
  vendors?: readonly VendorDefinition[];
  sources: AnySource[];
  cursorSecret: string;
  logger: Logger;
  policy?: Partial<ServerPolicy>;
  knownConversations?: KnownConversation[];
  /** The telemetry the sources were built with; a fresh one (that sees no vendor calls) if absent. */
  telemetry?: Telemetry;
  /**
   * Share vendor pages across operations (default). Off, every operation makes its own calls:
   * only for measuring one operation's own cost (`npm run bench`).
   */
  sharePages?: boolean;
  /** The store; its sources' reads are recorded through it. Absent: none, as before. */
  store?: StoreRuntime | null;
}): App {
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  const store = options.store ?? null;
  return {
    vendors: options.vendors ?? VENDORS,
    sources: new SourceRegistry(store ? store.wrap(options.sources) : options.sources),
    cursors: new CursorCodec(options.cursorSecret),
    logger: options.logger,
    policy,
    knownConversations: options.knownConversations ?? [],
    telemetry: options.telemetry ?? createTelemetry(),
    sharedPages:
      options.sharePages === false
        ? null
        : new SharedPages({ ttlMs: options.policy?.pageCacheTtlMs ?? DEFAULT_POLICY.pageCacheTtlMs }),
    compiledDocuments: new CompiledDocuments({
      maxEntries: policy.compiledCacheEntries,
      maxBytes: policy.compiledCacheBytes,
      compileCostPerMinute: policy.compileCostPerMinute,
      compileAfter: policy.compileAfter,
    }),
    store,
  };
}

export async function closeApp(app: App): Promise<void> {
  await closeLiveHub(app);
  await Promise.all(app.sources.list().map((source) => source.close()));
  await app.store?.close();
}
