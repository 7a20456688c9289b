/** WeChat Shop rooms through the GraphQL schema: content union members, node ids, sources. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../../src/ids.js';
import {
  WECHAT_STORE_SAMPLE_ROOM,
  wechatStoreSampleRecords,
} from '../../../src/sources/wechat-store/sandbox/data.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ['WECHAT_STORE'] });
});
afterAll(() => h.close());

const LONG = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: 'sandbox-long' });

const CONTENT = `
  __typename
  ... on TextContent { text }
  ... on ImageContent { url thumbnailUrl width height }
  ... on AudioContent { url durationSeconds transcript }
  ... on VideoContent { url thumbnailUrl durationSeconds }
  ... on WechatStoreSystemNotice { noticeType text }
  ... on WechatStoreProductCard { productId title imageUrl priceText }
  ... on WechatStoreOrderCard { orderId stateText priceText products { productId title quantity } }
  ... on UnsupportedContent { vendorType raw }
`;

async function firstOfKind(kind: string) {
  const result = await h.query<{
    conversation: {
      messages: {
        edges: Array<{ node: { kind: string; recalled: boolean; content: Record<string, unknown> } }>;
      };
    };
  }>(
    `query($id: ID!, $kinds: [ContentKind!]) { conversation(id: $id) { messages(first: 1, filter: { kinds: $kinds }) {
      edges { node { kind recalled ... on WechatStoreMessage { content { ${CONTENT} } } } } } } }`,
    { id: LONG, kinds: [kind] },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.conversation.messages.edges[0]?.node;
}

describe('the WeChat Shop content union', () => {
  it('resolves every content kind of sandbox-long to its union member', async () => {
    const expected: Record<string, string[]> = {
      TEXT: ['TextContent'],
      IMAGE: ['ImageContent'],
      AUDIO: ['AudioContent'],
      VIDEO: ['VideoContent'],
      SYSTEM: ['WechatStoreSystemNotice'],
      CARD: ['WechatStoreProductCard', 'WechatStoreOrderCard'],
      UNSUPPORTED: ['UnsupportedContent'],
    };
    for (const [kind, typenames] of Object.entries(expected)) {
      const node = await firstOfKind(kind);
      expect(node?.kind).toBe(kind);
      expect(typenames).toContain(node?.content.__typename);
    }
    const image = await firstOfKind('IMAGE');
    expect(image?.content).toMatchObject({ width: 1200, height: 1600 });
    expect(String(image?.content.url)).toMatch(/-ori\.jpg$/);
    expect(String(image?.content.thumbnailUrl)).toMatch(/-ld\.jpg$/);
  });

  it('has recalled messages in sandbox-long', async () => {
    const result = await h.query<{
      conversation: { messages: { edges: Array<{ node: { recalled: boolean } }> } };
    }>(`query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { recalled } } } } }`, {
      id: LONG,
    });
    const recalled = result.data?.conversation.messages.edges.filter((edge) => edge.node.recalled) ?? [];
    expect(recalled.length).toBeGreaterThan(0);
  });
});

describe('node ids', () => {
  it('fetches a message, its conversation and its source again by id', async () => {
    const record = wechatStoreSampleRecords()[5];
    const page = await h.query<{
      source: {
        id: string;
        conversation: { id: string; messages: { edges: Array<{ node: { id: string } }> } };
      };
    }>(
      `{ source(name: "wechat-store") { id conversation(externalId: "${WECHAT_STORE_SAMPLE_ROOM}") { id messages(first: 6) { edges { node { id } } } } } }`,
    );
    const source = page.data?.source;
    const messageId = source?.conversation.messages.edges[5]?.node.id;
    h.calls('WECHAT_STORE').reset();
    const again = await h.query<{ nodes: Array<Record<string, unknown> | null> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id
        ... on Source { name vendor }
        ... on Conversation { externalId vendor }
        ... on Message { externalId sentAt text sender { role displayName } conversation { externalId } }
      } }`,
      { ids: [source?.id, source?.conversation.id, messageId] },
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.nodes).toEqual([
      { __typename: 'Source', id: source?.id, name: 'wechat-store', vendor: 'WECHAT_STORE' },
      {
        __typename: 'WechatStoreRoom',
        id: source?.conversation.id,
        externalId: WECHAT_STORE_SAMPLE_ROOM,
        vendor: 'WECHAT_STORE',
      },
      {
        __typename: 'WechatStoreMessage',
        id: messageId,
        externalId: record?.msg_id,
        sentAt: '2026-02-03T05:46:50.340Z',
        text: '不可能，乱弹琴。\n把你们的电话给我，我来加你们的微信。',
        sender: { role: 'CUSTOMER', displayName: '妮妮🍀' },
        conversation: { externalId: WECHAT_STORE_SAMPLE_ROOM },
      },
    ]);
    expect(h.calls('WECHAT_STORE').count).toBe(1);
  });

  it('answers bad ids with typed errors, one item at a time', async () => {
    const unknownSource = encodeNodeId({ kind: 'Source', source: 'nope' });
    const result = await h.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } node(id: "%%%") { id } }`, {
      ids: ['garbage', unknownSource, encodeNodeId({ kind: 'Source', source: 'wechat-store' })],
    });
    expect(result.data).toEqual({
      nodes: [null, null, { id: encodeNodeId({ kind: 'Source', source: 'wechat-store' }) }],
      node: null,
    });
    const codes = result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]);
    expect(codes?.sort()).toEqual([
      ['node', 'INVALID_ID'],
      ['nodes.0', 'INVALID_ID'],
      ['nodes.1', 'UNKNOWN_SOURCE'],
    ]);
  });

  it('refuses a message id where a conversation id is expected', async () => {
    const messageId = encodeNodeId({
      kind: 'Message',
      source: 'wechat-store',
      conversation: WECHAT_STORE_SAMPLE_ROOM,
      position: { id: '1', t: 0 },
    });
    const result = await h.query(`query($id: ID!) { conversation(id: $id) { id } }`, { id: messageId });
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });
});

describe('sources', () => {
  it('lists the source with what it can do', async () => {
    const result = await h.query(`{ sources { name vendor capabilities {
      olderPaging newerPaging vendorMaxPageSize textSearch kindFilter senderRoleFilter timeRangeFilter retentionSeconds defaultLookbackSeconds
    } } }`);
    expect(result.data).toEqual({
      sources: [
        {
          name: 'wechat-store',
          vendor: 'WECHAT_STORE',
          capabilities: {
            olderPaging: 'NATIVE',
            newerPaging: 'SCAN',
            vendorMaxPageSize: 50,
            textSearch: 'GATEWAY',
            kindFilter: 'GATEWAY',
            senderRoleFilter: 'GATEWAY',
            timeRangeFilter: 'GATEWAY',
            retentionSeconds: null,
            defaultLookbackSeconds: null,
          },
        },
      ],
    });
  });

  it('answers an unknown source name with UNKNOWN_SOURCE', async () => {
    const result = await h.query(`{ source(name: "nope") { name } }`);
    expect(result.data).toEqual({ source: null });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNKNOWN_SOURCE', source: 'nope' });
  });
});
