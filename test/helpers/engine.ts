/**
 * The engine for one operation on in-memory sources, without Yoga, the app or HTTP: what
 * `engineOf(ctx)` gives a resolver, built from explicit parts.
 */
import { CursorCodec } from '../../src/resolvers/cursor.js';
import type { Engine } from '../../src/resolvers/engine.js';
import { RequestLoaders } from '../../src/resolvers/loaders.js';
import type { AnySource } from '../../src/sources/source.js';
import { TEST_CURSOR_SECRET } from './harness.js';

export const testCursors = new CursorCodec(TEST_CURSOR_SECRET);

/** A fresh operation (its own loaders) over `sources`. */
export function engineFor(sources: AnySource | AnySource[], maxVendorCalls = 1_000): Engine {
  const list = Array.isArray(sources) ? sources : [sources];
  return {
    sources: {
      get: (name) => {
        const found = list.find((source) => source.name === name);
        if (!found) throw new Error(`no source ${name}`);
        return found;
      },
      list: () => list,
    },
    loaders: new RequestLoaders(Date.now() + 60_000, maxVendorCalls),
    cursors: testCursors,
    store: null,
    maxVendorCalls,
    keepsPages: false,
  };
}
