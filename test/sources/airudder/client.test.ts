import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { AirudderClient } from '../../../src/sources/airudder/client.js';
import {
  AIRUDDER_SAMPLE_SESSION,
  airudderSampleRecords,
  airudderSandboxSessions,
} from '../../../src/sources/airudder/sandbox/data.js';
import { airudderEmulator } from '../../../src/sources/airudder/sandbox/emulator.js';
import {
  type AirudderCredentials,
  type AirudderSigner,
  airudderSign,
} from '../../../src/sources/airudder/sign.js';
import type { AirudderSessionMessagesRequest } from '../../../src/sources/airudder/wire.js';
import { createAgent, HttpClient } from '../../../src/sources/http.js';
import { failure } from '../../helpers/failure.js';

const CREDENTIALS: AirudderCredentials = { signKey: 'k3y-value-not-to-leak', sign: 's1gn-value-not-to-leak' };
const sessions = airudderSandboxSessions();
const sampleIds = (sessions.get(AIRUDDER_SAMPLE_SESSION) ?? []).map((m) => m.msg_id);
const longIds = (sessions.get('sandbox-long') ?? []).map((m) => m.msg_id);
const agent = createAgent();
const emulators: RunningEmulator[] = [];
let emulator: RunningEmulator;

async function start(handler: EmulatorHandler): Promise<RunningEmulator> {
  const started = await startEmulator(handler);
  emulators.push(started);
  return started;
}

function clientFor(baseUrl: string, credentials = CREDENTIALS, sign?: AirudderSigner): AirudderClient {
  const http = new HttpClient({ source: 'bot', baseUrl, dispatcher: agent, logger: silentLogger() });
  return new AirudderClient('bot', http, credentials, sign);
}

const request = (
  overrides: Partial<AirudderSessionMessagesRequest> = {},
): AirudderSessionMessagesRequest => ({
  call_id: AIRUDDER_SAMPLE_SESSION,
  last_msg_id: '',
  size: 20,
  type: 'single',
  ...overrides,
});

beforeAll(async () => {
  emulator = await start(airudderEmulator({ sessions, credentials: CREDENTIALS }));
});
beforeEach(() => emulator.calls.reset());
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await agent.close();
});

