/** The HTTP surface: CSRF prevention, production switches, and masking of unexpected errors. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeApp, createApp } from '../../src/app.js';
import { hashApiKey } from '../../src/auth/api-keys.js';
import type { AnySource } from '../../src/sources/source.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const opened: Harness[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
});
async function harness(policy = {}): Promise<Harness> {
  const h = await startHarness({ vendors: ['WECHAT_STORE'], policy });
  opened.push(h);
  return h;
}

describe('CSRF prevention', () => {
  it('refuses a GET operation without the CSRF header and serves it with one', async () => {
    const h = await harness();
    const url = `http://chatgraph.test/graphql?query=${encodeURIComponent('{ sources { name } }')}`;
    const refused = await h.yoga.fetch(url, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(403);
    // What urql (GET by default) sees on its first query: the header to send, by name.
    expect((await refused.json()).errors).toEqual([
      {
        message:
          'A GET or form-encoded request must carry the "x-graphql-yoga-csrf" header (any value), or be a JSON POST.',
        extensions: { code: 'CSRF_HEADER_REQUIRED', header: 'x-graphql-yoga-csrf' },
      },
    ]);
    const allowed = await h.yoga.fetch(url, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { sources: [{ name: 'wechat-store' }] } });
  });

  it('refuses a POST a plain HTML form could send', async () => {
    const h = await harness();
    const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B%20sources%20%7B%20name%20%7D%20%7D',
    });
    expect(response.status).toBe(403);
  });
});

describe('production switches', () => {
  it('serve GraphiQL and introspection by default', async () => {
    const h = await harness();
    const page = await h.yoga.fetch('http://chatgraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>chatgraph</title>');
    expect((await h.query('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it("write a query from GraphiQL's address into its page as text, never as markup", async () => {
    const h = await harness();
    const query = '{ sources { name } } # </script><script>alert(1)</script>';
    const page = await h.yoga.fetch(`http://chatgraph.test/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'text/html' },
    });
    const html = await page.text();
    // It once ended the page's script and ran the link's: a reflected XSS on the API's origin.
    expect(html).not.toContain('<script>alert(1)');
    // Still the query GraphiQL opens with: JavaScript reads `\u003c` as `<`.
    const options = /renderYogaGraphiQL\(\s*[^,]+,\s*(\{.*\}),\s*\);/s.exec(html)?.[1] ?? '{}';
    expect(JSON.parse(options).query).toBe(query);
  });

  it('turn GraphiQL and introspection off', async () => {
    const h = await harness({ graphiql: false, introspection: false });
    const page = await h.yoga.fetch('http://chatgraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<title>chatgraph</title>');
    const result = await h.query('{ __schema { queryType { name } } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await h.query('{ sources { name } }')).data).toEqual({ sources: [{ name: 'wechat-store' }] });
  });

  it('with introspection off, serve the subgraph SDL to gateway keys only', async () => {
    const keys = { gateway: 'gateway-key-0123456789abcdef', app: 'app-key-0123456789abcdef0' };
    const h = await startHarness({
      vendors: ['WECHAT_STORE'],
      secrets: Object.values(keys),
      policy: {
        introspection: false,
        clients: [
          { name: 'gateway', keyHash: hashApiKey(keys.gateway), sources: null, gateway: true },
          { name: 'app', keyHash: hashApiKey(keys.app), sources: null },
        ],
      },
    });
    opened.push(h);
    const sdl = (key: string) =>
      h.query<{ _service: { sdl: string } }>('{ _service { sdl } }', undefined, {
        authorization: `Bearer ${key}`,
      });
    const refused = await sdl(keys.app);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN' }]);
    // The same document again (Yoga caches validation per rule set): still per caller.
    expect((await sdl(keys.gateway)).data?._service.sdl).toContain('type Query');
    expect((await sdl(keys.app)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The open sandbox with introspection off has no gateway: nobody gets it.
    const open = await harness({ introspection: false });
    expect((await open.query('{ _service { sdl } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('unexpected errors', () => {
  it('are masked for the client and logged for the operator', async () => {
    const lines: string[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    // A source with a bug: its read throws an error that is not a ChatgraphError.
    const broken = {
      name: 'broken',
      vendor: 'WECHAT_STORE',
      capabilities: {
        olderPaging: 'NATIVE',
        newerPaging: 'SCAN',
        vendorMaxPageSize: 10,
        filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
        timeOrdered: true,
        resumesAtMessage: true,
        retentionSeconds: null,
        defaultLookbackSeconds: null,
        notes: [],
      },
      conversationId: (id: string) => id,
      pageKey: () => 'k',
      fetchPage: async () => [],
      read: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'internal detail')");
      },
      find: async () => null,
      close: async () => {},
    } as unknown as AnySource;
    const app = createApp({ sources: [broken], cursorSecret: 'another-test-secret-0123', logger });
    const yoga = createChatgraphYoga(app);
    const response = await yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ source(name: "broken") { name conversation(externalId: "r") { messages { edges { cursor } } } } }',
      }),
    });
    const body = await response.json();
    expect(body.data).toEqual({ source: { name: 'broken', conversation: null } });
    expect(body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 65 }],
        path: ['source', 'conversation', 'messages'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain('internal detail');
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unexpected error');
    expect(logged).toMatchObject({ path: 'source.conversation.messages', err: { name: 'TypeError' } });
    await closeApp(app);
  });
});

describe('an error in a server hook (outside GraphQL)', () => {
  it('is answered as an unexpected error, masked, and logged for the operator', async () => {
    const h = await harness({ webhooks: { 'wechat-store': { secret: 'a-webhook-secret' } } });
    // The webhook route looks its source up first: a bug there throws in `onRequest`.
    const find = vi.spyOn(h.app.sources, 'find').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'internal detail')");
    });
    try {
      const response = await h.yoga.fetch('http://chatgraph.test/webhooks/wechat-store', {
        method: 'POST',
        body: '{}',
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      const logged = h.logs().find((line) => line.msg === 'unexpected error');
      expect(logged).toMatchObject({
        hook: 'onRequest',
        path: '/webhooks/wechat-store',
        err: { name: 'TypeError' },
      });
    } finally {
      find.mockRestore();
    }
    // The next request is served.
    expect((await h.query('{ sources { name } }')).data).toEqual({ sources: [{ name: 'wechat-store' }] });
  });
});

describe('client input errors', () => {
  it('all carry a code, variables that do not fit their type included', async () => {
    const h = await harness();
    const page =
      'query($n: Int) { source(name: "wechat-store") { conversation(externalId: "r") { messages(first: $n) { edges { cursor } } } } }';
    const codes = async (query: string, variables?: Record<string, unknown>) =>
      (await h.query(query, variables)).errors?.map((error) => error.extensions?.code);
    expect(await codes(page, { n: 'abc' })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes(page, { n: 2 ** 40 })).toEqual(['INVALID_ARGUMENT']);
    expect(await codes('{ sources { nme } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await codes('{ sources { name ')).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('are logged with the codes the client sees, and never as errors of the server', async () => {
    const h = await harness();
    const results = [
      await h.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [[1]] }),
      await h.query('{ node(id: "not-an-id") { id } }'),
    ];
    expect(results.map((result) => result.errors?.map((error) => error.extensions?.code))).toEqual([
      ['INVALID_ARGUMENT'],
      ['INVALID_ID'],
    ]);
    const logs = h.logs();
    expect(logs.filter((line) => line.msg === 'graphql operation').map((line) => line.errors)).toEqual([
      ['INVALID_ARGUMENT'],
      ['INVALID_ID'],
    ]);
    expect(logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
