/**
 * Persisted operations with the example client's manifest (the client preset's output): trusted
 * documents only, or alongside arbitrary ones. Also the configuration that names the manifest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient as createWsClient, type SubscribePayload } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../src/config/index.js';
import { serveGraphQLWs } from '../../src/live/websocket.js';
import { trustedDocument } from '../../src/plugins/use-persisted-operations.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { listen } from '../../src/server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const MANIFEST_FILE = join(import.meta.dirname, '../../examples/client/persisted-documents.json');
const manifest: Record<string, string> = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
const sourcesId = Object.keys(manifest).find((id) => manifest[id]?.startsWith('query Sources '));
const SOURCES = {
  __typename: 'Query',
  sources: [{ __typename: 'Source', name: 'wechat-store', vendor: 'WECHAT_STORE' }],
};

let strict: Harness;
let lenient: Harness;
beforeAll(async () => {
  [strict, lenient] = await Promise.all([
    startHarness({ vendors: ['WECHAT_STORE'], policy: { persistedOperations: manifest } }),
    startHarness({
      vendors: ['WECHAT_STORE'],
      policy: { persistedOperations: manifest, allowArbitraryOperations: true },
    }),
  ]);
});
afterAll(() => Promise.all([strict.close(), lenient.close()]));

async function post(h: Harness, body: unknown) {
  const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('persisted operations', () => {
  it('ship with the example client: one id per operation, ids being sha256 of the text', () => {
    expect(sourcesId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(3);
  });

  it('run the manifest documents only, when arbitrary ones are not allowed', async () => {
    expect(await post(strict, { documentId: sourcesId })).toEqual({ status: 200, body: { data: SOURCES } });
    // Apollo's way of sending the id works too.
    const apq = await post(strict, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sourcesId?.slice('sha256:'.length) } },
    });
    expect(apq.body).toEqual({ data: SOURCES });
    const text = await post(strict, { query: manifest[sourcesId as string] });
    expect(text.status).toBe(400);
    expect(text.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
      'PERSISTED_OPERATION_REQUIRED',
    ]);
    const unknown = await post(strict, { documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_NOT_FOUND');
    expect((await post(strict, {})).body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
  });

  it('run both ids and texts when arbitrary operations are allowed', async () => {
    expect((await post(lenient, { documentId: sourcesId })).body).toEqual({ data: SOURCES });
    expect((await post(lenient, { query: '{ sources { name } }' })).body).toEqual({
      data: { sources: [{ name: 'wechat-store' }] },
    });
  });

  it('hold over graphql-ws too, where no Yoga request hook runs', async () => {
    const { server, url } = await listen(strict.yoga, 0, '127.0.0.1');
    const sockets = serveGraphQLWs(server, strict.yoga, strict.app);
    const client = createWsClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    /** One operation's data, or its errors' codes. */
    const outcome = (payload: SubscribePayload) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(payload, {
          next: (result) =>
            resolve(result.errors ? result.errors.map((e) => e.extensions?.code) : result.data),
          error: (errors) =>
            resolve(
              Array.isArray(errors)
                ? errors.map((e: { extensions: { code: string } }) => e.extensions.code)
                : 'closed',
            ),
          complete: () => {},
        });
      });
    try {
      // A document of the client's own, as text: what a hostile client sends.
      expect(await outcome({ query: '{ sources { name } }' })).toEqual(['PERSISTED_OPERATION_REQUIRED']);
      // The manifest's document, by its text or by its id.
      expect(await outcome({ query: manifest[sourcesId as string] as string })).toEqual(SOURCES);
      const hash = sourcesId?.slice('sha256:'.length);
      expect(
        await outcome({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      ).toEqual(SOURCES);
      expect(
        await outcome({
          query: '',
          extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
        }),
      ).toEqual(['PERSISTED_OPERATION_NOT_FOUND']);
    } finally {
      await client.dispose();
      await sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('choose what a graphql-ws operation runs by the same rule as HTTP (trustedDocument)', () => {
    const text = manifest[sourcesId as string] as string;
    const hash = { persistedQuery: { version: 1, sha256Hash: sourcesId?.slice('sha256:'.length) } };
    const unknown = { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } };
    const code = (outcome: unknown) =>
      typeof outcome === 'string' ? outcome : (outcome as { code: string }).code;
    const strictPolicy = { ...DEFAULT_POLICY, persistedOperations: manifest };
    const lenientPolicy = { ...strictPolicy, allowArbitraryOperations: true };
    const cases: Array<
      [typeof DEFAULT_POLICY, { query?: string; extensions?: Record<string, unknown> }, string]
    > = [
      [strictPolicy, { query: '', extensions: hash }, text],
      [strictPolicy, { query: text }, text],
      [strictPolicy, { query: '{ sources { name } }' }, 'PERSISTED_OPERATION_REQUIRED'],
      [strictPolicy, { query: '{ sources { name } }', extensions: unknown }, 'PERSISTED_OPERATION_NOT_FOUND'],
      [lenientPolicy, { query: '{ sources { name } }', extensions: unknown }, '{ sources { name } }'],
      [lenientPolicy, { query: '', extensions: unknown }, 'PERSISTED_OPERATION_NOT_FOUND'],
      [DEFAULT_POLICY, { query: '{ sources { name } }', extensions: unknown }, '{ sources { name } }'],
      [DEFAULT_POLICY, { query: '' }, ''],
    ];
    for (const [policy, params, expected] of cases) {
      expect(code(trustedDocument(policy, params)), JSON.stringify(params)).toBe(expected);
    }
  });

  it('are configured by the manifest file, checked at start', () => {
    const env = { CURSOR: 'a-cursor-secret-0123456789', COOKIE: 'c', MAGIC: 'b' };
    const base = {
      cursorSecret: { env: 'CURSOR' },
      sources: [
        {
          vendor: 'WECHAT_STORE',
          name: 'shop',
          baseUrl: 'https://example.test',
          cookie: { env: 'COOKIE' },
          bizMagic: { env: 'MAGIC' },
        },
      ],
      allowOpen: true,
    };
    const config = parseConfig(
      { ...base, server: { persistedOperations: 'examples/client/persisted-documents.json' } },
      env,
      join(import.meta.dirname, '../../chatgraph.json'),
    );
    expect(config.policy.persistedOperations).toEqual(manifest);
    expect(() =>
      parseConfig({ ...base, server: { persistedOperations: 'nowhere.json' } }, env, '/tmp/chatgraph.json'),
    ).toThrow(/server\.persistedOperations: cannot read \/tmp\/nowhere\.json as JSON/);
  });
});
