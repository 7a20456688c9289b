/**
 * What lives for the whole process: the configured sources, the cursor codec and the logger.
 * Built once at start-up; nothing here is per request or per client.
 */
import { ChatgraphError, ERROR_CODES } from './errors.js';
import { closeLiveHub } from './live/hub.js';
import type { Logger } from './logger.js';
import { CompiledDocuments } from './plugins/compiled-documents.js';
import { DEFAULT_POLICY, type ServerPolicy } from './policy.js';
import { CursorCodec } from './resolvers/cursor.js';
import { SharedPages } from './resolvers/shared-pages.js';
import { VENDORS } from './sources/index.js';
import type { AnySource } from './sources/source.js';
import type { VendorDefinition } from './sources/vendor.js';
import type { StoreRuntime } from './store/index.js';
import { createTelemetry, type Telemetry } from './telemetry/index.js';

export { DEFAULT_POLICY, type ServerPolicy } from './policy.js';

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
