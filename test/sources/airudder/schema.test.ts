import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import {
  AIRUDDER_SAMPLE_SESSION,
  airudderSandboxSessions,
} from '../../../src/sources/airudder/sandbox/data.js';
import { airudderEmulator } from '../../../src/sources/airudder/sandbox/emulator.js';
import {
  AIRUDDER_SANDBOX_SIGN,
  AIRUDDER_SANDBOX_SIGN_KEY,
} from '../../../src/sources/airudder/sandbox/index.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { checkPagingLaws, fetchPage, walkBackward, walkForward } from '../../helpers/paging.js';

const sessions = airudderSandboxSessions();
const idsOf = (callId: string) => (sessions.get(callId) ?? []).map((m) => m.msg_id);
const sampleIds = idsOf(AIRUDDER_SAMPLE_SESSION);
const longIds = idsOf('sandbox-long');

let h: Harness;
const conversationIds = new Map<string, string>();

async function conversationId(externalId: string): Promise<string> {
  const known = conversationIds.get(externalId);
  if (known) return known;
  const result = await h.query<{ source: { conversation: { id: string; __typename: string } } }>(
    `query ($externalId: String!) { source(name: "airudder") { conversation(externalId: $externalId) { id __typename } } }`,
    { externalId },
  );
  const conversation = result.data?.source.conversation;
  expect(conversation?.__typename).toBe('AirudderSession');
  conversationIds.set(externalId, conversation?.id as string);
  return conversation?.id as string;
}

/** An emulator of the test's own, reached by a source configured with the wrong sign key. */
let own: RunningEmulator;

beforeAll(async () => {
  own = await startEmulator(
    airudderEmulator({
      sessions,
      credentials: { signKey: AIRUDDER_SANDBOX_SIGN_KEY, sign: AIRUDDER_SANDBOX_SIGN },
    }),
  );
  h = await startHarness({
    vendors: ['AIRUDDER'],
    // Exact call counts per operation: no pages kept across this file's many operations.
    policy: { pageCacheTtlMs: 0 },
    sources: [
      {
        vendor: 'AIRUDDER',
        name: 'airudder-wrong-key',
        baseUrl: own.baseUrl,
        signKey: 'wrong-sign-key',
        sign: AIRUDDER_SANDBOX_SIGN,
        pageSize: 50,
      },
    ],
  });
});
beforeEach(() => {
  h.calls('AIRUDDER').reset();
  own.calls.reset();
});
afterAll(async () => {
  await h.close();
  await own.close();
});

const HEADER = `__typename
  ... on TextContent { text }
  ... on ImageContent { url }
  ... on LocationContent { latitude longitude name address }`;

const CONTENT = `
  __typename
  ... on TextContent { text }
  ... on ImageContent { url expiresAt }
  ... on FileContent { url name expiresAt }
  ... on VideoContent { url }
  ... on AudioContent { url }
  ... on AirudderInteractivePrompt {
    promptType header { ${HEADER} } body footer listButtonText
    buttons { type id title }
    sections { title rows { id title description } }
  }
  ... on AirudderPromptAnswer { text }
  ... on AirudderWhatsappTemplate {
    templateId templateName language category subcategory header { ${HEADER} } body footer
    buttons { type text url phoneNumber }
    cards { header { ${HEADER} } body footer buttons { type text } }
  }
  ... on AirudderInstagramTemplate { templateType elements { title subtitle imageUrl buttons { type title payload url } } }
  ... on AirudderLineTemplate {
    templateType title body imageUrl defaultAction { type label }
    actions { type label data displayText uri }
    columns { title body imageUrl defaultAction { type } actions { label data } }
  }
  ... on UnsupportedContent { vendorType raw }`;

