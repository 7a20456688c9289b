/**
 * The test harness: the sandbox emulators on loopback, the API built on them exactly as
 * `npm start` builds it, and a `query` that goes through `yoga.fetch` in-process.
 */
import type { ExecutionResult } from 'graphql';
import { type App, closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import type { CallLog } from '../../src/sandbox/server.js';
import { createSources, type SourceConfig } from '../../src/sources/index.js';
import { type ChatgraphYoga, createChatgraphYoga } from '../../src/yoga.js';

export const TEST_CURSOR_SECRET = 'test-cursor-secret-0123456789';

export interface Harness {
  sandbox: Sandbox;
  app: App;
  yoga: ChatgraphYoga;
  query<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<ExecutionResult<T>>;
  /** The calls one vendor's emulator has served. */
  calls(vendor: Vendor): CallLog;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    /** The sandbox vendors to start (all by default; `[]` for none). */
    vendors?: Vendor[];
    /** More sources, e.g. pointing at an emulator a test started with its own data. */
    sources?: SourceConfig[];
    /** Rewrites the sandbox's source configs (after `sources` are added). */
    configure?: (configs: SourceConfig[]) => SourceConfig[];
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ vendors: options.vendors });
  const logger = silentLogger();
  const all = [...sandbox.sources, ...(options.sources ?? [])];
  const configs = options.configure ? options.configure(all) : all;
  const app = createApp({
    sources: createSources(configs, { logger }),
    cursorSecret: TEST_CURSOR_SECRET,
    logger,
  });
  const yoga = createChatgraphYoga(app);
  return {
    sandbox,
    app,
    yoga,
    async query(document, variables) {
      const response = await yoga.fetch('http://chatgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document, variables }),
      });
      return response.json();
    },
    calls(vendor) {
      const emulator = sandbox.emulators.get(vendor);
      if (!emulator) throw new Error(`No ${vendor} emulator in this harness.`);
      return emulator.calls;
    },
    async close() {
      await closeApp(app);
      await sandbox.close();
    },
  };
}
