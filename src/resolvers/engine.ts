/**
 * What the engine (paging, `around`, nodes, search, the store's listings) works with for one
 * GraphQL operation, passed in explicitly rather than read from the GraphQL context: the engine
 * then runs, and is tested, without Yoga, the app or HTTP. `engineOf` in `src/context.ts` is the
 * one adapter from the context.
 */

import type { AnySource, PageLoader } from '../sources/source.js';
import type { Store } from '../store/store.js';
import type { CursorCodec } from './cursor.js';

/** The sources an operation's client may read; an unknown or out-of-scope name is UNKNOWN_SOURCE. */
export interface SourceLookup {
  /** Throws UNKNOWN_SOURCE for a name the client may not read. */
  get(name: string): AnySource;
  list(): AnySource[];
}

/** The operation's vendor page loaders (see `RequestLoaders`): one per operation, never shared. */
export interface OperationPages {
  pages<Req, Page>(source: AnySource): PageLoader<Req, Page>;
  /** Vendor calls the operation has made so far. */
  readonly calls: number;
}

export interface Engine {
  sources: SourceLookup;
  loaders: OperationPages;
  cursors: CursorCodec;
  /** What chatgraph has seen and kept (listing, search); null: no store. */
  store: Store | null;
  /** The most vendor calls the operation may make (`ServerPolicy.maxVendorCalls`). */
  maxVendorCalls: number;
  /** Settled vendor pages are kept across operations (`SharedPages.keepsPages`). */
  keepsPages: boolean;
}
