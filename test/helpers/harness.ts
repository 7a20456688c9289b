/**
 * The test harness: the sandbox emulators on loopback, the API built on them exactly as
 * `npm start` builds it, and a `query` that goes through `yoga.fetch` in-process.
 *
 * It also guards every test's traffic: each response, and every log line the app writes (at
 * debug level, so vendor calls are logged too), is scanned for the credentials the sources were
 * configured with and the API keys in play. A secret that leaks fails the test that leaked it.
 */
import type { ExecutionResult } from 'graphql';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { App, ServerPolicy } from '../../src/app.js';
import { composeChatgraph } from '../../src/compose.js';
import type { Vendor } from '../../src/model/index.js';
import type { Faults } from '../../src/sandbox/faults.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { QuirkSpec } from '../../src/sandbox/quirks.js';
import type { CallLog } from '../../src/sandbox/server.js';
import type { SourceConfig } from '../../src/sources/index.js';
import type { VendorDefinition } from '../../src/sources/vendor.js';
import type { StoreConfig } from '../../src/store/config.js';
import type { ChatgraphYoga } from '../../src/yoga.js';

export const TEST_CURSOR_SECRET = 'test-cursor-secret-0123456789';

export interface Harness {
  sandbox: Sandbox;
  app: App;
  yoga: ChatgraphYoga;
  query<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<ExecutionResult<T>>;
  /** The calls one vendor's emulator has served. */
  calls(vendor: Vendor): CallLog;
  /** Every log line the app wrote so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Config fields that hold credentials, whatever the vendor calls them. */
const SECRET_FIELD = /cookie|magic|sign|secret|token|password|key/i;

/** The credential values in source configs (nested ones included), long enough to be telling. */
export function secretsIn(configs: unknown[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && SECRET_FIELD.test(key) && value.length >= 6) found.add(value);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, SECRET_FIELD.test(key) ? key : k);
    }
  };
  for (const config of configs) walk(config, '');
  return [...found];
}

export function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    expect(text.includes(secret), `a configured secret appeared in ${where}`).toBe(false);
  }
}

export async function startHarness(
  options: {
    /** The sandbox vendors to start (all of `registry` by default; `[]` for none). */
    vendors?: Vendor[];
    /** The vendors the API serves (`VENDORS` by default), e.g. `[...VENDORS, toy]`. */
    registry?: readonly VendorDefinition[];
    /** More sources, e.g. pointing at an emulator a test started with its own data. */
    sources?: SourceConfig[];
    /** Rewrites the sandbox's source configs (after `sources` are added). */
    configure?: (configs: SourceConfig[]) => SourceConfig[];
    policy?: Partial<ServerPolicy>;
    faults?: Faults;
    /** Sandbox quirks by source name, as `CHATGRAPH_SANDBOX_QUIRKS` sets them. */
    quirks?: QuirkSpec;
    /** More secrets to scan for, e.g. the API keys a test uses. */
    secrets?: string[];
    /** A store (listing, search, archives); none by default. */
    store?: StoreConfig;
  } = {},
): Promise<Harness> {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const composed = await composeChatgraph({
    vendors: options.registry,
    sandbox: { vendors: options.vendors, faults: options.faults, quirks: options.quirks },
    configure: (sandboxed) => {
      const all = [...sandboxed, ...(options.sources ?? [])];
      return options.configure ? options.configure(all) : all;
    },
    logger,
    cursorSecret: TEST_CURSOR_SECRET,
    policy: options.policy,
    store: options.store ?? null,
  });
  const { app, yoga } = composed;
  const sandbox = composed.sandbox as Sandbox;
  const secrets = [...secretsIn(composed.sourceConfigs), ...(options.secrets ?? [])];
  return {
    sandbox,
    app,
    yoga,
    async query(document, variables, headers = {}) {
      const response = await yoga.fetch('http://chatgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: document, variables }),
      });
      const text = await response.text();
      expectNoSecrets(text, secrets, 'a response');
      return JSON.parse(text);
    },
    calls(vendor) {
      const emulator = sandbox.emulators.get(vendor);
      if (!emulator) throw new Error(`No ${vendor} emulator in this harness.`);
      return emulator.calls;
    },
    logs: () => lines.map((line) => JSON.parse(line)),
    async close() {
      await composed.close();
      expectNoSecrets(lines.join(''), secrets, 'the logs');
    },
  };
}
