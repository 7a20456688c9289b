/** The HTTP layer every source shares: retries, Retry-After, deadlines, the circuit breaker, faults. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatgraphError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { CircuitBreaker } from '../../src/sources/circuit-breaker.js';
import { createSourceHttp, retryPolicy } from '../../src/sources/http.js';
import { failure } from '../helpers/failure.js';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((item) => item.close()));
});

async function vendor(handler: EmulatorHandler, faults?: Faults): Promise<RunningEmulator> {
  const emulator = await startEmulator(handler);
  if (faults) emulator.setFaults(faults);
  running.push(emulator);
  return emulator;
}

function client(baseUrl: string, http: Record<string, number> = {}) {
  const made = createSourceHttp(
    { name: 'test', baseUrl, http: { retryMinDelayMs: 1, retryMaxDelayMs: 5, ...http } },
    { logger: silentLogger() },
  );
  running.push(made);
  return made.http;
}

/** A vendor that answers the given statuses in turn, then 200 `{ ok: true }`. */
function sequence(statuses: number[], headers: Record<string, string> = {}): EmulatorHandler {
  let call = 0;
  return () => {
    const status = statuses[call++];
    return status === undefined ? { status: 200, body: { ok: true } } : { status, body: {}, headers };
  };
}

describe('retries', () => {
  it('retries 5xx and 429 reads until one succeeds', async () => {
    const emulator = await vendor(sequence([503, 429, 502]));
    expect(await client(emulator.baseUrl).json({ method: 'POST', path: '/x', body: { a: 1 } })).toEqual({
      ok: true,
    });
    expect(emulator.calls.recent.map((call) => call.status)).toEqual([503, 429, 502, 200]);
    expect(emulator.calls.recent.every((call) => JSON.stringify(call.body) === '{"a":1}')).toBe(true);
  });

  it('gives up after maxRetries with a typed error', async () => {
    const emulator = await vendor(sequence([503, 503, 503]));
    const error = await failure(
      client(emulator.baseUrl, { maxRetries: 2 }).json({ method: 'GET', path: '/x' }),
    );
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.details).toEqual({ source: 'test', httpStatus: 503 });
    expect(emulator.calls.count).toBe(3);
    const limited = await vendor(sequence([429, 429, 429]));
    expect(
      (await failure(client(limited.baseUrl, { maxRetries: 2 }).json({ method: 'GET', path: '/x' }))).code,
    ).toBe('VENDOR_RATE_LIMITED');
  });

  it('does not retry what a retry cannot fix', async () => {
    const emulator = await vendor(sequence([401, 404]));
    expect((await failure(client(emulator.baseUrl).json({ method: 'GET', path: '/x' }))).code).toBe(
      'VENDOR_AUTH_FAILED',
    );
    expect(
      (await failure(client(emulator.baseUrl).json({ method: 'GET', path: '/x' }))).details.httpStatus,
    ).toBe(404);
    expect(emulator.calls.count).toBe(2);
  });

  it('waits as long as Retry-After says, and backs off with jitter otherwise', () => {
    vi.useFakeTimers({ now: 0 });
    const policy = retryPolicy({ maxRetries: 3, minDelayMs: 100, maxDelayMs: 1_000 }, 60_000, () => 0.5);
    const done = vi.fn();
    const opts = { opts: { method: 'GET', path: '/' } } as never;
    const limited = Object.assign(new Error('limited'), { statusCode: 429, headers: { 'retry-after': '2' } });
    policy(limited, { state: { counter: 1 }, ...(opts as object) } as never, done);
    vi.advanceTimersByTime(1_999);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done).toHaveBeenCalledWith(null);

    const backoff = vi.fn();
    const failed = Object.assign(new Error('down'), { statusCode: 503 });
    // Third retry: ceiling min(1000, 100·2²) = 400 ms, drawn from [200, 400]: 300 with this random.
    policy(failed, { state: { counter: 3 }, ...(opts as object) } as never, backoff);
    vi.advanceTimersByTime(299);
    expect(backoff).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(backoff).toHaveBeenCalledWith(null);
  });

  it('never waits past the deadline: the failure comes now instead', () => {
    vi.useFakeTimers({ now: 0 });
    const policy = retryPolicy({ maxRetries: 3, minDelayMs: 100, maxDelayMs: 1_000 }, 1_000, () => 0.5);
    const limited = Object.assign(new Error('limited'), { statusCode: 429, headers: { 'retry-after': '5' } });
    const done = vi.fn();
    policy(limited, { state: { counter: 1 } } as never, done);
    expect(done).toHaveBeenCalledWith(limited);
  });
});

