/**
 * Hive Gateway (its runtime, `createGatewayRuntime`) on loopback in front of two chatgraph replicas
 * and the customer directory: one query crosses both subgraphs, and a cursor issued by one replica
 * pages on the other. Both replicas read the same sandbox emulators, so vendor calls are counted
 * once, at the emulators.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type App, closeApp } from '../../src/app.js';
import { composeChatgraph } from '../../src/compose.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { silentLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createSchema } from '../../src/schema/index.js';

const { schema } = createSchema();

import { TEST_CURSOR_SECRET } from '../helpers/harness.js';
import { type LiveEdge, MESSAGE_ADDED, sseOver } from '../helpers/live.js';
import {
  customerDirectorySchema,
  customerDirectorySdl,
  startCustomerDirectory,
} from './customer-directory.js';

interface Replica {
  app: App;
  server: Server;
  url: string;
  /** GraphQL requests this replica has served. */
  served: number;
}

async function startReplica(sandbox: Sandbox): Promise<Replica> {
  const logger = silentLogger();
  // Each replica has its own sources (HTTP clients, vendor tokens); only the secret is shared.
  const { app, yoga } = await composeChatgraph({
    sandbox,
    cursorSecret: TEST_CURSOR_SECRET,
    logger,
    // Live polls only when the subscription test wakes them.
    policy: { live: { minIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 } },
    yoga: { graphiql: false },
  });
  const replica = { app, url: '', served: 0 } as Replica;
  replica.server = createServer((request, response) => {
    replica.served++;
    yoga(request, response);
  });
  await new Promise<void>((resolve) => replica.server.listen(0, '127.0.0.1', resolve));
  replica.url = `http://127.0.0.1:${(replica.server.address() as AddressInfo).port}/graphql`;
  return replica;
}

/**
 * Spreads the chatgraph subgraph's requests over its replicas in turn. In production a load
 * balancer or a Kubernetes Service does this behind one subgraph URL; here the gateway does it,
 * so the test knows which replica served what.
 */
function roundRobin(subgraphUrl: string, replicas: string[]): GatewayPlugin {
  let turn = 0;
  return {
    onFetch({ url, setURL, options, setOptions }) {
      // A subscription comes as a GET, with the operation in the query string.
      if (url !== subgraphUrl && !url.startsWith(`${subgraphUrl}?`)) return;
      setURL(`${replicas[turn++ % replicas.length] ?? subgraphUrl}${url.slice(subgraphUrl.length)}`);
      // Subscriptions reach the subgraph as GET over SSE, which chatgraph's CSRF check only
      // accepts with this header (a gateway's own header, not a client's).
      setOptions({ ...options, headers: { ...options.headers, 'x-graphql-yoga-csrf': 'hive-gateway' } });
    },
  };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const conversationId = (source: string, conversation: string) =>
  encodeNodeId({ kind: 'Conversation', source, conversation });
const WECHAT_LONG = conversationId('wechat-store', 'sandbox-long');
const AIRUDDER_LONG = conversationId('airudder', 'sandbox-long');

let sandbox: Sandbox;
let replicas: [Replica, Replica];
let directory: Awaited<ReturnType<typeof startCustomerDirectory>>;
let gateway: ReturnType<typeof createGatewayRuntime>;
let gatewayServer: Server;
let gatewayUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({ vendors: ['WECHAT_STORE', 'AIRUDDER'] });
  replicas = [await startReplica(sandbox), await startReplica(sandbox)];
  const customers = [
    { id: 'c-1', name: 'Lin Mei', conversationIds: [WECHAT_LONG, AIRUDDER_LONG] },
    { id: 'c-2', name: 'Wang Jun', conversationIds: [] },
  ];
  directory = await startCustomerDirectory(customers);

  const composed = composeServices([
    { name: 'chatgraph', typeDefs: parse(printSubgraphSchema(schema)), url: replicas[0].url },
    {
      name: 'customers',
      typeDefs: parse(customerDirectorySdl(customerDirectorySchema(customers))),
      url: directory.url,
    },
  ]);
  if (!composed.supergraphSdl) throw new Error(String(composed.errors));
  gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    logging: false,
    plugins: () => [
      roundRobin(
        replicas[0].url,
        replicas.map((replica) => replica.url),
      ),
    ],
  });
  gatewayServer = createServer(gateway);
  await new Promise<void>((resolve) => gatewayServer.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gatewayServer.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await closeServer(gatewayServer);
  await gateway.dispose();
  await directory.close();
  for (const replica of replicas) {
    await closeServer(replica.server);
    await closeApp(replica.app);
  }
  await sandbox.close();
});

beforeEach(() => {
  sandbox.emulators.get('WECHAT_STORE')?.calls.reset();
  sandbox.emulators.get('AIRUDDER')?.calls.reset();
});

const vendorCalls = () => ({
  WECHAT_STORE: sandbox.emulators.get('WECHAT_STORE')?.calls.count,
  AIRUDDER: sandbox.emulators.get('AIRUDDER')?.calls.count,
});

async function viaGateway<T>(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
}

