/**
 * `messageAdded` through real clients over a real HTTP server: graphql-ws over WebSocket,
 * graphql-sse over Yoga's SSE and Apollo Client's HttpLink over HTTP multipart, with API keys: the
 * same edges as `messages`, and nothing without a valid key.
 */
import type { Server } from 'node:http';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import type { ExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { type GraphQLWsServer, serveGraphQLWs } from '../../src/live/websocket.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { listen } from '../../src/server.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type LiveEdge, MESSAGE_ADDED } from '../helpers/live.js';

const KEY = 'live-console-key-0123456789';
const NEVER = 3_600_000;

let h: Harness;
let server: Server;
let ws: GraphQLWsServer;
let url: string;
let feed: LiveFeed;
let id: string;

beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    policy: {
      clients: [{ name: 'console', keyHash: hashApiKey(KEY), sources: null }],
      live: { minIntervalMs: NEVER, maxIntervalMs: NEVER },
      corsOrigins: ['https://console.example.com'],
    },
    secrets: [KEY],
  });
  ({ server, url } = await listen(h.yoga, 0, '127.0.0.1'));
  ws = serveGraphQLWs(server, h.yoga, h.app);
  feed = h.sandbox.live?.get('WECHAT_STORE') as LiveFeed;
  id = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: feed.externalId });
  feed.append(3);
});
afterAll(async () => {
  await ws.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await h.close();
});

async function history(): Promise<LiveEdge[]> {
  const result = await h.query<{ conversation: { messages: { edges: LiveEdge[] } } }>(
    `query ($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { cursor node { externalId text } } } } }`,
    { id },
    { authorization: `Bearer ${KEY}` },
  );
  return (result.data?.conversation.messages.edges ?? []).toReversed();
}

type Result = ExecutionResult<{ messageAdded: LiveEdge }>;

/** Reads `count` results of an iterator a client library hands out, then ends it. */
async function read(results: AsyncIterableIterator<Result>, count: number): Promise<LiveEdge[]> {
  const edges: LiveEdge[] = [];
  for (let i = 0; i < count; i++) {
    const { value } = await results.next();
    expect(value?.errors).toBeUndefined();
    edges.push(value?.data?.messageAdded as LiveEdge);
  }
  await results.return?.();
  return edges;
}

describe('graphql-ws over WebSocket', () => {
  it('delivers what followed a history cursor, then what is appended, in order', async () => {
    const client = createWsClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${KEY}` },
      retryAttempts: 0,
    });
    try {
      const before = await history();
      const results = client.iterate<Result['data']>({
        query: MESSAGE_ADDED,
        variables: { id, after: before.at(-2)?.cursor },
      }) as AsyncIterableIterator<Result>;
      const first = results.next();
      // The history edge after the cursor arrives first: the subscription has joined.
      expect((await first).value?.data?.messageAdded).toEqual(before.at(-1));
      feed.append(2);
      await liveHub(h.app).wake('wechat-store', feed.externalId);
      expect(await read(results, 2)).toEqual((await history()).slice(-2));
    } finally {
      await client.dispose();
    }
  });

  it('closes the connection before any operation without a valid key', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createWsClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer wrong-key-0123456789' },
        retryAttempts: 0,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe({ query: MESSAGE_ADDED, variables: { id } }, { next() {}, error() {}, complete() {} });
    });
    expect(await closed).toBe(4403);
  });

  it("refuses a browser page of a site CORS does not allow (its Origin), and lets allowed and the server's own pages in", async () => {
    /** The handshake's outcome for a page at `origin` (a browser always sends it). */
    const handshake = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          origin,
        });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      });
    expect(await handshake('https://evil.example')).toBe(401);
    expect(await handshake('https://console.example.com')).toBe('open');
    expect(await handshake(url)).toBe('open');
  });

  it("refuses a bad document as that operation's error, with its code, and the socket goes on", async () => {
    let closedWith: number | null = null;
    const client = createWsClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${KEY}` },
      retryAttempts: 0,
      on: { closed: (event) => (closedWith = (event as { code: number }).code) },
    });
    /** The codes of one operation's errors, or its data. */
    const outcome = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(
          { query },
          {
            next: (result) => resolve(result.errors ? result.errors.map((e) => e.extensions) : result.data),
            // An array of errors, or (the socket closed) an event.
            error: (errors) =>
              resolve(
                Array.isArray(errors) ? errors.map((e: { extensions: unknown }) => e.extensions) : 'closed',
              ),
            complete: () => {},
          },
        );
      });
    try {
      // Each once closed the socket (4500), ending the client's other operations with it.
      expect(await outcome('subscription {')).toEqual([{ code: 'GRAPHQL_PARSE_FAILED' }]);
      expect(await outcome(`{ sources ${'{ a '.repeat(3_000)}${'}'.repeat(3_000)} }`)).toEqual([
        { code: 'QUERY_TOO_COMPLEX', kind: 'nesting', limit: 100, actual: 101 },
      ]);
      expect(await outcome('{ nope }')).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED' }]);
      expect(await outcome('{ sources { name } }')).toEqual({ sources: [{ name: 'wechat-store' }] });
      expect(closedWith).toBeNull();
    } finally {
      await client.dispose();
    }
  });
});

