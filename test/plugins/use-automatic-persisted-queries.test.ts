/**
 * Automatic persisted queries, as Apollo Client's `PersistedQueryLink` speaks them (the real
 * link, in front of the real `HttpLink`), and the protocol's edges a client can reach by hand.
 */
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersistedQueryStore } from '../../src/plugins/use-automatic-persisted-queries.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SOURCES = '{ sources { name vendor } }';
const SOURCES_DATA = { sources: [{ name: 'wechat-store', vendor: 'WECHAT_STORE' }] };

let open: Harness;
let lenient: Harness;
let strict: Harness;
beforeAll(async () => {
  const manifest = { [`sha256:${sha256(SOURCES)}`]: SOURCES };
  [open, lenient, strict] = await Promise.all([
    startHarness({ vendors: ['WECHAT_STORE'] }),
    startHarness({
      vendors: ['WECHAT_STORE'],
      policy: { persistedOperations: manifest, allowArbitraryOperations: true },
    }),
    startHarness({ vendors: ['WECHAT_STORE'], policy: { persistedOperations: manifest } }),
  ]);
});
afterAll(() => Promise.all([open.close(), lenient.close(), strict.close()]));

async function post(h: Harness, body: unknown, accept = 'application/graphql-response+json') {
  const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const persisted = (document: string, version = 1) => ({
  extensions: { persistedQuery: { version, sha256Hash: sha256(document) } },
});

/** Apollo Client with APQ over `h`, and the bodies it sent. */
function apollo(h: Harness) {
  const sent: Array<Record<string, unknown>> = [];
  const fetch = (url: RequestInfo | URL, init?: RequestInit) => {
    sent.push(JSON.parse(String(init?.body)));
    return Promise.resolve(h.yoga.fetch(String(url), init as RequestInit));
  };
  const client = new ApolloClient({
    link: ApolloLink.from([
      new PersistedQueryLink({ sha256 }),
      new HttpLink({ uri: 'http://localhost/graphql', fetch }),
    ]),
    cache: new InMemoryCache(),
  });
  return { client, sent };
}

describe('automatic persisted queries', () => {
  it("Apollo Client's PersistedQueryLink registers a document once, then sends only its hash", async () => {
    const query = gql`
      query Room($id: ID!) {
        conversation(id: $id) {
          id
        }
      }
    `;
    const id = 'WyJDIiwid2VjaGF0LXN0b3JlIiwic2FuZGJveC1sb25nIl0';
    const first = apollo(open);
    const result = await first.client.query({ query, variables: { id } });
    expect(result.data).toEqual({ conversation: { __typename: 'WechatStoreRoom', id } });
    // The hash alone, answered PERSISTED_QUERY_NOT_FOUND; then the text with its hash.
    expect(first.sent.map((body) => typeof body.query)).toEqual(['undefined', 'string']);

    // Another client (another browser) of the same server: the hash alone is enough.
    const second = apollo(open);
    const again = await second.client.query({ query, variables: { id } });
    expect(again.data).toEqual(result.data);
    expect(second.sent.map((body) => typeof body.query)).toEqual(['undefined']);
  });

  it('runs a registered hash sent as GET, as useGETForHashedQueries sends it (with the CSRF header)', async () => {
    const document = '{ sources { name vendor } }';
    expect((await post(open, { query: document, ...persisted(document) })).status).toBe(200);
    const extensions = encodeURIComponent(JSON.stringify(persisted(document).extensions));
    const response = await open.yoga.fetch(`http://chatgraph.test/graphql?extensions=${extensions}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/graphql-response+json' },
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { data: SOURCES_DATA },
    });
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND (404), under either media type', async () => {
    const document = '{ sources { name } }';
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      expect(await post(open, persisted(`${document} # ${accept}`), accept)).toEqual({
        status: 404,
        body: {
          errors: [
            {
              message: 'No document is registered under this hash: send it again with its text ("query").',
              extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
            },
          ],
        },
      });
    }
  });

  it('refuses a document whose hash is not the one sent, and does not register it', async () => {
    const document = '{ sources { vendor } }';
    const forged = { query: '{ __typename }', ...persisted(document) };
    const refused = await post(open, forged);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
    expect((await post(open, persisted(document))).body.errors[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it('refuses a protocol version or hash it does not read', async () => {
    for (const extensions of [
      persisted(SOURCES, 2).extensions,
      { persistedQuery: { version: 1, sha256Hash: 'ABC' } },
      { persistedQuery: { version: 1 } },
    ]) {
      const refused = await post(open, { extensions });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    }
  });

  it('limits a registered document like any other each time it runs by its hash', async () => {
    const deep = `{ sources { ${'conversation(externalId: "x") { source { '.repeat(8)}name${' } }'.repeat(8)} } }`;
    const registering = await post(open, { query: deep, ...persisted(deep) });
    expect(registering.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const byHash = await post(open, persisted(deep));
    expect(byHash.status).toBe(400);
    expect(byHash.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', kind: 'depth' });
  });

  it('with a manifest and arbitrary documents allowed: the manifest answers its ids, others register', async () => {
    expect(await post(lenient, persisted(SOURCES))).toEqual({ status: 200, body: { data: SOURCES_DATA } });
    const other = apollo(lenient);
    const result = await other.client.query({ query: gql('{ sources { vendor } }') });
    expect(result.data).toEqual({ sources: [{ __typename: 'Source', vendor: 'WECHAT_STORE' }] });
    expect(other.sent.map((body) => typeof body.query)).toEqual(['undefined', 'string']);
  });

  it('with a manifest of trusted documents only, nothing registers', async () => {
    expect(await post(strict, persisted(SOURCES))).toEqual({ status: 200, body: { data: SOURCES_DATA } });
    const document = '{ sources { vendor } }';
    const registering = await post(strict, { query: document, ...persisted(document) });
    expect(registering.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
    const byHash = await post(strict, persisted(document));
    expect(byHash.status).toBe(404);
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_OPERATION_NOT_FOUND');
  });
});

describe('PersistedQueryStore', () => {
  it('keeps the most recently used documents within its entries', () => {
    const store = new PersistedQueryStore({ maxEntries: 2, maxBytes: 1_000 });
    store.set('a', 'A');
    store.set('b', 'B');
    expect(store.get('a')).toBe('A'); // now the most recently used
    store.set('c', 'C');
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual(['A', undefined, 'C']);
    expect(store.size).toBe(2);
  });

  it('keeps its documents within its bytes, two per character, and never one larger than all of them', () => {
    const store = new PersistedQueryStore({ maxEntries: 100, maxBytes: 40 });
    store.set('a', 'x'.repeat(10));
    store.set('b', 'y'.repeat(10));
    expect(store.size).toBe(2);
    store.set('c', 'z'.repeat(5));
    expect([store.get('a'), store.get('b')]).toEqual([undefined, 'y'.repeat(10)]);
    store.set('d', 'w'.repeat(21));
    expect(store.get('d')).toBeUndefined();
    expect(store.size).toBe(2);
    // Registering a document again does not count it twice.
    store.set('b', 'y'.repeat(10));
    store.set('b', 'y'.repeat(10));
    expect(store.get('c')).toBe('z'.repeat(5));
  });
});
