/**
 * The GraphQL clients frontend teams already use page chatgraph's connections exactly, both ways,
 * on every source, configured as the README shows: Apollo Client with `relayStylePagination`, and
 * urql with graphcache's `relayPagination` (and the CSRF header Yoga asks of GET requests).
 */
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const MESSAGES = gql`
  query Messages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    conversation(id: $id) {
      id
      messages(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id sentAt } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`;

interface Page {
  conversation: {
    messages: {
      edges: Array<{ node: { id: string } }>;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    };
  };
}

const LONG: Array<[string, string]> = [
  ['wechat-store', 'sandbox-long'],
  ['airudder', 'sandbox-long'],
  ['weizhipin', 'open_id:sandbox-long'],
  ['myscrm', 'sandbox-long'],
];
const PAGE = 20;
const PAGES = 4;

/** The newest and the oldest PAGE × PAGES message ids, read in one request each. */
async function reference(id: string): Promise<{ newest: string[]; oldest: string[] }> {
  const read = async (args: string) => {
    const result = await h.query<Page>(
      `query ($id: ID!) { conversation(id: $id) { messages(${args}) { edges { node { id } } } } }`,
      { id },
    );
    return (result.data as Page).conversation.messages.edges.map((e) => e.node.id);
  };
  return { newest: await read(`first: ${PAGE * PAGES}`), oldest: await read(`last: ${PAGE * PAGES}`) };
}

const fetchInProcess = (url: RequestInfo | URL, init?: RequestInit) =>
  h.yoga.fetch(String(url), init as RequestInit) as Promise<Response>;

function apollo() {
  return new ApolloClient({
    link: new HttpLink({ uri: 'http://localhost/graphql', fetch: fetchInProcess }),
    cache: new InMemoryCache({
      possibleTypes: { Conversation: ['WechatStoreRoom', 'AirudderSession', 'WeizhipinChat', 'MyscrmChat'] },
      typePolicies: { Conversation: { fields: { messages: relayStylePagination(['filter']) } } },
    }),
  });
}

function urql() {
  return new Client({
    url: 'http://localhost/graphql',
    fetch: fetchInProcess,
    // urql sends queries as GET; Yoga's CSRF prevention wants this header on them.
    fetchOptions: { headers: { 'x-graphql-yoga-csrf': 'chatgraph' } },
    exchanges: [
      cacheExchange({
        resolvers: {
          WechatStoreRoom: { messages: relayPagination() },
          AirudderSession: { messages: relayPagination() },
          WeizhipinChat: { messages: relayPagination() },
          MyscrmChat: { messages: relayPagination() },
        },
      }),
      fetchExchange,
    ],
  });
}

describe.each(LONG)('%s %s', (source, externalId) => {
  const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });

  it('Apollo Client with relayStylePagination merges pages toward older and toward newer messages', async () => {
    const { newest, oldest } = await reference(id);
    // Each page is written through the field policy, which merges it into the one cached list
    // (what `fetchMore` does for a watched query); the list is then read back from the cache.
    const walk = async (
      args: (cursor: string | null) => Record<string, unknown>,
      next: 'endCursor' | 'startCursor',
    ) => {
      const client = apollo();
      let cursor: string | null = null;
      for (let i = 0; i < PAGES; i++) {
        const result: { data?: unknown } = await client.query<Page>({
          query: MESSAGES,
          variables: { id, ...args(cursor) },
          // As fetchMore asks: from the server, then merged by the field policy.
          fetchPolicy: 'network-only',
        });
        cursor = (result.data as Page).conversation.messages.pageInfo[next];
      }
      const merged = client.readQuery<Page>({ query: MESSAGES, variables: { id, ...args(null) } });
      return merged?.conversation.messages.edges.map((e) => e.node.id);
    };
    expect(await walk((after) => ({ first: PAGE, after }), 'endCursor')).toEqual(newest);
    // Toward newer messages, each page is put before what is cached: the list keeps the connection's order.
    expect(await walk((before) => ({ last: PAGE, before }), 'startCursor')).toEqual(oldest);
  });

  it('urql with relayPagination merges pages toward older and toward newer messages', async () => {
    const { newest, oldest } = await reference(id);
    const client = urql();
    let after: string | null = null;
    let ids: string[] = [];
    for (let i = 0; i < PAGES; i++) {
      const result = await client.query<Page>(MESSAGES, { id, first: PAGE, after }).toPromise();
      expect(result.error).toBeUndefined();
      const connection: Page['conversation']['messages'] = (result.data as Page).conversation.messages;
      ids = connection.edges.map((e) => e.node.id);
      after = connection.pageInfo.endCursor;
    }
    expect(ids).toEqual(newest);

    const backwards = urql();
    let before: string | null = null;
    for (let i = 0; i < PAGES; i++) {
      const result = await backwards.query<Page>(MESSAGES, { id, last: PAGE, before }).toPromise();
      expect(result.error).toBeUndefined();
      const connection: Page['conversation']['messages'] = (result.data as Page).conversation.messages;
      ids = connection.edges.map((e) => e.node.id);
      before = connection.pageInfo.startCursor;
    }
    expect(ids).toEqual(oldest);
  });
});

it('urql without the CSRF header is refused: Yoga wants it on GET requests', async () => {
  const id = encodeNodeId({ kind: 'Conversation', source: 'myscrm', conversation: 'sandbox-long' });
  const bare = new Client({
    url: 'http://localhost/graphql',
    fetch: fetchInProcess,
    exchanges: [fetchExchange],
  });
  const result = await bare.query(MESSAGES, { id, first: 1 }).toPromise();
  expect(result.data).toBeUndefined();
  expect(result.error?.response?.status).toBe(403);
});
