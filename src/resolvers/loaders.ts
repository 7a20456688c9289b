/**
 * Request-scoped vendor page loaders. Contract (as DataLoader's): one loader per source per GraphQL
 * operation, never shared between operations; `load(request)` resolves to that vendor call's
 * normalized page, and two loads whose `pageKey` is equal make one vendor call. A failed call is
 * remembered for the rest of the operation, so a broken page fails the same way wherever it is
 * needed instead of being retried by every field.
 */
import DataLoader from 'dataloader';
import type { AnySource, PageLoader } from '../sources/source.js';

export class RequestLoaders {
  readonly #pages = new Map<string, DataLoader<unknown, unknown, string>>();

  pages<Req, Page>(source: AnySource): PageLoader<Req, Page> {
    let loader = this.#pages.get(source.name);
    if (!loader) {
      loader = new DataLoader<unknown, unknown, string>(
        // Vendors have no batch endpoints: each key is its own call, made concurrently.
        (requests) =>
          Promise.all(
            requests.map((request) => source.fetchPage(request).catch((error: unknown) => error as Error)),
          ),
        { cacheKeyFn: (request) => source.pageKey(request) },
      );
      this.#pages.set(source.name, loader);
    }
    return loader as PageLoader<Req, Page>;
  }
}
