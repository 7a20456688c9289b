/**
 * An operation's vendor page loaders, assembled from parts with one job each:
 * - `PageMemo` (one per source): equal `pageKey`s make one call, failures included;
 * - `CallBudget`: the operation's `maxVendorCalls`, spent on every call it makes;
 * - `retryUnreadable`: an answer that could not be read is asked for again, within the deadline;
 * - `SharedPages` (the app's, optional): identical calls of concurrent operations are made once,
 *   and recent settled pages are reused;
 * - `scope` (`RequestScope`): what the operation's vendor calls see of it. Made here with the
 *   deadline and signal; the ops plugins write the request id, logger, trace and error counter
 *   into it before any call is made, and it is passed to every `fetchPage`.
 *
 * Contract: one `RequestLoaders` per GraphQL operation (or per read of a long-lived one), never
 * shared between operations; `pages(source).load(request)` resolves to that vendor call's
 * normalized page.
 */
import { clientLeft, ERROR_CODES, isChatgraphError, operationAborted } from '../errors.js';
import type { RequestScope } from '../sources/request-scope.js';
import type { AnySource, PageLoader } from '../sources/source.js';
import { CallBudget } from './call-budget.js';
import type { OperationPages } from './engine.js';
import { PageMemo } from './page-memo.js';
import type { SharedPages } from './shared-pages.js';

/** Further attempts at a page whose answer could not be read. */
const BAD_RESPONSE_RETRIES = 2;

export class RequestLoaders implements OperationPages {
  readonly #memos = new Map<string, PageMemo<unknown, unknown>>();
  /** Epoch ms by which this operation's vendor calls, retries included, must be done. */
  readonly deadline: number;
  readonly budget: CallBudget;
  readonly scope: RequestScope;
  readonly #shared: SharedPages | null;

  constructor(
    deadline: number,
    maxCalls = Number.POSITIVE_INFINITY,
    shared: SharedPages | null = null,
    signal?: AbortSignal,
  ) {
    this.deadline = deadline;
    this.budget = new CallBudget(maxCalls);
    this.scope = { deadline, signal };
    this.#shared = shared;
  }

  /** Vendor pages this operation asked for (its own memo's hits are free; shared ones count). */
  get calls(): number {
    return this.budget.calls;
  }

  pages<Req, Page>(source: AnySource): PageLoader<Req, Page> {
    let memo = this.#memos.get(source.name);
    if (!memo) {
      memo = new PageMemo(
        (request) => source.pageKey(request),
        (request) => retryUnreadable(() => this.#call(source, request), this.deadline),
      );
      this.#memos.set(source.name, memo);
    }
    return memo as PageMemo<Req, Page>;
  }

  /** One attempt at a vendor page: spent from the budget, through the shared pages if any. */
  async #call(source: AnySource, request: unknown): Promise<unknown> {
    const { signal } = this.scope;
    // The client has gone or the time is up: whatever still asks for a page gets this instead.
    if (signal?.aborted) throw operationAborted(signal);
    this.budget.spend();
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
      if (signal?.aborted && (clientLeft(signal) || !isChatgraphError(error))) throw operationAborted(signal);
      this.scope.onPageError?.(source.name, error);
      throw error;
    }
  }
}

/**
 * `attempt`, again while it fails with VENDOR_BAD_RESPONSE (not JSON, a field of the wrong type),
 * at most `retries` more times and not past `deadline` (epoch ms): reads are safe to repeat, and a
 * proxy's error page or a garbled answer is usually passing. A vendor that keeps sending it still
 * reaches the client as VENDOR_BAD_RESPONSE; any other error ends at once.
 */
export async function retryUnreadable<T>(
  attempt: () => Promise<T>,
  deadline: number,
  retries = BAD_RESPONSE_RETRIES,
): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const unreadable = isChatgraphError(error) && error.code === ERROR_CODES.VENDOR_BAD_RESPONSE;
      if (!unreadable || tried >= retries || Date.now() >= deadline) throw error;
    }
  }
}