describe('deadlines and timeouts', () => {
  it('ends a call to a hanging vendor at the operation deadline', async () => {
    const emulator = await vendor(() => ({ status: 200, body: {} }), { hangRate: 1 });
    const http = client(emulator.baseUrl);
    const error = await failure(http.json({ method: 'GET', path: '/x' }, { deadline: Date.now() + 200 }));
    expect(error.code).toBe('VENDOR_TIMEOUT');
    expect(error.details).toEqual({ source: 'test', cause: 'DEADLINE' });
  });

  it('retries a call whose answer does not come within headersTimeout', async () => {
    let call = 0;
    const emulator = await startEmulator(() => ({ status: 200, body: { call } }));
    running.push(emulator);
    // First call hangs, the next ones answer.
    emulator.setFaults({ hangRate: 1 });
    const http = client(emulator.baseUrl, {
      headersTimeoutMs: 100,
      retryMinDelayMs: 300,
      retryMaxDelayMs: 300,
    });
    const pending = http.json({ method: 'GET', path: '/x' });
    await vi.waitFor(() => expect(emulator.calls.count).toBe(1));
    emulator.setFaults({});
    call = 1;
    expect(await pending).toEqual({ call: 1 });
    expect(emulator.calls.count).toBe(2);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, fails fast, and closes after a successful probe', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('test', { failureThreshold: 3, cooldownMs: 1_000, now: () => now });
    const down = () => Promise.reject(new ChatgraphError('VENDOR_UNREACHABLE', 'down'));
    const isFailure = () => true;
    for (let i = 0; i < 3; i++)
      await expect(breaker.run(down, isFailure)).rejects.toMatchObject({ code: 'VENDOR_UNREACHABLE' });
    expect(breaker.state).toBe('open');
    const untouched = vi.fn(() => Promise.resolve('never'));
    await expect(breaker.run(untouched, isFailure)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      details: { source: 'test' },
    });
    expect(untouched).not.toHaveBeenCalled();

    now = 1_000;
    // One probe at a time while half-open; its failure re-opens the circuit.
    await expect(breaker.run(down, isFailure)).rejects.toMatchObject({ code: 'VENDOR_UNREACHABLE' });
    expect(breaker.state).toBe('open');
    now = 2_000;
    expect(await breaker.run(() => Promise.resolve('ok'), isFailure)).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('admits and settles in two steps exactly as run does', () => {
    let now = 0;
    const breaker = new CircuitBreaker('test', { failureThreshold: 2, cooldownMs: 1_000, now: () => now });
    breaker.admit();
    breaker.settle(true);
    breaker.admit();
    // An answer, even an error one, proves the vendor is up: the count starts again.
    breaker.settle(false);
    breaker.admit();
    breaker.settle(true);
    expect(breaker.state).toBe('closed');
    breaker.admit();
    breaker.settle(true);
    expect(breaker.state).toBe('open');
    expect(() => breaker.admit()).toThrow(expect.objectContaining({ code: 'SOURCE_UNAVAILABLE' }));
    now = 1_000;
    breaker.admit();
    // One probe at a time while half-open.
    expect(() => breaker.admit()).toThrow(expect.objectContaining({ code: 'SOURCE_UNAVAILABLE' }));
    breaker.settle(false);
    expect(breaker.state).toBe('closed');
  });

  it('counts only availability failures: a vendor that answers is up', async () => {
    const emulator = await vendor(sequence([401, 401, 401, 401]));
    const http = client(emulator.baseUrl, { breakerFailureThreshold: 2 });
    for (let i = 0; i < 4; i++) {
      expect((await failure(http.json({ method: 'GET', path: '/x' }))).code).toBe('VENDOR_AUTH_FAILED');
    }
    const broken = await vendor(sequence([500, 500, 500, 500, 500, 500]));
    const failing = client(broken.baseUrl, { breakerFailureThreshold: 2, maxRetries: 0 });
    expect((await failure(failing.json({ method: 'GET', path: '/x' }))).code).toBe('VENDOR_ERROR');
    expect((await failure(failing.json({ method: 'GET', path: '/x' }))).code).toBe('VENDOR_ERROR');
    expect((await failure(failing.json({ method: 'GET', path: '/x' }))).code).toBe('SOURCE_UNAVAILABLE');
    expect(broken.calls.count).toBe(2);
  });
});

describe('injected body faults', () => {
  const body = { base_resp: { ret: 0 }, list: [1, 2, 3] };

  it('are typed errors, never a parsed wrong document', async () => {
    const malformed = await vendor(() => ({ status: 200, body }), { malformedRate: 1 });
    expect((await failure(client(malformed.baseUrl).json({ method: 'GET', path: '/x' }))).details).toEqual({
      source: 'test',
      field: '(body)',
    });
    // A connection closed half-way through the answer is a broken connection.
    const truncated = await vendor(() => ({ status: 200, body }), { truncatedRate: 1 });
    const error = await failure(
      client(truncated.baseUrl, { maxRetries: 1 }).json({ method: 'GET', path: '/x' }),
    );
    expect(error.code).toBe('VENDOR_UNREACHABLE');
    expect(truncated.calls.count).toBe(2);
  });

  it('retries a connection closed half-way through the answer', async () => {
    const emulator = await vendor(() => ({ status: 200, body }), { truncatedRate: 1 });
    // Backoff long enough to switch the fault off before the retry.
    const http = client(emulator.baseUrl, { retryMinDelayMs: 300, retryMaxDelayMs: 300 });
    const pending = http.json({ method: 'GET', path: '/x' });
    await vi.waitFor(() => expect(emulator.calls.count).toBe(1));
    emulator.setFaults({});
    expect(await pending).toEqual(body);
  });
});
