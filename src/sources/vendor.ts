/**
 * A vendor, whole: everything chatgraph knows of one vendor is exported from its folder as one
 * `VendorDefinition`, and `src/sources/index.ts` lists them. The `Vendor` enum, the configuration
 * union, the GraphQL type names, the sandbox, log redaction, webhooks and the bench's tables are
 * all derived from that list: adding a vendor is one folder and one line in the registry.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { SecretSchema } from '../config/secret.js';
import { invalidArgument } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Message, Vendor } from '../model/index.js';
import type { NormalizeContext } from '../normalize/context.js';
import type { SandboxVendor } from '../sandbox/sandbox-vendor.js';
import type { VendorSchemaKit } from '../schema/kit.js';
import type { SourceTelemetry } from './http.js';
import type { AnySource } from './source.js';

export interface SourceDeps {
  logger: Logger;
  /** The source's HTTP dispatcher; a new agent of its own when absent. */
  dispatcher?: Dispatcher;
  /**
   * Wall clock (epoch ms): the one way a source, its client and its token cache learn the time
   * (settled windows, lookbacks, token and link expiries). `Date.now` when absent.
   */
  clock?: () => number;
  /** Told about every vendor call of the source (metrics, spans). */
  telemetry?: SourceTelemetry;
}

/** Fields every vendor's source configuration has. */
export interface BaseSourceConfig {
  vendor: Vendor;
  name: string;
  baseUrl: string;
}

/** A source's configuration: its vendor's `configSchema` gives it the rest of its shape. */
export type SourceConfig = BaseSourceConfig & { [field: string]: unknown };

/**
 * What a vendor's callback tells: the conversation to read now, the vendor's event name, and
 * whether the vendor says the conversation's session ended (`Subscription.sessionEnded`).
 */
export type WebhookParser = (
  body: unknown,
) => { conversation: string; event: string | null; ended?: boolean } | null;

/**
 * What `npm run bench` needs of a vendor: its L4 query's content selection, the credentials a
 * hand-written client sends (L0–L3 call the emulator directly), and the L3 step (a REST backend
 * for frontends: the vendor's answer through the same wire schemas and normalizer as the source).
 */
export interface VendorBench<Config extends BaseSourceConfig = BaseSourceConfig> {
  /** A sandbox conversation of 5,000+ messages, so a page of 50 is always full. */
  longConversation: string;
  /** The selection of `content` on the vendor's message type in the L4 query. */
  contentSelection: string;
  /** Headers a direct client sends with every call (a token through the source's own client). */
  directHeaders(config: Config): Promise<Record<string, string>>;
  /** How a user would declare the vendor's answer to GraphQL Mesh: the `--peers` rung, if any. */
  peer?: {
    /** The vendor's real sample answer, from which the peer's response schema is derived. */
    sample: URL;
    /** Fields whose type the document leaves open, declared as Mesh's `JSON` scalar. */
    untyped: string[];
    /** The fields of one answer the L4 query's mapping reads, as the peer's client selects them. */
    selection: string;
  };
  /** L3's work on one vendor answer: the envelope and each record validated, then normalized. */
  normalizeAnswer(body: unknown, ctx: NormalizeContext & { fetchedAt: number }): Message[];
  /**
   * `normalizeAnswer`'s wire step alone (envelope and records read, nothing normalized), through
   * the fast wire path and through zod alone: what `scripts/bench/wire-read.ts` compares.
   */
  readAnswer?: {
    fast(body: unknown, source: string): unknown;
    zodOnly(body: unknown, source: string): unknown;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: each vendor has its own configuration and quirk types.
export interface VendorDefinition<Config extends BaseSourceConfig = any, Quirks = any> {
  /** The `Vendor` enum value, upper snake case: part of the schema's contract. */
  id: Vendor;
  /** The GraphQL object types of the vendor's conversations and messages, named once here. */
  typenames: { conversation: string; message: string };
  /** The vendor's API documents, for the people reading its folder and the docs. */
  documents: string[];
  /** Configuration fields holding secrets: logs redact them wherever they appear. */
  secretFields: readonly string[];
  /** The zod schema of this vendor's source configuration, secrets resolved through `secret`. */
  configSchema(secret: SecretSchema): z.ZodType<Config>;
  createSource(config: Config, deps: SourceDeps): AnySource;
  /** Declares the vendor's GraphQL types: its conversation and message types and its content union. */
  graphql(kit: VendorSchemaKit): void;
  /** The vendor's emulator and sandbox data. */
  sandbox: SandboxVendor<Config, Quirks>;
  /** Reads the vendor's callbacks (`POST /webhooks/<source>`), where it calls back. */
  webhook?: WebhookParser;
  bench: VendorBench<Config>;
}

const EXTERNAL_ID = /^[\w.:@=+-]{1,256}$/;

/** The external-id check every vendor shares: no whitespace, no control characters, bounded. */
export function checkExternalId(externalId: string, what = 'conversation id'): string {
  if (!EXTERNAL_ID.test(externalId)) {
    throw invalidArgument(`Not a valid ${what}: letters, digits and ._:@=+- only, 1 to 256 characters.`, {
      field: 'externalId',
    });
  }
  return externalId;
}
