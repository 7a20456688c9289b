/** `/health` and `/readiness`: each source's probe, cached, and the status code they add up to. */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatgraphError, type ErrorCode, type ErrorDetails } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createSources } from '../../src/sources/index.js';
import { type AnySource, probeWith } from '../../src/sources/source.js';
import { ReadinessCheck } from '../../src/telemetry/readiness.js';
import { type OpsHarness, startOpsHarness } from './ops-harness.js';

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()));
});

async function start(options: Parameters<typeof startOpsHarness>[0]): Promise<OpsHarness> {
  const harness = await startOpsHarness(options);
  closing.push(harness);
  return harness;
}

describe('/health', () => {
  it('answers 200 while the process serves, without asking any vendor', async () => {
    const harness = await start({ vendors: ['WECHAT_STORE'] });
    expect((await harness.fetch('/health')).status).toBe(200);
    expect(harness.sandbox.emulators.get('WECHAT_STORE')?.calls.count).toBe(0);
  });
});

describe('/readiness', () => {
  it('is 200 when every source answers its probe', async () => {
    const harness = await start({});
    const response = await harness.fetch('/readiness');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ready: true,
      sources: {
        'wechat-store': { status: 'ok' },
        airudder: { status: 'ok' },
        weizhipin: { status: 'ok' },
        myscrm: { status: 'ok' },
      },
    });
  });

  it('is 503 naming the source that does not answer and why', async () => {
    const harness = await start({
      vendors: ['WECHAT_STORE', 'AIRUDDER'],
      configure: (configs) =>
        configs.map((config) =>
          config.vendor === 'AIRUDDER'
            ? { ...config, baseUrl: 'http://127.0.0.1:9', http: { maxRetries: 0 } }
            : config,
        ),
    });
    const response = await harness.fetch('/readiness');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ready: false,
      sources: {
        'wechat-store': { status: 'ok' },
        airudder: { status: 'failing', code: 'VENDOR_UNREACHABLE' },
      },
    });
  });

  it('fails a source whose credentials the vendor refuses', async () => {
    const harness = await start({
      vendors: ['WECHAT_STORE'],
      configure: (configs) => configs.map((config) => ({ ...config, cookie: 'sandbox_session=wrong' })),
    });
    const response = await harness.fetch('/readiness');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ready: false,
      sources: { 'wechat-store': { status: 'failing', code: 'VENDOR_AUTH_FAILED' } },
    });
  });
});

describe('probes', () => {
  // Each vendor's probe against its emulator: the vendor calls it costs, and that it passes.
  const cases: Array<[Vendor, number]> = [
    ['WECHAT_STORE', 1],
    ['AIRUDDER', 1],
    ['MYSCRM', 1],
    // The tenant token first, then the messages.
    ['WEIZHIPIN', 2],
  ];
  it.each(cases)('%s answers its probe with %i vendor call(s)', async (vendor, calls) => {
    const sandbox = await startSandbox({ vendors: [vendor] });
    closing.push(sandbox);
    const [source] = createSources(sandbox.sources, { logger: silentLogger() });
    closing.push(source as AnySource);
    await expect(source?.probe?.()).resolves.toBeUndefined();
    expect(sandbox.emulators.get(vendor)?.calls.count).toBe(calls);
  });
});

describe('ReadinessCheck', () => {
  it('probes again only once the cached report is older than cacheMs, and never twice at once', async () => {
    const sandbox = await startSandbox({ vendors: ['MYSCRM'] });
    closing.push(sandbox);
    const sources = createSources(sandbox.sources, { logger: silentLogger() });
    closing.push(...sources);
    let now = 1_000_000;
    const check = new ReadinessCheck(() => sources, { cacheMs: 5_000, now: () => now });
    const calls = () => sandbox.emulators.get('MYSCRM')?.calls.count;

    const [first, concurrent] = await Promise.all([check.check(), check.check()]);
    expect(calls()).toBe(1);
    expect(concurrent).toBe(first);
    now += 4_999;
    expect(await check.check()).toBe(first);
    expect(calls()).toBe(1);
    now += 1;
    expect(await check.check()).toEqual({ ready: true, sources: { myscrm: { status: 'ok' } } });
    expect(calls()).toBe(2);
  });

  it('reports a source without a probe as unchecked, which does not hold readiness back', async () => {
    const source = { name: 'no-probe' } as AnySource;
    expect(await new ReadinessCheck(() => [source]).check()).toEqual({
      ready: true,
      sources: { 'no-probe': { status: 'unchecked' } },
    });
  });
});

describe('probeWith', () => {
  const failing = (error: unknown) => () => Promise.reject(error);
  const error = (code: ErrorCode, details: ErrorDetails = {}) => new ChatgraphError(code, 'x', details);

  it("takes the vendor's own refusals and rate limits as answers", async () => {
    await expect(probeWith(async () => [])).resolves.toBeUndefined();
    await expect(probeWith(failing(error('VENDOR_ERROR', { vendorCode: 40004 })))).resolves.toBeUndefined();
    await expect(
      probeWith(failing(error('VENDOR_RATE_LIMITED', { httpStatus: 429 }))),
    ).resolves.toBeUndefined();
  });

  it('rejects with what says the vendor is not serving the source', async () => {
    for (const code of [
      'VENDOR_UNREACHABLE',
      'VENDOR_TIMEOUT',
      'VENDOR_AUTH_FAILED',
      'VENDOR_BAD_RESPONSE',
      'SOURCE_UNAVAILABLE',
    ] as const) {
      await expect(probeWith(failing(error(code)))).rejects.toMatchObject({ code });
    }
    await expect(probeWith(failing(error('VENDOR_ERROR', { httpStatus: 502 })))).rejects.toMatchObject({
      code: 'VENDOR_ERROR',
    });
    await expect(probeWith(failing(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
