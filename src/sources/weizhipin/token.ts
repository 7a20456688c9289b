/**
 * The `tenant_access_token` of one weizhipin source. It lives as long as the source (the
 * credentials belong to the source, not to a request), so every GraphQL operation shares it:
 *
 * - single flight: however many vendor calls need a token at the same moment, one token call is
 *   made and they all wait for it;
 * - refreshed shortly before it expires (the vendor issues a new one when less than 30 minutes
 *   remain and keeps the old one valid, so refreshing early never invalidates calls in flight);
 * - `withToken` refreshes once and retries once when the vendor rejects the token anyway
 *   (revoked, clock skew), and gives up after that so a broken app never loops.
 *
 * The token is never logged and never part of an error.
 *
 * A token call is made in the `RequestScope` of the vendor call that needed it (its deadline, its
 * operation's logs and trace); calls that join a token call in flight wait on that one.
 */
import type { RequestScope } from '../request-scope.js';

export interface IssuedToken {
  token: string;
  /** Seconds the token is valid for, from when it was issued. */
  expireSeconds: number;
}

export interface TenantTokenCacheOptions {
  /** Makes the token call, in the scope of the call that needs the token (absent: none). */
  fetch(scope?: RequestScope): Promise<IssuedToken>;
  /** Wall clock (epoch ms); injectable so tests can expire tokens without waiting. */
  clock?: () => number;
  /** How long before expiry a token is replaced; at most a tenth of its lifetime. */
  refreshBeforeMs?: number;
}

/** Thrown by a vendor call whose token the vendor rejected; `withToken` handles it. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
  readonly vendorCode: number | null;

  constructor(vendorCode: number | null) {
    super('The vendor rejected the tenant access token.');
    this.vendorCode = vendorCode;
  }
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

interface Cached {
  token: string;
  /** When to stop using it, epoch ms (its expiry minus the refresh margin). */
  refreshAt: number;
}

export class TenantTokenCache {
  readonly #fetch: (scope?: RequestScope) => Promise<IssuedToken>;
  readonly #clock: () => number;
  readonly #refreshBeforeMs: number;
  #cached: Cached | null = null;
  #pending: Promise<string> | null = null;

  constructor(options: TenantTokenCacheOptions) {
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? Date.now;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  }

  /** A token valid for a while yet; fetches one (in `scope`) when there is none. */
  async get(scope?: RequestScope): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#clock() < cached.refreshAt) return cached.token;
    if (!this.#pending) {
      const pending = this.#fetchAndCache(scope);
      this.#pending = pending;
      // Cleared whether it succeeds or fails: a failed token call is retried by the next caller,
      // not remembered for the life of the process.
      pending.then(
        () => this.#clearPending(pending),
        () => this.#clearPending(pending),
      );
    }
    return this.#pending;
  }

  /**
   * Forgets `token` after the vendor rejected it. Only that token: when several calls were
   * rejected at once, the first one's refresh must not be thrown away by the others.
   */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = null;
  }

  /**
   * Runs `call` with a token; on `TokenRejectedError`, once more with a fresh token. A token call
   * it has to make is made in `scope`, the scope of `call`'s own vendor call.
   */
  async withToken<T>(call: (token: string) => Promise<T>, scope?: RequestScope): Promise<T> {
    const token = await this.get(scope);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      this.invalidate(token);
      return call(await this.get(scope));
    }
  }

  async #fetchAndCache(scope: RequestScope | undefined): Promise<string> {
    const fetchedAt = this.#clock();
    const issued = await this.#fetch(scope);
    const lifetimeMs = issued.expireSeconds * 1000;
    const margin = Math.min(this.#refreshBeforeMs, lifetimeMs / 10);
    this.#cached = { token: issued.token, refreshAt: fetchedAt + lifetimeMs - margin };
    return issued.token;
  }

  #clearPending(pending: Promise<string>): void {
    if (this.#pending === pending) this.#pending = null;
  }
}
