/**
 * The store as the app runs it: the database, the recorder that feeds it, the sources wrapped so
 * their reads are recorded (and archived ones extended), and retention applied at start and every
 * hour. Loaded only when a store is configured (`await import`), so a configuration without one
 * never loads a database driver.
 */
import type { Logger } from '../logger.js';
import type { AnySource } from '../sources/source.js';
import type { StoreConfig } from './config.js';
import { type ListingWalk, walkListings } from './listing-walk.js';
import { Recorder, type RecorderOptions } from './recorder.js';
import { Store } from './store.js';
import { storedSource } from './stored-source.js';

const RETENTION_EVERY_MS = 3_600_000;

export interface StoreRuntime {
  store: Store;
  recorder: Recorder;
  /** The sources, each wrapped to record what its reads return. */
  wrap(sources: AnySource[]): AnySource[];
  /** Starts the background walk of the vendors' listings (`listMembers`), see `listing-walk.ts`. */
  list(sources: AnySource[]): ListingWalk;
  /** Writes what is queued, stops retention, closes the database. */
  close(): Promise<void>;
}

export async function startStore(
  config: StoreConfig,
  logger: Logger,
  options: { now?: () => number; recorder?: RecorderOptions } = {},
): Promise<StoreRuntime> {
  const now = options.now ?? Date.now;
  const store = await Store.open(config, { now });
  const recorder = new Recorder(store, logger, options.recorder);
  const retain = async () => {
    try {
      const purged = await store.applyRetention();
      if (purged.messages + purged.conversations > 0) logger.info(purged, 'store: retention applied');
    } catch (error) {
      logger.error({ err: error }, 'store: retention failed');
    }
  };
  await retain();
  const timer = setInterval(retain, RETENTION_EVERY_MS);
  timer.unref();
  logger.info(
    { engine: store.engine, archive: Object.keys(config.sources).filter((s) => config.sources[s]?.archive) },
    'store: ready',
  );
  return {
    store,
    recorder,
    wrap: (sources) =>
      sources.map((source) =>
        storedSource(source, { store, recorder, policy: store.policy(source.name), now }),
      ),
    list: (sources) => walkListings(sources, (name) => store.policy(name), recorder, logger),
    async close() {
      clearInterval(timer);
      await recorder.flush();
      await store.close();
    },
  };
}

export type { StoreConfig } from './config.js';
export { Store } from './store.js';