describe('graphql-sse over SSE', () => {
  it('delivers what followed a history cursor, then what is appended, in order', async () => {
    const client = createSseClient({
      url: `${url}/graphql`,
      headers: { authorization: `Bearer ${KEY}` },
      retryAttempts: 0,
    });
    try {
      const before = await history();
      const results = client.iterate<Result['data']>({
        query: MESSAGE_ADDED,
        variables: { id, after: before.at(-2)?.cursor },
      }) as AsyncIterableIterator<Result>;
      expect((await results.next()).value?.data?.messageAdded).toEqual(before.at(-1));
      feed.append(2);
      await liveHub(h.app).wake('wechat-store', feed.externalId);
      expect(await read(results, 2)).toEqual((await history()).slice(-2));
    } finally {
      client.dispose();
    }
  });

  it('answers UNAUTHENTICATED without a valid key', async () => {
    const client = createSseClient({ url: `${url}/graphql`, retryAttempts: 0 });
    try {
      const results = client.iterate({ query: MESSAGE_ADDED, variables: { id } });
      await expect(results.next()).rejects.toMatchObject({ response: { status: 401 } });
    } finally {
      client.dispose();
    }
  });
});

describe("Apollo Client's HttpLink over HTTP multipart", () => {
  it('delivers what followed a history cursor, then what is appended, in order, and ends when unsubscribed', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${url}/graphql`, headers: { authorization: `Bearer ${KEY}` } }),
      cache: new InMemoryCache(),
    });
    const received: Array<LiveEdge | { errors: unknown }> = [];
    const arrived: Array<() => void> = [];
    const until = (count: number) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve();
        else arrived.push(() => received.length >= count && resolve());
      });
    const before = await history();
    const subscription = client
      .subscribe<{ messageAdded: LiveEdge }>({
        query: gql(MESSAGE_ADDED),
        variables: { id, after: before.at(-2)?.cursor },
        fetchPolicy: 'no-cache',
      })
      .subscribe({
        next: (result) => {
          // Without the __typename fields Apollo adds to the document.
          const edge = result.data?.messageAdded;
          received.push(
            edge
              ? { cursor: edge.cursor, node: { externalId: edge.node.externalId, text: edge.node.text } }
              : { errors: result.error },
          );
          for (const check of arrived) check();
        },
      });
    try {
      await until(1);
      expect(received).toEqual([before.at(-1)]);
      feed.append(2);
      await liveHub(h.app).wake('wechat-store', feed.externalId);
      await until(3);
      expect(received.slice(1)).toEqual((await history()).slice(-2));
      expect(liveHub(h.app).subscriptions).toBe(1);
      // Unsubscribing aborts the request: the server's subscription ends with it.
      subscription.unsubscribe();
      await vi.waitFor(() => expect(liveHub(h.app).subscriptions).toBe(0));
    } finally {
      subscription.unsubscribe();
      client.stop();
    }
  });
});
