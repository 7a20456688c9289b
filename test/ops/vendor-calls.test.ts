/** `HttpClient`'s report of each vendor call: what the observer and the log lines get. */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/sandbox/server.js';
import { createSourceHttp, type VendorCallEvent } from '../../src/sources/http.js';

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()));
});

async function setup(status: number, onVendorCall: (event: VendorCallEvent) => void = () => {}) {
  const emulator = await startEmulator(() => ({ status, body: { ok: status === 200 } }));
  closing.push(emulator);
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const made = createSourceHttp(
    { name: 'probe-me', baseUrl: `${emulator.baseUrl}/api`, http: { maxRetries: 0 } },
    { logger, telemetry: { onVendorCall } },
  );
  closing.push(made);
  return { http: made.http, logs: () => lines.map((line) => JSON.parse(line)) };
}

describe('vendor call events', () => {
  it('say which call, where (the path, never the query) and how it ended', async () => {
    const events: VendorCallEvent[] = [];
    const { http, logs } = await setup(200, (event) => events.push(event));
    const request = {
      method: 'GET' as const,
      path: '/messages',
      query: { access_token: 'secret-token-value', page: 2 },
      headers: { authorization: 'Bearer secret-header-value' },
    };
    await http.json(request, { deadline: Date.now() + 10_000 });

    expect(events).toEqual([
      {
        callId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: 'probe-me',
        method: 'GET',
        path: '/api/messages',
        status: 200,
        code: null,
        startedAt: expect.any(Number),
        ms: expect.any(Number),
      },
    ]);
    const lines = logs();
    expect(lines.map((line) => line.msg)).toEqual(['vendor call']);
    expect(lines[0]).toMatchObject({
      callId: events[0]?.callId,
      source: 'probe-me',
      path: '/api/messages',
      status: 200,
    });
    expect(JSON.stringify(lines)).not.toMatch(/secret|access_token|authorization/);
  });

  it('carry the status and code of a refused call', async () => {
    const events: VendorCallEvent[] = [];
    const { http } = await setup(403, (event) => events.push(event));
    await expect(http.json({ method: 'POST', path: 'x', body: {} })).rejects.toMatchObject({
      code: 'VENDOR_AUTH_FAILED',
    });
    expect(events.map(({ status, code, method }) => ({ status, code, method }))).toEqual([
      { status: 403, code: 'VENDOR_AUTH_FAILED', method: 'POST' },
    ]);
  });

  it('never let a failing observer change the call', async () => {
    const { http, logs } = await setup(200, () => {
      throw new Error('observer bug');
    });
    expect(await http.json({ method: 'GET', path: '/x' })).toEqual({ ok: true });
    expect(logs().map((line) => line.msg)).toEqual(['vendor call', 'vendor call observer failed']);
  });

  it("log through the operation's logger, so the lines carry its request id", async () => {
    const { http, logs } = await setup(200);
    const lines: string[] = [];
    const operationLog = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }).child({
      requestId: 'op-9',
    });
    await http.json({ method: 'GET', path: '/x' }, { deadline: Date.now() + 10_000, log: operationLog });
    expect(logs()).toEqual([]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ msg: 'vendor call', requestId: 'op-9', source: 'probe-me', path: '/api/x' }),
    ]);
  });
});