interface Page {
  edges: Array<{ cursor: string; node: { id: string; externalId: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

/** The same walk read in one request from replica A directly, to compare pages against. */
async function directPage(id: string, first: number): Promise<Page> {
  const response = await fetch(replicas[0].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($id: ID!, $first: Int!) { conversation(id: $id) { messages(first: $first) {
        edges { cursor node { id externalId } } pageInfo { hasNextPage endCursor } } } }`,
      variables: { id, first },
    }),
  });
  const body = (await response.json()) as { data: { conversation: { messages: Page } } };
  return body.data.conversation.messages;
}

describe('Hive Gateway in front of two replicas', () => {
  it('answers a query that crosses both subgraphs, and pages on the other replica with its cursor', async () => {
    const first = await viaGateway<{
      customer: {
        name: string;
        conversations: Array<{
          __typename: string;
          id: string;
          externalId: string;
          source: { name: string };
          messages: Page;
        }>;
      };
    }>(
      `query ($id: ID!) { customer(id: $id) { name conversations {
        __typename id externalId source { name }
        messages(first: 5) { edges { cursor node { id externalId } } pageInfo { hasNextPage endCursor } }
      } } }`,
      { id: 'c-1' },
    );
    expect(first.errors).toBeUndefined();
    const customer = first.data?.customer;
    expect(customer?.name).toBe('Lin Mei');
    expect(customer?.conversations.map((c) => [c.__typename, c.id, c.externalId, c.source.name])).toEqual([
      ['WechatStoreRoom', WECHAT_LONG, 'sandbox-long', 'wechat-store'],
      ['AirudderSession', AIRUDDER_LONG, 'sandbox-long', 'airudder'],
    ]);
    for (const conversation of customer?.conversations ?? []) {
      expect(conversation.messages.edges).toHaveLength(5);
      expect(conversation.messages.pageInfo.hasNextPage).toBe(true);
    }
    // Both conversations came from one `_entities` request to replica A: one vendor page each.
    expect(replicas.map((replica) => replica.served)).toEqual([1, 0]);
    expect(vendorCalls()).toEqual({ WECHAT_STORE: 1, AIRUDDER: 1 });

    const wechat = customer?.conversations[0]?.messages as Page;
    const second = await viaGateway<{ conversation: { messages: Page } }>(
      `query ($id: ID!, $after: String!) { conversation(id: $id) {
        messages(first: 5, after: $after) { edges { cursor node { id externalId } } pageInfo { hasNextPage endCursor } }
      } }`,
      { id: WECHAT_LONG, after: wechat.pageInfo.endCursor },
    );
    expect(second.errors).toBeUndefined();
    // Replica B accepted A's cursor (same secret) and read on from it with one vendor call.
    expect(replicas.map((replica) => replica.served)).toEqual([1, 1]);
    expect(vendorCalls()).toEqual({ WECHAT_STORE: 2, AIRUDDER: 1 });

    const reference = await directPage(WECHAT_LONG, 10);
    expect([...wechat.edges, ...(second.data?.conversation.messages.edges ?? [])]).toEqual(reference.edges);
  });

  it('resolves the directory field on a conversation read from chatgraph', async () => {
    const result = await viaGateway<{
      a: { __typename: string; customer: { name: string } | null };
      b: { customer: { name: string } | null };
    }>(
      `query ($a: ID!, $b: ID!) {
        a: conversation(id: $a) { __typename customer { name } }
        b: conversation(id: $b) { customer { name } }
      }`,
      { a: AIRUDDER_LONG, b: conversationId('wechat-store', '4370405345218887686') },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      a: { __typename: 'AirudderSession', customer: { name: 'Lin Mei' } },
      b: { customer: null },
    });
    expect(vendorCalls()).toEqual({ WECHAT_STORE: 0, AIRUDDER: 0 });
  });

  it('passes chatgraph errors through with their codes', async () => {
    const result = await viaGateway<{ conversation: unknown }>(
      'query ($id: ID!) { conversation(id: $id) { messages(first: 5, after: "forged") { edges { cursor } } } }',
      { id: WECHAT_LONG },
    );
    expect(result.data).toEqual({ conversation: null });
    expect(
      result.errors?.map((error) => [
        error.message,
        (error as { extensions?: { code?: string } }).extensions?.code,
      ]),
    ).toEqual([
      [
        'The cursor is not valid here: it was altered, or issued for another conversation or filter (after changing the filter, page again from the start).',
        'INVALID_CURSOR',
      ],
    ]);
    expect(vendorCalls()).toEqual({ WECHAT_STORE: 0, AIRUDDER: 0 });
  });
});

describe('subscriptions through the gateway', () => {
  it('delivers messageAdded from a history cursor, then what is appended, over SSE', async () => {
    const feed = sandbox.live?.get('WECHAT_STORE');
    if (!feed) throw new Error('no live feed');
    feed.append(2);
    const id = conversationId('wechat-store', feed.externalId);
    const page = await viaGateway<{ conversation: { messages: { edges: LiveEdge[] } } }>(
      `query ($id: ID!) { conversation(id: $id) { messages(first: 2) { edges { cursor node { externalId text } } } } }`,
      { id },
    );
    const [newest, older] = page.data?.conversation.messages.edges ?? [];
    const stream = await sseOver(fetch, gatewayUrl, MESSAGE_ADDED, { id, after: older?.cursor });
    try {
      expect((await stream.next(1))[0]?.data?.messageAdded).toEqual(newest);
      feed.append(2);
      // Whichever replica serves the subscription reads now.
      await Promise.all(
        replicas.map((replica) => liveHub(replica.app).wake('wechat-store', feed.externalId)),
      );
      const live = (await stream.next(2)).map((result) => result.data?.messageAdded.node.externalId);
      expect(live).toEqual(feed.records.slice(-2).map((record) => (record as { msg_id: string }).msg_id));
    } finally {
      await stream.close();
    }
  });
});
