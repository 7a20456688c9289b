/**
 * Fills a fresh sandbox store by reading the sandbox's conversations once, through the engine
 * like any client, so that listing and search have something to show as soon as `npm start` is
 * up. Runs in the background; `stop` ends it between pages.
 */
import type { App, KnownConversation } from '../app.js';
import { createContext, engineOf } from '../context.js';
import { pageMessages } from '../resolvers/paging.js';

/** Most pages read per conversation: the sandbox's longest has a few thousand messages. */
const MAX_PAGES = 200;

export function primeStore(
  app: App,
  conversations: KnownConversation[],
): { done: Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  const done = (async () => {
    for (const known of conversations) {
      const source = app.sources.find(known.source);
      if (!source) continue;
      const ref = { vendor: source.vendor, source: source.name, externalId: known.externalId };
      let after: string | null = null;
      try {
        for (let pages = 0; pages < MAX_PAGES && !stopped; pages++) {
          const page = await pageMessages(engineOf(createContext(app)), ref, { first: 100, after });
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
      } catch (error) {
        app.logger.warn({ err: error, source: known.source }, 'store: could not read a sandbox conversation');
      }
      if (stopped) return;
    }
    await app.store?.recorder.flush();
    app.logger.info({ conversations: conversations.length }, 'store: sandbox conversations recorded');
  })();
  return {
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
