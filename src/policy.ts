/**
 * What the server lets clients do, apart from the app that enforces it: the configuration builds a
 * policy without importing the app (which imports the engine, the schema and the sources).
 */
import type { ApiKeyClient } from './auth/api-keys.js';
import type { LiveOptions } from './live/hub.js';

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
  /**
   * Origins whose pages may call the API from a browser (CORS), e.g. `https://console.example.com`;
   * `'*'`: any page; null: see `corsOriginsOf`.
   */
  corsOrigins: readonly string[] | '*' | null;
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
  // graphql-js keeps every token of a document until it is parsed, so parsing costs more than
  // linearly: ~2 ms for 1,500 tokens, ~9 ms for 6,000, ~24 ms for 10,000 (BENCHMARKS.md, "Hostile
  // clients"). The example client's whole documents file is 825 tokens.
  maxTokens: 5_000,
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
  corsOrigins: null,
  operationsKeyHash: null,
  anonymousOperations: 'full',
  operationsPort: null,
  pageCacheTtlMs: 30_000,
};

/**
 * The origins whose pages may call the API. Unless configured: any, when every request must
 * present an API key (a page of another site has none to send, and no cookie stands in for one);
 * none, when the server runs open, whose data any site its users' browsers visit could otherwise
 * read from inside their network.
 */
export function corsOriginsOf(
  policy: Pick<ServerPolicy, 'corsOrigins' | 'clients'>,
): readonly string[] | '*' {
  if (policy.corsOrigins !== null) return policy.corsOrigins;
  return policy.clients === null ? [] : '*';
}
