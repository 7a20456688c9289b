import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretFrom } from '../../../src/config/secret.js';
import { silentLogger } from '../../../src/logger.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { airudder } from '../../../src/sources/airudder/index.js';
import type { AirudderMessage } from '../../../src/sources/airudder/normalize.js';
import {
  AIRUDDER_SAMPLE_SESSION,
  airudderSandboxSessions,
} from '../../../src/sources/airudder/sandbox/data.js';
import { airudderEmulator } from '../../../src/sources/airudder/sandbox/emulator.js';
import { type AirudderPageRequest, AirudderSource } from '../../../src/sources/airudder/source.js';
import type { PageLoader } from '../../../src/sources/source.js';

const CREDENTIALS = { signKey: 'sign-key', sign: 'sign' };
const sessions = airudderSandboxSessions();
const sampleIds = (sessions.get(AIRUDDER_SAMPLE_SESSION) ?? []).map((m) => m.msg_id);
const longIds = (sessions.get('sandbox-long') ?? []).map((m) => m.msg_id);

let emulator: RunningEmulator;
let source: AirudderSource;

/** A request-scoped cache like the engine's: equal page keys make one vendor call. */
function loader(): PageLoader<AirudderPageRequest, AirudderMessage[]> {
  const cache = new Map<string, Promise<AirudderMessage[]>>();
  return {
    load(request) {
      const key = source.pageKey(request);
      let page = cache.get(key);
      if (!page) {
        page = source.fetchPage(request);
        cache.set(key, page);
      }
      return page;
    },
  };
}

const read = (
  conversation: string,
  limit: number,
  from: { id: string; t: number } | null = null,
  continuation?: unknown,
) => source.read(loader(), { conversation, direction: 'older', from, limit, filter: {}, continuation });

beforeAll(async () => {
  emulator = await startEmulator(airudderEmulator({ sessions, credentials: CREDENTIALS }));
  source = new AirudderSource(
    { vendor: 'AIRUDDER', name: 'bot', baseUrl: emulator.baseUrl, ...CREDENTIALS, pageSize: 50 },
    { logger: silentLogger() },
  );
});
beforeEach(() => emulator.calls.reset());
afterAll(async () => {
  await source.close();
  await emulator.close();
});

describe('airudder configuration', () => {
  const secret = secretFrom({ AIR_KEY: 'the-key', AIR_SIGN: 'the-sign' });
  const base = {
    vendor: 'AIRUDDER',
    name: 'bot',
    baseUrl: 'https://api.airudder.com',
    signKey: { env: 'AIR_KEY' },
  };

  it('reads secrets from the environment; Sign defaults to empty, page size to 50', () => {
    expect(airudder.configSchema(secret).parse(base)).toEqual({
      ...base,
      signKey: 'the-key',
      sign: '',
      pageSize: 50,
    });
    expect(airudder.configSchema(secret).parse({ ...base, sign: { env: 'AIR_SIGN' } }).sign).toBe('the-sign');
  });

  it('refuses inline secrets, a missing key and a page size above the vendor maximum', () => {
    const schema = airudder.configSchema(secret);
    expect(schema.safeParse({ ...base, signKey: 'inline' }).success).toBe(false);
    expect(schema.safeParse({ ...base, signKey: undefined }).success).toBe(false);
    expect(schema.safeParse({ ...base, pageSize: 51 }).success).toBe(false);
  });
});

