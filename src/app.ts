/**
 * What lives for the whole process: the configured sources, the cursor codec and the logger.
 * Built once at start-up; nothing here is per request or per client.
 */
import { ChatgraphError, ERROR_CODES } from './errors.js';
import type { Logger } from './logger.js';
import { CursorCodec } from './resolvers/cursor.js';
import type { AnySource } from './sources/source.js';

export class SourceRegistry {
  readonly #byName = new Map<string, AnySource>();

  constructor(sources: AnySource[]) {
    for (const source of sources) {
      if (this.#byName.has(source.name)) throw new Error(`Duplicate source name "${source.name}".`);
      this.#byName.set(source.name, source);
    }
  }

  list(): AnySource[] {
    return [...this.#byName.values()];
  }

  find(name: string): AnySource | undefined {
    return this.#byName.get(name);
  }

  get(name: string): AnySource {
    const source = this.#byName.get(name);
    if (!source) {
      throw new ChatgraphError(ERROR_CODES.UNKNOWN_SOURCE, `No source is named "${name}".`, {
        source: name,
      });
    }
    return source;
  }
}

export interface App {
  sources: SourceRegistry;
  cursors: CursorCodec;
  logger: Logger;
  /** How long one GraphQL operation may spend on vendor calls, retries included. */
  requestTimeoutMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export function createApp(options: {
  sources: AnySource[];
  cursorSecret: string;
  logger: Logger;
  requestTimeoutMs?: number;
}): App {
  return {
    sources: new SourceRegistry(options.sources),
    cursors: new CursorCodec(options.cursorSecret),
    logger: options.logger,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

export async function closeApp(app: App): Promise<void> {
  await Promise.all(app.sources.list().map((source) => source.close()));
}