const MESSAGES = `query ($externalId: String!, $first: Int, $last: Int) {
  source(name: "airudder") {
    conversation(externalId: $externalId) {
      messages(first: $first, last: $last) {
        edges { node {
          __typename id externalId sentAt kind text recalled
          sender { role externalId }
          ... on AirudderMessage {
            status statusRaw senderType turnId part
            content { ${CONTENT} }
            reply { msgId sentAt text content { ${CONTENT} } }
          }
        } }
        pageInfo { hasNextPage hasPreviousPage }
      }
    }
  }
}`;

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field.
type Node = any;
interface MessagesData {
  source: {
    conversation: {
      messages: {
        edges: Array<{ node: Node }>;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
      };
    };
  };
}

async function messages(externalId: string, args: { first?: number; last?: number }) {
  const result = await h.query<MessagesData>(MESSAGES, { externalId, ...args });
  expect(result.errors).toBeUndefined();
  return (result.data as MessagesData).source.conversation.messages;
}

describe('the AIRUDDER sample session through GraphQL', () => {
  it('lists all 18 messages in the vendor order, each content resolved to its union member', async () => {
    const page = await messages(AIRUDDER_SAMPLE_SESSION, { first: 20 });
    const nodes = page.edges.map((edge) => edge.node);
    expect(
      nodes.map((n) => [
        n.externalId,
        n.content.__typename,
        n.kind,
        n.sender.role,
        n.status,
        n.statusRaw,
        n.sentAt,
      ]),
    ).toEqual([
      [
        'd28711d4f1b745fab607eaca19e7a17d-2',
        'AirudderInstagramTemplate',
        'TEMPLATE',
        'BOT',
        'READ',
        'read',
        '2024-11-04T05:19:30.000Z',
      ],
      [
        '7cc9a7c49bf84d558a58a07f7c090969-1',
        'AirudderInstagramTemplate',
        'TEMPLATE',
        'BOT',
        'UNKNOWN',
        'send',
        '2024-11-04T05:19:21.000Z',
      ],
      [
        'b6021a20726738c053c6b90f523e1e25',
        'AirudderWhatsappTemplate',
        'TEMPLATE',
        'BOT',
        'DELIVERED',
        'delivery',
        '2024-11-04T05:36:00.000Z',
      ],
      [
        'abf0d3f3bca7dbffe76b5233e978ec4d',
        'AirudderWhatsappTemplate',
        'TEMPLATE',
        'BOT',
        'DELIVERED',
        'delivery',
        '2024-11-04T05:33:00.000Z',
      ],
      [
        'dec508c2cb4549b0b2d6a9a1f9dc7d25-2',
        'AirudderLineTemplate',
        'TEMPLATE',
        'BOT',
        'UNKNOWN',
        'send',
        '2024-11-04T05:54:50.000Z',
      ],
      [
        '8587dfc1bbbb4302ad32dd1913176ead-1',
        'AirudderLineTemplate',
        'TEMPLATE',
        'BOT',
        'UNKNOWN',
        'send',
        '2024-11-04T05:54:35.000Z',
      ],
      [
        'b1666ac1514d9e7bbd863319668dc5b9',
        'AirudderPromptAnswer',
        'INTERACTIVE',
        'CUSTOMER',
        'DELIVERED',
        'delivery',
        '2024-05-29T07:54:43.000Z',
      ],
      [
        'aab80ee4b49c4d179db2a7202d25b9c2',
        'TextContent',
        'TEXT',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:49.000Z',
      ],
      [
        '9fec57b9bd3cbf762a18d0c03afb9394',
        'TextContent',
        'TEXT',
        'CUSTOMER',
        'DELIVERED',
        'delivery',
        '2024-05-29T06:46:49.000Z',
      ],
      [
        '05edd4a966b14b77803c36fca1044aa7-1',
        'AirudderInteractivePrompt',
        'INTERACTIVE',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:43.000Z',
      ],
      [
        '05edd4a966b14b77803c36fca1044aa7-0',
        'TextContent',
        'TEXT',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:43.000Z',
      ],
      [
        '1b94be3dd2384fdbc2c54ffdd31ac7f9',
        'TextContent',
        'TEXT',
        'CUSTOMER',
        'DELIVERED',
        'delivery',
        '2024-05-29T06:46:43.000Z',
      ],
      [
        '1db1af246d534fb3a4c3cc675d71885a-1',
        'AirudderInteractivePrompt',
        'INTERACTIVE',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:26.000Z',
      ],
      [
        '1db1af246d534fb3a4c3cc675d71885a-0',
        'TextContent',
        'TEXT',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:26.000Z',
      ],
      [
        'c38dba25208d40e8a97916dcfc6e2bb1-2',
        'FileContent',
        'FILE',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:25.000Z',
      ],
      [
        'c38dba25208d40e8a97916dcfc6e2bb1-1',
        'ImageContent',
        'IMAGE',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:25.000Z',
      ],
      [
        'c38dba25208d40e8a97916dcfc6e2bb1-0',
        'TextContent',
        'TEXT',
        'BOT',
        'READ',
        'read',
        '2024-05-29T06:46:25.000Z',
      ],
      [
        '7bc58a7794cc51d09f077133736cb314',
        'TextContent',
        'TEXT',
        'CUSTOMER',
        'DELIVERED',
        'delivery',
        '2024-05-29T06:46:25.000Z',
      ],
    ]);
    expect(nodes.every((n) => n.__typename === 'AirudderMessage' && n.recalled === false)).toBe(true);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
    // 18 of the 21 asked for, then the empty answer that proves the end of the session.
    expect(h.calls('AIRUDDER').count).toBe(2);

    const byId = new Map(nodes.map((n) => [n.externalId, n]));
    const answer = byId.get('b1666ac1514d9e7bbd863319668dc5b9');
    expect(answer.content).toEqual({ __typename: 'AirudderPromptAnswer', text: '女' });
    expect(answer.reply).toMatchObject({
      msgId: '05edd4a966b14b77803c36fca1044aa7-1',
      sentAt: null,
      text: '请选择您的性别(button)👉👉👉\n男 | 女 | 其他',
      content: {
        __typename: 'AirudderInteractivePrompt',
        promptType: 'button',
        buttons: [
          { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-0-', title: '男' },
          { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-1-', title: '女' },
          { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-2-', title: '其他' },
        ],
      },
    });
    expect(byId.get('1b94be3dd2384fdbc2c54ffdd31ac7f9').reply).toMatchObject({
      msgId: null,
      content: {
        __typename: 'TextContent',
        text: '一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务',
      },
    });
    expect(byId.get('b6021a20726738c053c6b90f523e1e25').content).toMatchObject({
      templateId: '96',
      templateName: 'campaign1',
      header: {
        __typename: 'LocationContent',
        latitude: 1.2849138,
        longitude: 103.8525793,
        name: '9 Battery Rd, Singapore 049910',
      },
      buttons: [{ type: 'quick_reply', text: "I'll be there!" }, { text: 'Sorry, next time' }],
    });
    expect(byId.get('abf0d3f3bca7dbffe76b5233e978ec4d').content.cards).toHaveLength(3);
    expect(byId.get('abf0d3f3bca7dbffe76b5233e978ec4d').content.cards[2]).toMatchObject({
      header: { __typename: 'ImageContent' },
      body: 'Hi, tom, there is very good',
      buttons: [{ text: 'join3' }, { text: 'ignore3' }],
    });
    expect(byId.get('05edd4a966b14b77803c36fca1044aa7-1').content.sections.map((s: Node) => s.title)).toEqual(
      ['查询类', '寄件类'],
    );
    expect(byId.get('d28711d4f1b745fab607eaca19e7a17d-2').content.elements[3]).toEqual({
      title: '小件快递',
      subtitle: 'NO.4',
      imageUrl: null,
      buttons: [
        {
          type: 'postback',
          title: 'konfirmasi',
          payload: 'a8aa7c9cdb6daf68091d140e3207e4db-3-1-list-1-1-',
          url: null,
        },
      ],
    });
    expect(byId.get('dec508c2cb4549b0b2d6a9a1f9dc7d25-2').content.columns[0]).toEqual({
      title: 'NO.1',
      body: '物流查询',
      imageUrl: null,
      defaultAction: null,
      actions: [{ label: '物流查询', data: 'b63b90db35328cc3bbf053deaf8bee2e-3-1-list-0-0--物流查询' }],
    });
    expect(byId.get('8587dfc1bbbb4302ad32dd1913176ead-1')).toMatchObject({
      senderType: 'robot',
      turnId: '8587dfc1bbbb4302ad32dd1913176ead',
      part: 1,
      text: '请选择您的性别(button)👉👉👉\n男 | 女 | 其他',
    });
    expect(byId.get('c38dba25208d40e8a97916dcfc6e2bb1-2').content).toMatchObject({
      name: 'welcome_to_Earth.pdf',
      expiresAt: '2025-03-27T08:28:01.000Z',
    });
    expect(byId.get('b6021a20726738c053c6b90f523e1e25').senderType).toBe('chatbot');
  });

  it('last/before pages toward newer messages from the oldest, with exact page info', async () => {
    const page = await messages(AIRUDDER_SAMPLE_SESSION, { last: 3 });
    expect(page.edges.map((e) => e.node.externalId)).toEqual(sampleIds.slice(15));
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(h.calls('AIRUDDER').count).toBe(2);
  });

  it('finds a message again by its node id', async () => {
    const page = await messages(AIRUDDER_SAMPLE_SESSION, { first: 12 });
    const target = page.edges[11]?.node;
    h.calls('AIRUDDER').reset();
    const result = await h.query<{ node: Node }>(
      `query ($id: ID!) { node(id: $id) { __typename ... on AirudderMessage { externalId reply { text } } } }`,
      { id: target.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.node).toEqual({
      __typename: 'AirudderMessage',
      externalId: '1b94be3dd2384fdbc2c54ffdd31ac7f9',
      reply: { text: '一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务' },
    });
    expect(h.calls('AIRUDDER').count).toBe(1);
  });

  it('lets clients select same-named fields across content types together', async () => {
    const result = await h.query(
      `query ($id: String!) { source(name: "airudder") { conversation(externalId: $id) { messages(first: 20) { edges { node {
        ... on AirudderMessage { content {
          ... on TextContent { text }
          ... on AirudderPromptAnswer { text }
          ... on AirudderInteractivePrompt { body footer header { __typename } buttons { type title } }
          ... on AirudderWhatsappTemplate { body footer header { __typename } buttons { type text } }
          ... on AirudderLineTemplate { body templateType }
          ... on AirudderInstagramTemplate { templateType }
          ... on FileContent { url name }
          ... on ImageContent { url }
        } }
      } } } } } }`,
      { id: AIRUDDER_SAMPLE_SESSION },
    );
    expect(result.errors).toBeUndefined();
  });

  it('shows the vendor limits in the capabilities', async () => {
    const result = await h.query<{ source: { capabilities: Record<string, unknown> } }>(
      `{ source(name: "airudder") { vendor capabilities { olderPaging newerPaging vendorMaxPageSize retentionSeconds textSearch notes } } }`,
    );
    expect(result.data?.source.capabilities).toMatchObject({
      olderPaging: 'NATIVE',
      newerPaging: 'SCAN',
      vendorMaxPageSize: 50,
      retentionSeconds: 86_400,
      textSearch: 'GATEWAY',
    });
    expect(h.calls('AIRUDDER').count).toBe(0);
  });
});

describe('AIRUDDER vendor errors through GraphQL', () => {
  it('a refused sign key is a typed error carrying the vendor request_id, and no secret', async () => {
    const result = await h.query(
      `{ source(name: "airudder-wrong-key") { conversation(externalId: "${AIRUDDER_SAMPLE_SESSION}") { messages(first: 5) { edges { node { externalId } } } } } }`,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'VENDOR_AUTH_FAILED',
      source: 'airudder-wrong-key',
      vendorCode: 401,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(result)).not.toContain('wrong-sign-key');
    expect(own.calls.count).toBe(1);
  });
});

describe('AIRUDDER paging laws', () => {
  it('hold on the sample session, both directions, any page size', async () => {
    await checkPagingLaws(h, await conversationId(AIRUDDER_SAMPLE_SESSION), {
      expected: sampleIds,
      minSize: 1,
      maxSize: 20,
      numRuns: 10,
    });
    const id = await conversationId(AIRUDDER_SAMPLE_SESSION);
    expect(await walkForward(h, id, { sizes: [4] })).toEqual(sampleIds);
    expect(await walkBackward(h, id, { sizes: [4] })).toEqual(sampleIds);
  });

  it('hold on the sample session under a gateway filter', async () => {
    await checkPagingLaws(h, await conversationId(AIRUDDER_SAMPLE_SESSION), {
      expected: [
        'b1666ac1514d9e7bbd863319668dc5b9',
        '05edd4a966b14b77803c36fca1044aa7-1',
        '1db1af246d534fb3a4c3cc675d71885a-1',
      ],
      filter: { kinds: ['INTERACTIVE'] },
      minSize: 1,
      maxSize: 4,
    });
  });

  describe('on sandbox-long, vendor pages kept as in production', () => {
    // AIRUDDER pages only from the newest, so every last/before page scans from there: without the
    // page cache a backward walk re-reads the session for each page (quadratic in its length; the
    // uncached scan is counted below), with it the scans are served from kept pages. The laws are
    // the same either way.
    let cached: Harness;
    beforeAll(async () => {
      cached = await startHarness({ vendors: ['AIRUDDER'] });
    });
    afterAll(() => cached.close());

    it('hold walked toward older messages', async () => {
      expect(longIds.length).toBeGreaterThanOrEqual(5_000);
      expect(
        await walkForward(cached, await conversationId('sandbox-long'), { sizes: [100, 40, 77] }),
      ).toEqual(longIds);
    });

    it('hold walked toward newer messages', async () => {
      expect(await walkBackward(cached, await conversationId('sandbox-long'), { sizes: [100] })).toEqual(
        longIds,
      );
    });

    it('hold for random page sizes and resumed cursors', async () => {
      await checkPagingLaws(cached, await conversationId('sandbox-long'), {
        expected: longIds,
        minSize: 20,
        maxSize: 100,
        numRuns: 3,
      });
    });
  });

  it('costs one vendor call per page toward older messages; last/before scans from the newer bound', async () => {
    const id = await conversationId('sandbox-long');
    const first = await fetchPage(h, id, { first: 20 });
    expect(h.calls('AIRUDDER').count).toBe(1);
    await fetchPage(h, id, { first: 20, after: first.pageInfo.endCursor ?? undefined });
    expect(h.calls('AIRUDDER').count).toBe(2);

    h.calls('AIRUDDER').reset();
    const near = await fetchPage(h, id, { last: 10, before: first.pageInfo.endCursor ?? undefined });
    expect(near.edges.map((e) => e.node.externalId)).toEqual(longIds.slice(9, 19));
    expect(h.calls('AIRUDDER').count).toBe(1);

    h.calls('AIRUDDER').reset();
    const oldest = await fetchPage(h, id, { last: 10 });
    expect(oldest.edges.map((e) => e.node.externalId)).toEqual(longIds.slice(-10));
    // 5,200 messages: 104 full pages of 50, then the empty page that ends the session.
    expect(h.calls('AIRUDDER').count).toBe(105);
  });
});
