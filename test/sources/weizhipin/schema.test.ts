import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEIZHIPIN_LONG_CHAT, WEIZHIPIN_SAMPLE_CHAT } from '../../../src/sources/weizhipin/sandbox/data.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

const CONTENT = `
  __typename
  ... on WeizhipinText { text mentions { id idType name isAll } }
  ... on WeizhipinImage { imageKey }
  ... on WeizhipinRichText {
    format title
    paragraphs { elements {
      __typename
      ... on WeizhipinRichTextText { text styles }
      ... on WeizhipinRichTextLink { text href }
      ... on WeizhipinMention { id name isAll }
      ... on WeizhipinImage { imageKey }
      ... on WeizhipinRichTextUnknown { tag }
    } }
  }
  ... on WeizhipinSystemCard { title text }
  ... on UnsupportedContent { vendorType }
`;

const MESSAGES = `query($x: String!, $first: Int, $filter: MessageFilter) {
  source(name: "weizhipin") {
    conversation(externalId: $x) {
      __typename externalId
      ... on WeizhipinChat { userIdType userId }
      messages(first: $first, filter: $filter) {
        edges { node {
          __typename externalId sentAt kind text recalled
          sender { role externalId }
          ... on WeizhipinMessage { msgType rootId parentId updated updatedAt content { ${CONTENT} } }
        } }
        pageInfo { hasNextPage hasPreviousPage }
      }
    }
  }
}`;

interface Node {
  __typename: string;
  externalId: string;
  kind: string;
  text: string | null;
  content: { __typename: string; paragraphs?: Array<{ elements: Array<{ __typename: string }> }> };
}

describe('weizhipin schema (shared sandbox harness)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendors: ['WEIZHIPIN'] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the sample chat at its own 2023 timestamp through filter.since, in one vendor call', async () => {
    h.calls('WEIZHIPIN').reset();
    const result = await h.query(MESSAGES, {
      x: WEIZHIPIN_SAMPLE_CHAT,
      first: 5,
      filter: { since: '2023-04-04T00:00:00.000Z', until: '2023-04-05T00:00:00.000Z' },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      source: {
        conversation: {
          __typename: 'WeizhipinChat',
          externalId: 'open_id:ou_7dab8a3d3cdcc9da365777c7ad535d62',
          userIdType: 'open_id',
          userId: 'ou_7dab8a3d3cdcc9da365777c7ad535d62',
          messages: {
            edges: [
              {
                node: {
                  __typename: 'WeizhipinMessage',
                  externalId: 'c909a40e9ed292b31kEWDPHnxajTLa0~',
                  sentAt: '2023-04-04T07:24:28.000Z',
                  kind: 'TEXT',
                  text: '@所有人 @娄修俊 @陈世伟 test',
                  recalled: false,
                  sender: { role: 'BOT', externalId: null },
                  msgType: 'text',
                  rootId: '07b5df7e131fbe2e1w~~',
                  parentId: '07b5df7e131fbe2e1w~~',
                  updated: false,
                  updatedAt: '2023-04-04T07:24:28.000Z',
                  content: {
                    __typename: 'WeizhipinText',
                    text: ' @所有人 @娄修俊 @陈世伟 test',
                    mentions: [
                      { id: '-1', idType: 'open_id', name: '所有人', isAll: true },
                      {
                        id: 'ou_d30ebbab92f41742a20ac0969476857f',
                        idType: 'open_id',
                        name: '娄修俊',
                        isAll: false,
                      },
                      {
                        id: 'ou_464a93783034963bfb77ad3bce3354d9',
                        idType: 'open_id',
                        name: '陈世伟',
                        isAll: false,
                      },
                    ],
                  },
                },
              },
            ],
            pageInfo: { hasNextPage: false, hasPreviousPage: false },
          },
        },
      },
    });
    // One day: one token call and one window.
    expect(h.calls('WEIZHIPIN').count).toBe(2);
    expect(
      h.calls('WEIZHIPIN').recent.filter((call) => call.path.startsWith('/open-apis/im/v2/messages')),
    ).toHaveLength(1);
  });

  it('is outside the default lookback without filter.since, and the capabilities say so', async () => {
    const result = await h.query<{ source: { capabilities: { defaultLookbackSeconds: number } } }>(
      '{ source(name: "weizhipin") { capabilities { defaultLookbackSeconds } } }',
    );
    expect(result.data?.source.capabilities.defaultLookbackSeconds).toBe(100 * 86_400);
    const empty = await h.query<{ source: { conversation: { messages: { edges: unknown[] } } } }>(MESSAGES, {
      x: WEIZHIPIN_SAMPLE_CHAT,
      first: 5,
    });
    expect(empty.data?.source.conversation.messages.edges).toEqual([]);
  });

  it('resolves every member of the content unions on sandbox-long', async () => {
    const result = await h.query<{
      source: { conversation: { messages: { edges: Array<{ node: Node }> } } };
    }>(MESSAGES, { x: WEIZHIPIN_LONG_CHAT, first: 100 });
    expect(result.errors).toBeUndefined();
    const nodes = (result.data?.source.conversation.messages.edges ?? []).map((edge) => edge.node);
    expect(nodes).toHaveLength(100);
    expect(new Set(nodes.map((node) => node.content.__typename))).toEqual(
      new Set([
        'WeizhipinText',
        'WeizhipinImage',
        'WeizhipinRichText',
        'WeizhipinSystemCard',
        'UnsupportedContent',
      ]),
    );
    expect(new Set(nodes.map((node) => node.kind))).toEqual(
      new Set(['TEXT', 'IMAGE', 'RICH_TEXT', 'SYSTEM', 'UNSUPPORTED']),
    );
    const elements = new Set(
      nodes.flatMap((node) =>
        (node.content.paragraphs ?? []).flatMap((paragraph) => paragraph.elements.map((e) => e.__typename)),
      ),
    );
    expect(elements).toEqual(
      new Set([
        'WeizhipinRichTextText',
        'WeizhipinRichTextLink',
        'WeizhipinMention',
        'WeizhipinImage',
        'WeizhipinRichTextUnknown',
      ]),
    );
  });
});
