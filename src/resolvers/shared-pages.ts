/**
 * Vendor pages shared across operations. Two things, both keyed by source and `pageKey`:
 * - in flight: identical concurrent operations share one vendor call (always on; it only ever
 *   hands out an answer the vendor is giving right now);
 * - recently answered: a settled page (`Source.settled`: history that arriving messages cannot
 *   change) is kept for `ttlMs`, so that walking a conversation page by page does not fetch again
 *   the vendor page the previous GraphQL page already read past its end. The newest end of a
 *   conversation is never kept, so new messages show at once. A page holding temporary media
 *   links is kept no longer than its earliest link lives.
 *
 * Sharing across clients is safe: vendor credentials belong to the source, and a client's scope
 * is checked before any page is asked for. Failures are never kept.
 */

export interface SharedPagesOptions {
  /** How long an answered page is reused; 0 keeps none (in-flight calls are still shared). */
  ttlMs: number;
  /**
   * Most pages kept; the oldest go first. A normalized page of 50 messages with their raw records
   * is some 100–200 kB, so the default bounds the cache to 50–100 MB.
   */
  maxEntries?: number;
  now?: () => number;
}

/** Media links must still work when a client follows them: stop reusing a page this early. */
const EXPIRY_MARGIN_MS = 60_000;

export class SharedPages {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #kept = new Map<string, { page: unknown; until: number }>();

  constructor(options: SharedPagesOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 500;
    this.#now = options.now ?? Date.now;
  }

  /** Pages kept now. */
  get size(): number {
    return this.#kept.size;
  }

  /** Whether answered pages are kept at all (`ttlMs` > 0). */
  get keepsPages(): boolean {
    return this.#ttlMs > 0;
  }

  /**
   * The page for `key`: kept, in flight, or loaded now by `load` (and kept if `settled`).
   *
   * `signal` is the asking operation's: once it aborts, its own wait ends at once (with the
   * signal's reason), and the call itself is aborted (through the signal `load` was given) only
   * when every operation waiting on it has aborted; a waiter without a signal keeps it going.
   */
  get(
    key: string,
    load: (signal: AbortSignal) => Promise<unknown>,
    settled = false,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const kept = this.#kept.get(key);
    if (kept) {
      if (kept.until > this.#now()) return Promise.resolve(kept.page);
      this.#kept.delete(key);
    }
    // Never start a call for an operation that has already gone.
    if (signal?.aborted) return Promise.reject(signal.reason);
    let flight = this.#inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const created: InFlight = {
        controller,
        waiters: 0,
        promise: load(controller.signal).then(
          (page) => {
            this.#inFlight.delete(key);
            if (settled) this.#keep(key, page);
            return page;
          },
          (error: unknown) => {
            this.#inFlight.delete(key);
            throw error;
          },
        ),
      };
      flight = created;
      this.#inFlight.set(key, flight);
    }
    return wait(flight, signal);
  }

  #keep(key: string, page: unknown): void {
    if (this.#ttlMs <= 0) return;
    const now = this.#now();
    const until = Math.min(now + this.#ttlMs, earliestExpiry(page) - EXPIRY_MARGIN_MS);
    if (until <= now) return;
    // Pages are kept in the order they came, so the expired ones are (nearly all) at the front:
    // drop them now rather than when asked for again, which they may never be.
    for (const [oldest, entry] of this.#kept) {
      if (entry.until > now && this.#kept.size < this.#maxEntries) break;
      this.#kept.delete(oldest);
    }
    this.#kept.set(key, { page, until });
  }
}

interface InFlight {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Waiters that may still abort; the call is aborted when the last of them does. */
  waiters: number;
}

function wait(flight: InFlight, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) {
    // Nothing will ever abort this waiter: the call goes on for it.
    flight.waiters = Number.POSITIVE_INFINITY;
    return flight.promise;
  }
  flight.waiters++;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (--flight.waiters <= 0) flight.controller.abort(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    flight.promise.then(
      (page) => {
        signal.removeEventListener('abort', onAbort);
        resolve(page);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The earliest `expiresAt` (epoch ms) anywhere in a normalized page; +∞ when there is none. */
export function earliestExpiry(value: unknown, depth = 0): number {
  if (depth > 8 || value === null || typeof value !== 'object') return Number.POSITIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  const items = Array.isArray(value) ? value : Object.entries(value);
  for (const item of items) {
    const [key, child] = Array.isArray(value) ? ['', item] : (item as [string, unknown]);
    // `raw` is the vendor's record: its own fields are not ours to read here.
    if (key === 'raw') continue;
    if (key === 'expiresAt' && typeof child === 'number') earliest = Math.min(earliest, child);
    else earliest = Math.min(earliest, earliestExpiry(child, depth + 1));
  }
  return earliest;
}
