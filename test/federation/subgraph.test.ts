/** chatgraph as an Apollo Federation v2 subgraph: `_service { sdl }` and `_entities`. */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ['WECHAT_STORE', 'AIRUDDER'] });
});
afterAll(() => h.close());
beforeEach(() => {
  h.calls('WECHAT_STORE').reset();
  h.calls('AIRUDDER').reset();
});

const WECHAT_LONG = encodeNodeId({
  kind: 'Conversation',
  source: 'wechat-store',
  conversation: 'sandbox-long',
});
const AIRUDDER_LONG = encodeNodeId({
  kind: 'Conversation',
  source: 'airudder',
  conversation: 'sandbox-long',
});

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Conversation { id externalId vendor }
    ... on Message { id externalId text conversation { id } }
    ... on Source { name vendor }
  }
}`;

/** A result's errors as [path, message, code], by the index of the entity they are about. */
function itemErrors(result: { errors?: ReadonlyArray<GraphQLFormattedError> }) {
  return [...(result.errors ?? [])]
    .sort((x, y) => Number(x.path?.[1]) - Number(y.path?.[1]))
    .map((error) => [error.path, error.message, error.extensions?.code]);
}

async function entities(representations: Array<Record<string, unknown>>) {
  return h.query<{ _entities: Array<Record<string, unknown> | null> }>(ENTITIES, { representations });
}

describe('_service', () => {
  it('reports the subgraph SDL with the entity keys and the Federation 2 link', async () => {
    const result = await h.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(result.errors).toBeUndefined();
    const sdl = result.data?._service.sdl ?? '';
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    for (const type of [
      'interface Conversation implements Node',
      'interface Message implements Node',
      'type WechatStoreRoom implements Node & Conversation',
      'type AirudderSession implements Node & Conversation',
      'type WeizhipinChat implements Node & Conversation',
      'type MyscrmChat implements Node & Conversation',
      'type WechatStoreMessage implements Node & Message',
      'type AirudderMessage implements Node & Message',
      'type WeizhipinMessage implements Node & Message',
      'type MyscrmMessage implements Node & Message',
    ]) {
      expect(sdl).toContain(`${type}\n  @key(fields: "id")\n`);
    }
    expect(sdl).toContain('type Source implements Node\n  @key(fields: "name")\n');
    // Content types are plain values of a message, not entities.
    expect(sdl).not.toMatch(/type TextContent[^{]*@key/);
  });
});

describe('_entities', () => {
  it('resolves conversations through the Conversation interface to their vendor types, with no vendor call', async () => {
    const result = await entities([
      { __typename: 'Conversation', id: WECHAT_LONG },
      { __typename: 'Conversation', id: AIRUDDER_LONG },
      { __typename: 'WechatStoreRoom', id: WECHAT_LONG },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { __typename: 'WechatStoreRoom', id: WECHAT_LONG, externalId: 'sandbox-long', vendor: 'WECHAT_STORE' },
      { __typename: 'AirudderSession', id: AIRUDDER_LONG, externalId: 'sandbox-long', vendor: 'AIRUDDER' },
      { __typename: 'WechatStoreRoom', id: WECHAT_LONG, externalId: 'sandbox-long', vendor: 'WECHAT_STORE' },
    ]);
    expect(h.calls('WECHAT_STORE').count).toBe(0);
    expect(h.calls('AIRUDDER').count).toBe(0);
  });

  it('finds messages again by id, one vendor call per distinct message as node(id:) does', async () => {
    const page = await h.query<{
      conversation: {
        messages: { edges: Array<{ node: { id: string; externalId: string; text: string | null } }> };
      };
    }>(
      'query ($id: ID!) { conversation(id: $id) { messages(first: 3) { edges { node { id externalId text } } } } }',
      {
        id: WECHAT_LONG,
      },
    );
    const [newest, , third] = page.data?.conversation.messages.edges.map((edge) => edge.node) ?? [];
    if (!newest || !third) throw new Error('The sandbox room has fewer than three messages.');
    h.calls('WECHAT_STORE').reset();

    const result = await entities([
      { __typename: 'Message', id: newest.id },
      { __typename: 'WechatStoreMessage', id: third.id },
      { __typename: 'WechatStoreMessage', id: newest.id },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { __typename: 'WechatStoreMessage', ...newest, conversation: { id: WECHAT_LONG } },
      { __typename: 'WechatStoreMessage', ...third, conversation: { id: WECHAT_LONG } },
      { __typename: 'WechatStoreMessage', ...newest, conversation: { id: WECHAT_LONG } },
    ]);
    // The vendor has no lookup by id: each message is one `limit: 1` read just before it, and the
    // request's page loader serves the repeated reference without a second call.
    expect(h.calls('WECHAT_STORE').count).toBe(2);
  });

  it('resolves a source by name', async () => {
    const result = await entities([{ __typename: 'Source', name: 'airudder' }]);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ __typename: 'Source', name: 'airudder', vendor: 'AIRUDDER' }]);
  });

  it('rejects a reference of the wrong kind or vendor type, item by item, with the node errors', async () => {
    const message = encodeNodeId({
      kind: 'Message',
      source: 'wechat-store',
      conversation: 'sandbox-long',
      position: { id: 'm1', t: 1 },
    });
    const result = await entities([
      { __typename: 'Conversation', id: message },
      { __typename: 'AirudderSession', id: WECHAT_LONG },
      { __typename: 'Conversation', id: 'not-an-id' },
      { __typename: 'Source', name: 'nope' },
      { __typename: 'Conversation', id: AIRUDDER_LONG },
    ]);
    expect(result.data?._entities).toEqual([
      null,
      null,
      null,
      null,
      { __typename: 'AirudderSession', id: AIRUDDER_LONG, externalId: 'sandbox-long', vendor: 'AIRUDDER' },
    ]);
    expect(itemErrors(result)).toEqual([
      [['_entities', 0], 'The id is not a conversation id.', 'INVALID_ID'],
      [['_entities', 1], 'The id is not of type AirudderSession.', 'INVALID_ID'],
      [['_entities', 2], 'Not a chatgraph id.', 'INVALID_ID'],
      [['_entities', 3], 'No source is named "nope".', 'UNKNOWN_SOURCE'],
    ]);
    expect(h.calls('WECHAT_STORE').count).toBe(0);
  });

  it('refuses a representation of no entity type on its own, and leaves no rejection unobserved', async () => {
    const unobserved: unknown[] = [];
    const observe = (reason: unknown) => unobserved.push(reason);
    process.on('unhandledRejection', observe);
    try {
      // The order that ended the process: an entity that fails, then one the library throws for.
      const result = await h.query<{ _entities: Array<Record<string, unknown> | null> }>(
        `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Conversation { id } } }`,
        {
          representations: [
            { __typename: 'Conversation', id: 'not-an-id' },
            { __typename: 'Nope' },
            { __typename: 'Query' },
            { __typename: 'Conversation', id: AIRUDDER_LONG },
            { id: AIRUDDER_LONG },
            { __typename: 42 },
          ],
        },
      );
      expect(result.data?._entities).toEqual([
        null,
        null,
        null,
        { __typename: 'AirudderSession', id: AIRUDDER_LONG },
        null,
        null,
      ]);
      expect(itemErrors(result)).toEqual([
        [['_entities', 0], 'Not a chatgraph id.', 'INVALID_ID'],
        [['_entities', 1], '"Nope" is not an entity type of this subgraph.', 'INVALID_ARGUMENT'],
        [['_entities', 2], '"Query" is not an entity type of this subgraph.', 'INVALID_ARGUMENT'],
        [['_entities', 4], 'A representation is an object with a __typename.', 'INVALID_ARGUMENT'],
        [['_entities', 5], 'A representation is an object with a __typename.', 'INVALID_ARGUMENT'],
      ]);
      // A rejection nobody handles is reported after a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unobserved).toEqual([]);
    } finally {
      process.off('unhandledRejection', observe);
    }
  });
});