describe('AirudderClient.sessionMessages against the emulator', () => {
  it('serves the sample session verbatim, in the order received (not by timestamp)', async () => {
    const records = await clientFor(emulator.baseUrl).sessionMessages(request());
    expect(records.map((r) => r.record.msg_id)).toEqual([
      'd28711d4f1b745fab607eaca19e7a17d-2',
      '7cc9a7c49bf84d558a58a07f7c090969-1',
      'b6021a20726738c053c6b90f523e1e25',
      'abf0d3f3bca7dbffe76b5233e978ec4d',
      'dec508c2cb4549b0b2d6a9a1f9dc7d25-2',
      '8587dfc1bbbb4302ad32dd1913176ead-1',
      'b1666ac1514d9e7bbd863319668dc5b9',
      'aab80ee4b49c4d179db2a7202d25b9c2',
      '9fec57b9bd3cbf762a18d0c03afb9394',
      '05edd4a966b14b77803c36fca1044aa7-1',
      '05edd4a966b14b77803c36fca1044aa7-0',
      '1b94be3dd2384fdbc2c54ffdd31ac7f9',
      '1db1af246d534fb3a4c3cc675d71885a-1',
      '1db1af246d534fb3a4c3cc675d71885a-0',
      'c38dba25208d40e8a97916dcfc6e2bb1-2',
      'c38dba25208d40e8a97916dcfc6e2bb1-1',
      'c38dba25208d40e8a97916dcfc6e2bb1-0',
      '7bc58a7794cc51d09f077133736cb314',
    ]);
    const byId = new Map(airudderSampleRecords().map((r) => [r.msg_id, r]));
    for (const { record, raw } of records) expect(raw).toEqual(byId.get(record.msg_id));
    expect(emulator.calls.count).toBe(1);
    expect(emulator.calls.recent[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/session/messages',
      body: { call_id: AIRUDDER_SAMPLE_SESSION, last_msg_id: '', size: 20, type: 'single' },
    });
  });

  it('last_msg_id is strictly older than that message; pages join up to the whole session', async () => {
    const client = clientFor(emulator.baseUrl);
    const ids: string[] = [];
    let last = '';
    for (;;) {
      const page = await client.sessionMessages(
        request({ call_id: 'sandbox-long', last_msg_id: last, size: 50 }),
      );
      ids.push(...page.map((r) => r.record.msg_id));
      if (page.length < 50) break;
      last = page.at(-1)?.record.msg_id as string;
    }
    expect(ids).toEqual(longIds);
    // 5,200 = 104 full pages, then an empty one.
    expect(emulator.calls.count).toBe(105);
    const after = await client.sessionMessages(request({ last_msg_id: sampleIds[9] as string, size: 3 }));
    expect(after.map((r) => r.record.msg_id)).toEqual(sampleIds.slice(10, 13));
  });

  it("signs the sandbox's media links for an hour from the answer, as the vendor's OSS does", async () => {
    const now = Date.UTC(2026, 10, 22, 4, 0, 0);
    const signing = await start(airudderEmulator({ sessions, credentials: CREDENTIALS, clock: () => now }));
    const page = await clientFor(signing.baseUrl).sessionMessages(
      request({ call_id: 'sandbox-long', size: 50 }),
    );
    const links = JSON.stringify(page.map((r) => r.raw)).match(/Expires=\d+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set([`Expires=${now / 1000 + 3_600}`]));
  });

  it('an unknown call_id is an empty session; sandbox-empty is empty', async () => {
    const client = clientFor(emulator.baseUrl);
    expect(await client.sessionMessages(request({ call_id: 'no-such-session' }))).toEqual([]);
    expect(await client.sessionMessages(request({ call_id: 'sandbox-empty' }))).toEqual([]);
  });

  it('a wrong sign key is VENDOR_AUTH_FAILED carrying the request_id, and no secret', async () => {
    const error = await failure(
      clientFor(emulator.baseUrl, { ...CREDENTIALS, signKey: 'wrong-key' }).sessionMessages(request()),
    );
    expect(error.code).toBe('VENDOR_AUTH_FAILED');
    expect(error.details).toEqual({
      source: 'bot',
      vendorCode: 401,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(error.message).not.toContain('wrong-key');
    expect(JSON.stringify(error.details)).not.toContain('wrong-key');
  });

  it('a wrong sign is refused too, each answer with a fresh request_id', async () => {
    const client = clientFor(emulator.baseUrl, { ...CREDENTIALS, sign: 'forged' });
    const first = await failure(client.sessionMessages(request()));
    const second = await failure(client.sessionMessages(request()));
    expect(first.code).toBe('VENDOR_AUTH_FAILED');
    expect(first.details.requestId).not.toBe(second.details.requestId);
    expect(first.message).not.toContain(CREDENTIALS.signKey);
  });

  it("sends an empty X-AIRudder-Sign as the vendor's example does", async () => {
    const example = { signKey: 'k', sign: '' };
    const open = await start(airudderEmulator({ sessions, credentials: example }));
    const records = await clientFor(open.baseUrl, example).sessionMessages(request({ size: 1 }));
    expect(records).toHaveLength(1);
    // Leaving the header out is not the same as sending it empty.
    const missing = await start(async (req) => {
      const headers = { ...req.headers };
      delete headers['x-airudder-sign'];
      return airudderEmulator({ sessions, credentials: example })({ ...req, headers });
    });
    expect((await failure(clientFor(missing.baseUrl, example).sessionMessages(request()))).code).toBe(
      'VENDOR_AUTH_FAILED',
    );
  });

  it('the signing rule is one swappable function, shared by client and emulator', async () => {
    const hmacLike: AirudderSigner = (credentials, input) => ({
      'X-AIRudder-Sign': createHash('sha256')
        .update(`${credentials.sign}\n${input.path}\n${input.body}`)
        .digest('hex'),
      'X-AIRudder-Sign-Key': credentials.signKey,
    });
    const signed = await start(airudderEmulator({ sessions, credentials: CREDENTIALS, sign: hmacLike }));
    expect(
      await clientFor(signed.baseUrl, CREDENTIALS, hmacLike).sessionMessages(request({ size: 2 })),
    ).toHaveLength(2);
    const error = await failure(
      clientFor(signed.baseUrl, CREDENTIALS, airudderSign).sessionMessages(request()),
    );
    expect(error.code).toBe('VENDOR_AUTH_FAILED');
  });

  it('size outside 1..50 is a VENDOR_ERROR with the vendor code and request_id', async () => {
    const client = clientFor(emulator.baseUrl);
    for (const size of [0, 51, 2.5]) {
      const error = await failure(client.sessionMessages(request({ size })));
      expect(error.code).toBe('VENDOR_ERROR');
      expect(error.details).toMatchObject({ source: 'bot', vendorCode: 400 });
      expect(error.details.requestId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(await client.sessionMessages(request({ size: 50 }))).toHaveLength(18);
    expect(await client.sessionMessages(request({ size: 1 }))).toHaveLength(1);
  });

  it('an unknown last_msg_id is a VENDOR_ERROR', async () => {
    const error = await failure(
      clientFor(emulator.baseUrl).sessionMessages(request({ last_msg_id: 'gone' })),
    );
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.details.vendorCode).toBe(404);
    expect(error.message).toContain('last_msg_id not found');
  });

  it('maps envelope code 429 to VENDOR_RATE_LIMITED and HTTP 401 to VENDOR_AUTH_FAILED', async () => {
    const limited = await start(() => ({
      status: 200,
      body: { request_id: 'r-429', code: 429, message: 'too many requests', data: null },
    }));
    const error = await failure(clientFor(limited.baseUrl).sessionMessages(request()));
    expect(error.code).toBe('VENDOR_RATE_LIMITED');
    expect(error.details.requestId).toBe('r-429');
    const http401 = await start(() => ({ status: 401, body: { message: 'unauthorized' } }));
    expect((await failure(clientFor(http401.baseUrl).sessionMessages(request()))).code).toBe(
      'VENDOR_AUTH_FAILED',
    );
  });

  it('an envelope or a message that does not fit is VENDOR_BAD_RESPONSE naming the field', async () => {
    const noCode = await start(() => ({
      status: 200,
      body: { request_id: 'r', message: 'Success', data: [] },
    }));
    const error = await failure(clientFor(noCode.baseUrl).sessionMessages(request()));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details.field).toBe('code');
    const noMsgId = await start(() => ({
      status: 200,
      body: { request_id: 'r', code: 200, message: 'Success', data: [{ timestamp: 1, content: {} }] },
    }));
    const bad = await failure(clientFor(noMsgId.baseUrl).sessionMessages(request()));
    expect(bad.code).toBe('VENDOR_BAD_RESPONSE');
    expect(bad.details.field).toBe('msg_id');
  });

  it('a success envelope with data null is an empty page', async () => {
    const nullData = await start(() => ({
      status: 200,
      body: { request_id: 'r', code: '200', message: 'Success', data: null },
    }));
    expect(await clientFor(nullData.baseUrl).sessionMessages(request())).toEqual([]);
  });
});
