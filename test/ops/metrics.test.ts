/** `/metrics`: operations and vendor calls, counted exactly, in a registry per app. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/sources/index.js';
import { type OpsHarness, samples, startOpsHarness, WECHAT_FIRST_PAGE } from './ops-harness.js';

const harnesses: OpsHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: Parameters<typeof startOpsHarness>[0]): Promise<OpsHarness> {
  const harness = await startOpsHarness(options);
  harnesses.push(harness);
  return harness;
}

async function metricsText(harness: OpsHarness): Promise<string> {
  const response = await harness.fetch('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

/** A second WeChat Shop source whose vendor refuses its cookie. */
const withBadCookie = (configs: SourceConfig[]): SourceConfig[] => [
  ...configs,
  ...configs
    .filter((config) => config.vendor === 'WECHAT_STORE')
    .map((config) => ({ ...config, name: 'bad-cookie', cookie: 'sandbox_session=wrong' })),
];

describe('/metrics', () => {
  it('counts operations by type and outcome, and their latency', async () => {
    const harness = await start({ vendors: ['WECHAT_STORE'], configure: withBadCookie });
    await harness.graphql(WECHAT_FIRST_PAGE);
    await harness.graphql(WECHAT_FIRST_PAGE);
    // Executed, with an error: the vendor refuses the source's credentials.
    await harness.graphql(
      '{ source(name: "bad-cookie") { conversation(externalId: "4370405345218887686") { messages(first: 1) { edges { cursor } } } } }',
    );
    // Not executed: one fails validation, one does not parse.
    await harness.graphql('{ noSuchField }');
    await harness.graphql('{ source(');

    const text = await metricsText(harness);
    expect(samples(text, 'chatgraph_graphql_operations_total')).toEqual([
      'chatgraph_graphql_operations_total{operation_type="query",status="error"} 1',
      'chatgraph_graphql_operations_total{operation_type="query",status="invalid"} 1',
      'chatgraph_graphql_operations_total{operation_type="query",status="ok"} 2',
      'chatgraph_graphql_operations_total{operation_type="unknown",status="invalid"} 1',
    ]);
    // Only executed operations have a latency.
    expect(samples(text, 'chatgraph_graphql_duration_seconds_count')).toEqual([
      'chatgraph_graphql_duration_seconds_count{operation_type="query"} 3',
    ]);
    expect(text).toContain('chatgraph_graphql_duration_seconds_bucket{le="+Inf",operation_type="query"} 3');
  });

  it('counts vendor calls by source and status, errors by code, as the vendors saw them', async () => {
    const harness = await start({ vendors: ['WECHAT_STORE', 'MYSCRM'], configure: withBadCookie });
    await harness.graphql(WECHAT_FIRST_PAGE);
    await harness.graphql(
      '{ source(name: "myscrm") { conversation(externalId: "sandbox-long") { messages(first: 3) { edges { cursor } } } } }',
    );
    await harness.graphql(
      '{ source(name: "bad-cookie") { conversation(externalId: "4370405345218887686") { messages(first: 1) { edges { cursor } } } } }',
    );
    const wechat = harness.sandbox.emulators.get('WECHAT_STORE')?.calls.recent.map((call) => call.status);
    const myscrm = harness.sandbox.emulators.get('MYSCRM')?.calls.recent.map((call) => call.status);
    // The good source's one call, and the bad one's refused call: WeChat Shop says so in a 200's
    // body (and a refusal is never retried).
    expect(wechat).toEqual([200, 200]);
    // myscrm's page, then who its senders are (sender_type 1 and 2): roles only the vendor knows.
    expect(myscrm).toEqual([200, 200, 200]);

    const text = await metricsText(harness);
    expect(samples(text, 'chatgraph_vendor_calls_total')).toEqual([
      'chatgraph_vendor_calls_total{source="bad-cookie",status="200"} 1',
      'chatgraph_vendor_calls_total{source="myscrm",status="200"} 3',
      'chatgraph_vendor_calls_total{source="wechat-store",status="200"} 1',
    ]);
    expect(samples(text, 'chatgraph_vendor_errors_total')).toEqual([
      'chatgraph_vendor_errors_total{source="bad-cookie",code="VENDOR_AUTH_FAILED"} 1',
    ]);
    expect(samples(text, 'chatgraph_vendor_call_duration_seconds_count')).toEqual([
      'chatgraph_vendor_call_duration_seconds_count{source="bad-cookie"} 1',
      'chatgraph_vendor_call_duration_seconds_count{source="myscrm"} 3',
      'chatgraph_vendor_call_duration_seconds_count{source="wechat-store"} 1',
    ]);
  });

  it('counts a vendor that cannot be reached as a call without status', async () => {
    const harness = await start({
      vendors: ['WECHAT_STORE'],
      configure: (configs) =>
        configs.map((config) => ({
          ...config,
          // Port 9 (discard) on loopback: nothing listens there, the connection is refused.
          baseUrl: 'http://127.0.0.1:9',
          http: { maxRetries: 0 },
        })),
    });
    const response = await harness.graphql(WECHAT_FIRST_PAGE);
    expect((await response.json()).errors[0].extensions.code).toBe('VENDOR_UNREACHABLE');
    const text = await metricsText(harness);
    expect(samples(text, 'chatgraph_vendor_calls_total')).toEqual([
      'chatgraph_vendor_calls_total{source="wechat-store",status="none"} 1',
    ]);
    expect(samples(text, 'chatgraph_vendor_errors_total')).toEqual([
      'chatgraph_vendor_errors_total{source="wechat-store",code="VENDOR_UNREACHABLE"} 1',
    ]);
  });

  it('keeps each app in its own registry', async () => {
    const first = await start({ vendors: ['WECHAT_STORE'] });
    const second = await start({ vendors: ['WECHAT_STORE'] });
    await first.graphql(WECHAT_FIRST_PAGE);
    await first.graphql(WECHAT_FIRST_PAGE);
    await second.graphql(WECHAT_FIRST_PAGE);
    expect(samples(await metricsText(first), 'chatgraph_graphql_operations_total')).toEqual([
      'chatgraph_graphql_operations_total{operation_type="query",status="ok"} 2',
    ]);
    expect(samples(await metricsText(second), 'chatgraph_graphql_operations_total')).toEqual([
      'chatgraph_graphql_operations_total{operation_type="query",status="ok"} 1',
    ]);
  });
});
