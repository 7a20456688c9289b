/**
 * `/metrics` and `/readiness`: behind an operations key, redacted or refused for anonymous
 * callers, or on their own port with nothing of them left on the API's.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerPolicy } from '../../src/app.js';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { operationsHandler } from '../../src/plugins/operations-endpoints.js';
import { listenOperations } from '../../src/server.js';
import { type OpsHarness, startOpsHarness, WECHAT_FIRST_PAGE } from '../ops/ops-harness.js';

const KEY = 'operations-key-0123456789abcdef';
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

async function harness(policy: Partial<ServerPolicy>): Promise<OpsHarness> {
  const h = await startOpsHarness({ vendors: ['WECHAT_STORE'], policy });
  opened.push(h);
  // One operation, so the metrics have vendor series labelled by source.
  expect((await h.graphql(WECHAT_FIRST_PAGE)).status).toBe(200);
  return h;
}

const get = (h: OpsHarness, path: string, headers: Record<string, string> = {}) => h.fetch(path, { headers });

/** The status `method` gets at `url`, by node:http (fetch refuses to send TRACE). */
function status(url: string, method: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('operations endpoints', () => {
  it('show everything to the key, and anonymous callers no source name when redacted', async () => {
    const h = await harness({ operationsKeyHash: hashApiKey(KEY), anonymousOperations: 'redacted' });
    const withKey = { authorization: `Bearer ${KEY}` };
    expect(await (await get(h, '/readiness', withKey)).json()).toEqual({
      ready: true,
      sources: { 'wechat-store': { status: 'ok' } },
    });
    expect(await (await get(h, '/metrics', withKey)).text()).toContain('source="wechat-store"');
    const readiness = await get(h, '/readiness');
    expect({ status: readiness.status, body: await readiness.json() }).toEqual({
      status: 200,
      body: { ready: true },
    });
    const metrics = await (await get(h, '/metrics')).text();
    expect(metrics).toContain('chatgraph_graphql_operations_total');
    expect(metrics).not.toContain('wechat-store');
    expect(
      await (await get(h, '/metrics', { authorization: 'Bearer wrong-key-0123456789' })).text(),
    ).not.toContain('wechat-store');
  });

  it('refuse anonymous callers when told to', async () => {
    const h = await harness({ operationsKeyHash: hashApiKey(KEY), anonymousOperations: 'refused' });
    for (const path of ['/readiness', '/metrics']) {
      const response = await get(h, path);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('wechat-store');
    }
    expect((await get(h, '/metrics', { 'x-api-key': KEY })).status).toBe(200);
  });

  it('answer on their own port only, when they have one', async () => {
    const h = await harness({ operationsPort: 1 });
    expect((await get(h, '/metrics')).status).toBe(404);
    expect((await get(h, '/readiness')).status).toBe(404);
    const operations = await listenOperations(operationsHandler(h.app), 0, '127.0.0.1');
    opened.push({
      close: () => new Promise<void>((resolve) => operations.server.close(() => resolve())),
    });
    const readiness = await fetch(`${operations.url}/readiness`);
    expect(await readiness.json()).toEqual({ ready: true, sources: { 'wechat-store': { status: 'ok' } } });
    expect(await (await fetch(`${operations.url}/metrics`)).text()).toContain('source="wechat-store"');
    expect((await fetch(`${operations.url}/health`)).status).toBe(200);
    expect((await fetch(`${operations.url}/graphql`)).status).toBe(404);
    // Methods a `Request` cannot be built with (TRACE) are refused, not thrown in the server's handler
    // (which ended the process).
    for (const method of ['TRACE', 'POST', 'DELETE']) {
      expect(await status(`${operations.url}/health`, method), method).toBe(405);
    }
    expect((await fetch(`${operations.url}/health`)).status).toBe(200);
  });
});
