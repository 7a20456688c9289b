/**
 * Automatic persisted queries (Apollo's APQ protocol, which Apollo Client's `PersistedQueryLink`
 * and urql's `persistedExchange` speak): a client first sends only the SHA-256 of its document in
 * `extensions.persistedQuery`; a server that does not know it answers PERSISTED_QUERY_NOT_FOUND,
 * and the client sends the document with its hash once, which registers it. Without this, such a
 * client's first request got "Must provide query string." and failed instead of falling back.
 *
 * Registered documents are kept per process, least recently used first out, bounded in entries and
 * in bytes: a client registering documents in a loop only pushes others out, and their clients
 * send their text again. On several replicas a document registered on one is registered again on
 * another the first time that one is asked for it (one extra round trip, nothing lost).
 *
 * A document registered here is an ordinary document: parsed, validated and limited like any
 * other. With a persisted-operations manifest and `allowArbitraryOperations: false` there is no
 * registering (that would let any client add trusted documents): this plugin is not installed and
 * the manifest answers every id. With the manifest and arbitrary documents allowed, an id the
 * manifest has is left to it.
 */
import { hash } from 'node:crypto';
import type { App } from '../app.js';
import { persistedQueryMismatch, persistedQueryNotFound, persistedQueryNotSupported } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { requestError } from './request-error.js';

export interface PersistedQueryStoreLimits {
  maxEntries: number;
  /** Estimated as two bytes per character of each document. */
  maxBytes: number;
}

/** An application's operations, many times over; 64 documents of the largest body allowed fit. */
export const DEFAULT_PERSISTED_QUERY_LIMITS: PersistedQueryStoreLimits = {
  maxEntries: 2_000,
  maxBytes: 8 * 1024 * 1024,
};

/** Registered documents by their SHA-256 (hex), least recently used first out. */
export class PersistedQueryStore {
  readonly #documents = new Map<string, string>();
  readonly #limits: PersistedQueryStoreLimits;
  #bytes = 0;

  constructor(limits: PersistedQueryStoreLimits = DEFAULT_PERSISTED_QUERY_LIMITS) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#documents.size;
  }

  get(sha256: string): string | undefined {
    const document = this.#documents.get(sha256);
    if (document !== undefined) {
      this.#documents.delete(sha256);
      this.#documents.set(sha256, document);
    }
    return document;
  }

  set(sha256: string, document: string): void {
    const bytes = document.length * 2;
    if (bytes > this.#limits.maxBytes) return;
    const known = this.#documents.get(sha256);
    if (known !== undefined) {
      this.#documents.delete(sha256);
      this.#bytes -= known.length * 2;
    }
    this.#documents.set(sha256, document);
    this.#bytes += bytes;
    for (const [oldest, text] of this.#documents) {
      if (this.#documents.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) break;
      this.#documents.delete(oldest);
      this.#bytes -= text.length * 2;
    }
  }
}

/** `extensions.persistedQuery` as the protocol defines it: `{ version: 1, sha256Hash }`. */
function persistedQueryOf(extensions: unknown): { version: unknown; sha256Hash: unknown } | null {
  const value = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  return value !== null && typeof value === 'object'
    ? (value as { version: unknown; sha256Hash: unknown })
    : null;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function useAutomaticPersistedQueries(
  app: App,
  store = new PersistedQueryStore(),
): ChatgraphPlugin | null {
  const { persistedOperations: manifest, allowArbitraryOperations } = app.policy;
  if (manifest && !allowArbitraryOperations) return null;
  return {
    onParams({ params, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (!persisted) return;
      const { version, sha256Hash } = persisted;
      if (version !== 1 || typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
        throw requestError(persistedQueryNotSupported());
      }
      // The protocol's part is done here: what runs is a plain document.
      const { persistedQuery: _, ...extensions } = params.extensions as Record<string, unknown>;
      if (typeof params.query === 'string') {
        if (hash('sha256', params.query, 'hex') !== sha256Hash) throw requestError(persistedQueryMismatch());
        store.set(sha256Hash, params.query);
        setParams({ ...params, extensions });
        return;
      }
      if (params.query != null) return; // not a document: Yoga refuses it
      const query = store.get(sha256Hash);
      if (query === undefined) {
        if (manifest?.[`sha256:${sha256Hash}`] !== undefined) return;
        throw requestError(persistedQueryNotFound(), 404);
      }
      setParams({ ...params, query, extensions });
    },
  };
}
