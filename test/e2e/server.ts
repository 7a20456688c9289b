/**
 * What the browser tests drive: the sandbox and the API on a free loopback port, built as
 * `npm start` builds them (sandbox conversations known to the app), and a fresh Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import type { App, ServerPolicy } from '../../src/app.js';
import { composeChatgraph } from '../../src/compose.js';
import { silentLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { listen } from '../../src/server.js';
import { CHROMIUM_PATH } from './browser-path.js';

export { CHROMIUM_PATH };

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

export interface RunningApi {
  sandbox: Sandbox;
  app: App;
  url: string;
  /** The emulators' origins: they serve the sandbox's media on loopback. */
  mediaOrigins: string[];
  close(): Promise<void>;
}

export async function startApi(
  options: {
    /**
     * A SQLite store in a temp dir, every source archived, as `npm start` gives the sandbox; it
     * has seen nothing until the test reads conversations (see `primeStore`).
     */
    store?: boolean;
    policy?: Partial<ServerPolicy>;
  } = {},
): Promise<RunningApi> {
  const sandbox = await startSandbox();
  const storeDir = options.store ? await mkdtemp(join(tmpdir(), 'chatgraph-e2e-store-')) : null;
  const { app, yoga, close } = await composeChatgraph({
    sandbox,
    logger: silentLogger(),
    cursorSecret: 'e2e-cursor-secret-0123456789',
    policy: options.policy,
    store:
      storeDir === null
        ? null
        : {
            engine: 'sqlite',
            path: join(storeDir, 'store.db'),
            sources: Object.fromEntries(
              sandbox.sources.map((s) => [s.name, { archive: true, retentionDays: null }]),
            ),
          },
  });
  const { server, url } = await listen(yoga, 0, '127.0.0.1');
  return {
    sandbox,
    app,
    url,
    mediaOrigins: [...sandbox.emulators.values()].map((emulator) => emulator.baseUrl),
    async close() {
      await closeServer(server);
      await close();
      await sandbox.close();
      if (storeDir) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Browser {
  context: BrowserContext;
  /** Requests the pages made to anywhere but the API (and the sandbox's media), with their type. */
  external: Array<{ url: string; type: string }>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a throwaway profile. Only the API's origin is reachable:
 * anything else is recorded and aborted, which is how the tests prove the pages work offline.
 */
export async function launchBrowser(
  apiUrl: string,
  options: { timezoneId?: string; mediaOrigins?: string[] } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The end-to-end tests need Chromium at ${CHROMIUM_PATH}; run the tests as root once (test/e2e/global-setup.ts installs it with apt-get), install chromium yourself, or set CHROMIUM_PATH.`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'chatgraph-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: options.timezoneId ?? 'UTC',
  });
  const origin = new URL(apiUrl).origin;
  const external: Browser['external'] = [];
  await context.route('**/*', (route) => {
    const request = route.request();
    if (
      request.url().startsWith(`${origin}/`) ||
      (options.mediaOrigins ?? []).some((media) => request.url().startsWith(`${media}/media/`)) ||
      request.url().startsWith('data:') ||
      request.url().startsWith('blob:')
    ) {
      return route.continue();
    }
    external.push({ url: request.url(), type: request.resourceType() });
    return route.abort('internetdisconnected');
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
