/**
 * What every source does the same way, as parts a source composes rather than a class it extends:
 * its HTTP client and agent, its clock, the normalize context its records are read in, readiness,
 * and `read` for vendors that page toward older messages from a message id. A vendor's `source.ts`
 * keeps only what is its vendor's: the wire calls, the page requests and the walk.
 */
import type { Logger } from '../logger.js';
import type { Message } from '../model/index.js';
import { type NormalizeContext, normalizeContext } from '../normalize/context.js';
import { VendorWarnings } from '../normalize/warnings.js';
import { createSourceHttp, type HttpClient, type SourceHttpConfig } from './http.js';
import { probeWith, type ReadRequest, type ReadResult } from './source.js';
import type { SourceDeps } from './vendor.js';

/** A record of a vendor answer as its client returns it: parsed by the wire schema, and as sent. */
export interface WireRecord<R> {
  record: R;
  raw: unknown;
}

/** A vendor's mapper from one parsed record (and the record as sent) to its message. */
export type Normalizer<R, M, C extends NormalizeContext = NormalizeContext> = (
  record: R,
  raw: unknown,
  ctx: C,
) => M;

export interface SourceAdapter {
  readonly name: string;
  /** The source's vendor calls go through it (retries, limits, circuit breaker, telemetry). */
  readonly http: HttpClient;
  readonly logger: Logger;
  /** Wall clock, epoch ms (`SourceDeps.clock`). */
  readonly clock: () => number;
  /**
   * The context a record of `conversation` is normalized in: warnings go to the source's logger,
   * each written once per interval however many records repeat it (`VendorWarnings`).
   */
  context(conversation: string): NormalizeContext;
  /** `Source.probe`: ready when the vendor answers `call` (see `probeWith`). */
  probe(call: () => Promise<unknown>): Promise<void>;
  /** `Source.close`: releases the source's own HTTP agent, if it made one. */
  close(): Promise<void>;
}

/** The shared part of a source, made once in its constructor. */
export function sourceAdapter(
  config: { name: string; baseUrl: string; http?: SourceHttpConfig },
  deps: SourceDeps,
): SourceAdapter {
  const { http, close } = createSourceHttp(config, deps);
  const warnings = new VendorWarnings(deps.logger, config.name, { clock: deps.clock });
  return {
    name: config.name,
    http,
    logger: deps.logger,
    clock: deps.clock ?? Date.now,
    context: (conversation) => normalizeContext(warnings, config.name, conversation),
    probe: probeWith,
    close,
  };
}

/** One vendor answer, normalized record by record: a source's `fetchPage` after its wire call. */
export function normalizeRecords<R, M, C extends NormalizeContext>(
  records: readonly WireRecord<R>[],
  ctx: C,
  normalize: Normalizer<R, M, C>,
): M[] {
  return records.map(({ record, raw }) => normalize(record, raw, ctx));
}

/** How a vendor that pages toward older messages from a message id makes one page. */
export interface OlderFromMessage<M extends Message> {
  /** Names the vendor's conversations in the error for a `newer` read, e.g. "<vendor> sessions". */
  conversations: string;
  /** The anchor of the newest page. */
  newest: string;
  /**
   * The page older than `anchor`, about `limit` long, and where the next starts (its oldest
   * message's id): null only when the vendor proved that nothing older is left.
   */
  page(anchor: string, limit: number): Promise<{ messages: M[]; oldest: string | null }>;
}

/**
 * `Source.read` for a vendor that pages only toward older messages, each call "older than this
 * message" (`capabilities.newerPaging: SCAN`): a walk starts at its continuation, else after
 * `from`, else at the newest end, and goes on from the oldest message of each page.
 */
export async function readOlderFromMessage<M extends Message>(
  request: ReadRequest,
  vendor: OlderFromMessage<M>,
): Promise<ReadResult> {
  if (request.direction !== 'older') {
    throw new Error(`${vendor.conversations} page toward older messages only (newerPaging: SCAN).`);
  }
  const anchor = (request.continuation as string | undefined) ?? request.from?.id ?? vendor.newest;
  const { messages, oldest } = await vendor.page(anchor, request.limit);
  return { messages, continuation: oldest };
}
