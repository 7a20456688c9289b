/**
 * Request-scoped vendor page loaders. Contract (as DataLoader's): one loader per source per GraphQL
 * operation, never shared between operations; `load(request)` resolves to that vendor call's
 * normalized page, and two loads whose `pageKey` is equal make one vendor call. A failed call is
 * remembered for the rest of the operation, so a broken page fails the same way wherever it is
 * needed instead of being retried by every field.
 *
 * Across operations, pages go through the app's `SharedPages`: identical concurrent calls are
 * made once, and recent settled pages are reused for `pageCacheTtlMs`.
 */
import DataLoader from 'dataloader';
import { ChatgraphError, clientLeft, ERROR_CODES, isChatgraphError, operationAborted } from '../errors.js';
import type { RequestScope } from '../sources/request-scope.js';
import type { AnySource, PageLoader } from '../sources/source.js';
import type { SharedPages } from './shared-pages.js';

/** Further attempts at a page whose answer could not be read. */
const BAD_RESPONSE_RETRIES = 2;

export class RequestLoaders {
  readonly #pages = new Map<string, DataLoader<unknown, unknown, string>>();
  /** Epoch ms by which this operation's vendor calls, retries included, must be done. */
  readonly deadline: number;
  readonly #maxCalls: number;
  /** Vendor pages this operation asked for (its own cache hits are free; shared ones count). */
  calls = 0;
  /**
   * What this operation's vendor calls see of it, passed to every `fetchPage`: the deadline, and
   * the request id, logger, trace context and error counter that the ops plugins add.
   */
  readonly scope: RequestScope;

  readonly #shared: SharedPages | null;

  constructor(
    deadline: number,
    maxCalls = Number.POSITIVE_INFINITY,
    shared: SharedPages | null = null,
    signal?: AbortSignal,
  ) {
    this.deadline = deadline;
    this.#maxCalls = maxCalls;
    this.scope = { deadline, signal };
    this.#shared = shared;
  }

  pages<Req, Page>(source: AnySource): PageLoader<Req, Page> {
    let loader = this.#pages.get(source.name);
    if (!loader) {
      loader = new DataLoader<unknown, unknown, string>(
        // An error returned (not thrown) stays in the cache: a broken page fails alike everywhere.
        (requests) =>
          Promise.all(
            requests.map((request) => this.#fetch(source, request).catch((error: unknown) => error as Error)),
          ),
        {
          // Vendors have no batch endpoints, so batching would only make each call wait for the
          // slowest one dispatched in the same tick (a read-ahead window waiting on its
          // neighbours). Without it every load is its own call, settled as soon as it answers;
          // the cache still makes equal keys one call.
          batch: false,
          cacheKeyFn: (request) => source.pageKey(request),
        },
      );
      this.#pages.set(source.name, loader);
    }
    return loader as PageLoader<Req, Page>;
  }

  /**
   * One vendor page, within this operation's deadline. An answer that could not be read (not
   * JSON, a field of the wrong type) is asked for again: reads are safe to repeat, and a proxy's
   * error page or a garbled answer is usually passing. A vendor that keeps sending it still
   * reaches the client as VENDOR_BAD_RESPONSE.
   */
  async #fetch(source: AnySource, request: unknown): Promise<unknown> {
    const { signal } = this.scope;
    for (let attempt = 0; ; attempt++) {
      // The client has gone or the time is up: whatever still asks for a page gets this instead.
      if (signal?.aborted) throw operationAborted(signal);
      if (++this.calls > this.#maxCalls) {
        // The static estimate cannot see how far a SCAN has to read; this is the backstop.
        throw new ChatgraphError(
          ERROR_CODES.QUERY_TOO_COMPLEX,
          `The operation needed more than ${this.#maxCalls} vendor calls; ask for smaller pages or fewer conversations.`,
          { limit: this.#maxCalls, kind: 'vendorCalls' },
        );
      }
      try {
        return await (this.#shared
          ? this.#shared.get(
              `${source.name}\n${source.pageKey(request)}`,
              // A shared call is aborted only when every operation waiting on it has aborted.
              (shared) => source.fetchPage(request, { ...this.scope, signal: shared }),
              source.settled?.(request) ?? false,
              signal,
            )
          : source.fetchPage(request, this.scope));
      } catch (error) {
        // The client left: that is the answer, not the vendor error the abort caused. At the
        // deadline a vendor's own timeout error (naming source and cause) stays; a wait on a
        // shared call ends with the signal's bare reason, which becomes a typed error here.
        if (signal?.aborted && (clientLeft(signal) || !isChatgraphError(error)))
          throw operationAborted(signal);
        this.scope.onPageError?.(source.name, error);
        const unreadable = isChatgraphError(error) && error.code === ERROR_CODES.VENDOR_BAD_RESPONSE;
        if (!unreadable || attempt >= BAD_RESPONSE_RETRIES || Date.now() >= this.deadline) throw error;
      }
    }
  }
}
