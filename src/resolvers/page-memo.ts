/**
 * One operation's memo of vendor pages, for one source. Contract (DataLoader's, without batching,
 * which vendors have no endpoint for): `load(request)` makes the call the first time its
 * `pageKey` is asked for and hands every later load of that key the same promise, whether the
 * call is still in flight or answered long ago; a failure is remembered too, so a broken page
 * fails alike wherever the operation needs it instead of being retried by every field. One memo
 * per source per operation, never shared between operations (`RequestLoaders` makes them).
 */
import type { PageLoader } from '../sources/source.js';

export class PageMemo<Req, Page> implements PageLoader<Req, Page> {
  readonly #pages = new Map<string, Promise<Page>>();
  readonly #key: (request: Req) => string;
  readonly #fetch: (request: Req) => Promise<Page>;

  constructor(key: (request: Req) => string, fetch: (request: Req) => Promise<Page>) {
    this.#key = key;
    this.#fetch = fetch;
  }

  load(request: Req): Promise<Page> {
    const key = this.#key(request);
    let page = this.#pages.get(key);
    if (!page) {
      page = this.#fetch(request);
      this.#pages.set(key, page);
    }
    return page;
  }
}