describe('AirudderSource', () => {
  it('says what the vendor limits are', () => {
    expect(source.capabilities).toMatchObject({
      olderPaging: 'NATIVE',
      newerPaging: 'SCAN',
      vendorMaxPageSize: 50,
      timeOrdered: false,
      resumesAtMessage: true,
      retentionSeconds: 86_400,
      defaultLookbackSeconds: null,
    });
    expect(source.capabilities.notes.join(' ')).toContain('24 hours');
  });

  it('checks call ids without a vendor call', () => {
    expect(source.conversationId(AIRUDDER_SAMPLE_SESSION)).toBe(AIRUDDER_SAMPLE_SESSION);
    expect(() => source.conversationId('has space')).toThrow(/call id/);
    expect(emulator.calls.count).toBe(0);
  });

  it('reads toward older messages from the newest, then from a position, sizing calls to the limit', async () => {
    const first = await read(AIRUDDER_SAMPLE_SESSION, 5);
    expect(first.messages.map((m) => m.externalId)).toEqual(sampleIds.slice(0, 5));
    expect(first.continuation).toBe(sampleIds[4]);
    const next = await read(AIRUDDER_SAMPLE_SESSION, 5, null, first.continuation);
    expect(next.messages.map((m) => m.externalId)).toEqual(sampleIds.slice(5, 10));
    const from = await read(AIRUDDER_SAMPLE_SESSION, 50, { id: sampleIds[15] as string, t: 0 });
    expect(from.messages.map((m) => m.externalId)).toEqual(sampleIds.slice(16));
    // A short page is not the end: the vendor documents no maximum `size`.
    expect(from.continuation).toBe(sampleIds[17]);
    const end = await read(AIRUDDER_SAMPLE_SESSION, 1, null, from.continuation);
    expect(end).toEqual({ messages: [], continuation: null });
    // Anchored reads ask for at least 2, room for one new message should the vendor repeat the anchor.
    expect(emulator.calls.recent.map((call) => (call.body as { size: number }).size)).toEqual([5, 5, 50, 2]);
  });

  it('never asks the vendor for more than its maximum', async () => {
    const result = await read('sandbox-long', 500);
    expect(result.messages).toHaveLength(50);
    expect(result.continuation).toBe(longIds[49]);
    expect(emulator.calls.recent[0]?.body).toMatchObject({ size: 50 });
  });

  it('ends the walk on an empty page only, never on a short one', async () => {
    expect(await read('sandbox-empty', 10)).toEqual({ messages: [], continuation: null });
    const short = await read(AIRUDDER_SAMPLE_SESSION, 30);
    expect(short.messages).toHaveLength(18);
    expect(short.continuation).toBe(sampleIds[17]);
    expect(await read(AIRUDDER_SAMPLE_SESSION, 30, null, short.continuation)).toEqual({
      messages: [],
      continuation: null,
    });
  });

  it('is never asked to read toward newer messages', async () => {
    await expect(
      source.read(loader(), { conversation: 'x', direction: 'newer', from: null, limit: 1, filter: {} }),
    ).rejects.toThrow(/older messages only/);
  });

  it('finds a message from the newest down, one call per 50 messages, through the page cache', async () => {
    const pages = loader();
    const found = await source.find(pages, AIRUDDER_SAMPLE_SESSION, { id: sampleIds[17] as string, t: 0 });
    expect(found?.externalId).toBe(sampleIds[17]);
    expect(emulator.calls.count).toBe(1);
    await source.find(pages, AIRUDDER_SAMPLE_SESSION, { id: sampleIds[3] as string, t: 0 });
    expect(emulator.calls.count).toBe(1);

    emulator.calls.reset();
    const deep = await source.find(loader(), 'sandbox-long', { id: longIds[1234] as string, t: 0 });
    expect(deep?.externalId).toBe(longIds[1234]);
    expect(emulator.calls.count).toBe(25);
  });

  it('finds nothing for a message the session does not hold', async () => {
    expect(await source.find(loader(), AIRUDDER_SAMPLE_SESSION, { id: 'gone', t: 0 })).toBeNull();
    expect(await source.find(loader(), 'sandbox-empty', { id: 'gone', t: 0 })).toBeNull();
    // The sample's 18, the empty page that proves there is nothing older, and sandbox-empty's one.
    expect(emulator.calls.count).toBe(3);
  });
});

describe('AirudderSource warnings', () => {
  it('writes an undocumented status once per minute, however many messages and reads carry it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    let now = Date.UTC(2026, 10, 30);
    const warned = new AirudderSource(
      { vendor: 'AIRUDDER', name: 'bot', baseUrl: emulator.baseUrl, ...CREDENTIALS, pageSize: 50 },
      {
        logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
        clock: () => now,
      },
    );
    const request = { callId: AIRUDDER_SAMPLE_SESSION, lastMsgId: '', size: 50 };
    try {
      // The sample session's 18 messages, 3 of them with the vendor's undocumented `send`.
      const page = await warned.fetchPage(request);
      expect(page.filter((message) => message.statusRaw === 'send')).toHaveLength(3);
      await warned.fetchPage(request);
      const written = () =>
        lines
          .filter((line) => line.msg === 'unknown AIRUDDER status')
          .map(({ source, status, repeated }) => ({ source, status, repeated }));
      expect(written()).toEqual([{ source: 'bot', status: 'send', repeated: undefined }]);

      now += 60_000;
      await warned.fetchPage(request);
      // The next line says how many were not written since the last: 2 more of the first read,
      // 3 of the second.
      expect(written()).toEqual([
        { source: 'bot', status: 'send', repeated: undefined },
        { source: 'bot', status: 'send', repeated: 5 },
      ]);
    } finally {
      await warned.close();
    }
  });
});
