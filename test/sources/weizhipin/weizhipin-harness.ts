/**
 * A harness around one weizhipin emulator whose knobs the shared harness does not reach: the
 * chats it serves, its token lifetime and shape, its latency, a clock shared with the source, and
 * the logger the source writes to. It has the shared `Harness` shape, so `checkPagingLaws` runs
 * on it unchanged. Vendor pages are not kept across operations unless a test asks for it
 * (`policy.pageCacheTtlMs`): the tests count the calls each operation's plan makes.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { closeApp, createApp, type ServerPolicy } from '../../../src/app.js';
import type { Logger } from '../../../src/logger.js';
import { startEmulator } from '../../../src/sandbox/server.js';
import type { WeizhipinSourceConfig } from '../../../src/sources/weizhipin/config.js';
import { DAY_MS, dayOfMs, type WeizhipinWireRecord } from '../../../src/sources/weizhipin/sandbox/data.js';
import {
  WeizhipinEmulator,
  type WeizhipinEmulatorOptions,
} from '../../../src/sources/weizhipin/sandbox/emulator.js';
import { WeizhipinSource } from '../../../src/sources/weizhipin/source.js';
import { createChatgraphYoga } from '../../../src/yoga.js';
import { type Harness, TEST_CURSOR_SECRET } from '../../helpers/harness.js';

export const APP_ID = 'cli_test_app';
export const APP_SECRET = 'test-app-secret-do-not-leak';

export interface WeizhipinHarness extends Harness {
  emulator: WeizhipinEmulator;
  source: WeizhipinSource;
  /** The chatgraph id of a chat of this source. */
  chatId(externalId: string): Promise<string>;
  /** `im/v2/messages` calls served, in order. */
  messageCalls(): URLSearchParams[];
  tokenCalls(): number;
  /** Resolves when no message call is in flight (read-ahead an answered operation left behind). */
  idle(): Promise<void>;
}

export interface WeizhipinHarnessOptions {
  chats: Map<string, WeizhipinWireRecord[]>;
  emulator?: Partial<Omit<WeizhipinEmulatorOptions, 'chats'>>;
  config?: Partial<WeizhipinSourceConfig>;
  now?: () => number;
  logger?: Logger;
  /** The app's policy; `pageCacheTtlMs` is 0 unless given. */
  policy?: Partial<ServerPolicy>;
}

export async function startWeizhipinHarness(options: WeizhipinHarnessOptions): Promise<WeizhipinHarness> {
  const emulator = new WeizhipinEmulator({
    chats: options.chats,
    appId: APP_ID,
    appSecret: APP_SECRET,
    clock: options.now,
    ...options.emulator,
  });
  const running = await startEmulator(emulator.handler);
  // Keep the lines unless the test brought its own logger, so `logs()` can show them.
  const captured = options.logger ? null : capturingLogger();
  const logger = options.logger ?? (captured as NonNullable<typeof captured>).logger;
  const config: WeizhipinSourceConfig = {
    vendor: 'WEIZHIPIN',
    name: 'weizhipin',
    baseUrl: running.baseUrl,
    appId: APP_ID,
    appSecret: APP_SECRET,
    lookbackDays: 100,
    windowConcurrency: 8,
    pageSize: 50,
    ...options.config,
  };
  const source = new WeizhipinSource(config, { logger, clock: options.now });
  // Vendor calls not answered yet, counted where they start: read-ahead an answered operation
  // left behind may not have reached the emulator.
  let pending = 0;
  const fetchPage = source.fetchPage.bind(source);
  source.fetchPage = async (request, scope) => {
    pending++;
    try {
      return await fetchPage(request, scope);
    } finally {
      pending--;
    }
  };
  const app = createApp({
    sources: [source],
    cursorSecret: TEST_CURSOR_SECRET,
    logger,
    policy: { pageCacheTtlMs: 0, ...options.policy },
  });
  const yoga = createChatgraphYoga(app);
  const harness: WeizhipinHarness = {
    sandbox: {
      sources: [config],
      emulators: new Map([['WEIZHIPIN', running]]),
      conversations: [],
      close: () => running.close(),
    },
    app,
    yoga,
    emulator,
    source,
    async query(document, variables) {
      const response = await yoga.fetch('http://chatgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document, variables }),
      });
      return response.json();
    },
    calls: () => running.calls,
    logs: () => (captured?.lines ?? []).map((line) => JSON.parse(line) as Record<string, unknown>),
    async chatId(externalId) {
      const result = await harness.query<{ source: { conversation: { id: string } } }>(
        'query($x: String!) { source(name: "weizhipin") { conversation(externalId: $x) { id } } }',
        { x: externalId },
      );
      if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
      return result.data.source.conversation.id;
    },
    messageCalls: () =>
      running.calls.recent
        .filter((call) => call.path.startsWith('/open-apis/im/v2/messages'))
        .map((call) => new URL(call.path, 'http://x').searchParams),
    async idle() {
      while (pending > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    },
    tokenCalls: () =>
      running.calls.recent.filter((call) => call.path === '/open-apis/auth/tenant_access_token/internal')
        .length,
    async close() {
      await closeApp(app);
      await running.close();
    },
  };
  return harness;
}

/** A logger whose lines are kept, to prove what never reaches them. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

let counter = 0;

/** A wire record like the sample's, at `ms`, text content. */
export function textRecord(ms: number, text: string, id = `test-${String(counter++).padStart(6, '0')}~`) {
  return {
    message_id: id,
    root_id: null,
    parent_id: null,
    msg_type: 'text',
    create_time: String(ms),
    update_time: String(ms),
    deleted: false,
    updated: false,
    chat_id: null,
    sender: { id: 'ou_tester', id_type: 'open_id', sender_type: 'user', tenant_key: 'tk' },
    body: { content: JSON.stringify({ text }) },
    mentions: [],
    upper_message_id: null,
  } satisfies WeizhipinWireRecord;
}

export const today = (): number => dayOfMs(Date.now());
export { DAY_MS };

/** A conversation's expected list order (newest first) from the emulator's ascending records. */
export const newestFirst = (records: WeizhipinWireRecord[]): string[] =>
  [...records]
    .map((record, index) => ({ id: record.message_id, t: Number(record.create_time), index }))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .reverse()
    .map((item) => item.id);
