/** myscrm WeCom chats through the GraphQL schema: keyword search, compliance flags, content, errors. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../../src/ids.js';
import { startEmulator } from '../../../src/sandbox/server.js';
import type { MyscrmSourceConfig } from '../../../src/sources/myscrm/config.js';
import {
  MYSCRM_LONG_CHAT,
  MYSCRM_SAMPLE_CHAT,
  type MyscrmWireRecord,
  myscrmSampleRecords,
  myscrmSandboxChats,
  myscrmSenderType,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmEmulator, myscrmSearchText } from '../../../src/sources/myscrm/sandbox/emulator.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

const LONG_RECORDS = myscrmSandboxChats().get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];
const conversationId = (chat: string) =>
  encodeNodeId({ kind: 'Conversation', source: 'myscrm', conversation: chat });

const CONTENT = `
  __typename
  ... on TextContent { text }
  ... on ImageContent { url thumbnailUrl expiresAt }
  ... on VideoContent { url durationSeconds expiresAt }
  ... on AudioContent { url durationSeconds expiresAt }
  ... on FileContent { url name sizeBytes expiresAt }
  ... on StickerContent { url thumbnailUrl width height expiresAt }
  ... on LinkContent { url title description imageUrl }
  ... on LocationContent { latitude longitude name address zoom }
  ... on MyscrmConsent { agreed userId at }
  ... on MyscrmMiniProgram { title description username appName }
  ... on MyscrmRedPacket { packetType wish count totalAmountFen }
  ... on MyscrmContactCard { corpName userId }
  ... on MyscrmSharedDocument { title url creatorId }
  ... on UnsupportedContent { vendorType raw }
`;

const MESSAGE = `
  id externalId sentAt kind text recalled raw
  sender { role externalId }
  ... on MyscrmMessage {
    qwChatRecordId receiverIds recalledAt action
    sticker { format formatCode sizeBytes }
    complianceFlags { ruleId ruleName keywords }
    content { ${CONTENT} }
  }
`;

interface Node {
  id: string;
  externalId: string;
  sentAt: string;
  kind: string;
  text: string | null;
  recalled: boolean;
  raw: unknown;
  sender: { role: string; externalId: string | null };
  qwChatRecordId: string | null;
  receiverIds: string[];
  recalledAt: string | null;
  action: string | null;
  sticker: { format: string; formatCode: number | null; sizeBytes: number | null } | null;
  complianceFlags: Array<{ ruleId: string | null; ruleName: string | null; keywords: string[] }>;
  content: Record<string, unknown>;
}

interface Page {
  edges: Array<{ node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAGE = `query($id: ID!, $first: Int, $after: String, $filter: MessageFilter) {
  conversation(id: $id) { messages(first: $first, after: $after, filter: $filter) {
    edges { node { ${MESSAGE} } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ['MYSCRM'] });
});
afterAll(() => h.close());
beforeEach(() => h.calls('MYSCRM').reset());

async function page(chat: string, args: Record<string, unknown>): Promise<Page> {
  const result = await h.query<{ conversation: { messages: Page } }>(PAGE, {
    id: conversationId(chat),
    ...args,
  });
  expect(result.errors).toBeUndefined();
  return (result.data as { conversation: { messages: Page } }).conversation.messages;
}

/** Every message of the filtered list, 50 a page; `pages` counts the GraphQL requests. */
async function all(chat: string, filter: Record<string, unknown>): Promise<Node[] & { pages: number }> {
  const nodes = Object.assign([] as Node[], { pages: 0 });
  let after: string | undefined;
  for (;;) {
    const current = await page(chat, { first: 50, after, filter });
    nodes.pages++;
    nodes.push(...current.edges.map((edge) => edge.node));
    if (!current.pageInfo.hasNextPage) return nodes;
    after = current.pageInfo.endCursor ?? undefined;
  }
}

/** Newest first, the text messages whose text holds `keyword` (any case): the emulator's search. */
const matching = (keyword: string) =>
  LONG_RECORDS.filter((record) =>
    myscrmSearchText(record, 'text')?.toLowerCase().includes(keyword.toLowerCase()),
  )
    .reverse()
    .map((record) => record.chat_record_id);

describe('keyword search', () => {
  it('returns exactly the messages whose words hold the keyword, with their compliance flags', async () => {
    const expected = matching('保证');
    expect(expected.length).toBeGreaterThan(100);
    const nodes = await all(MYSCRM_LONG_CHAT, { text: '保证' });
    expect(nodes.map((node) => node.externalId)).toEqual(expected);
    for (const node of nodes) {
      expect(node.text).toContain('保证');
      // The sandbox's rule 过度承诺 watches 保证: every hit is flagged with it.
      expect(node.complianceFlags).toContainEqual({
        ruleId: '4dddedd4-c5e7-436f-be4f-d58adc283a3b',
        ruleName: '过度承诺',
        keywords: expect.arrayContaining(['保证']),
      });
    }
    // Pushed down: one vendor call per page (51 asked, 52 when resuming), nothing read and dropped;
    // and the first pages ask who the senders are (sender_type 1, then 2), once for the chat.
    const calls = h.calls('MYSCRM');
    const learning = calls.recent.filter((call) =>
      new URL(call.path, 'http://x').searchParams.has('sender_type'),
    );
    expect(nodes.pages).toBe(Math.ceil(expected.length / 50));
    expect(calls.count - learning.length).toBe(nodes.pages);
    expect(learning.length).toBeGreaterThan(0);
    expect(learning.length).toBeLessThanOrEqual(4);
    expect(
      calls.recent.every((call) => new URL(call.path, 'http://x').searchParams.get('keyword') === '保证'),
    ).toBe(true);
  });

  it('is case-insensitive and searches the text of text messages, as the vendor does', async () => {
    const nodes = await all(MYSCRM_LONG_CHAT, { text: 'REFUND' });
    expect(nodes.map((node) => node.externalId)).toEqual(matching('refund'));
    expect(new Set(nodes.map((node) => node.content.__typename))).toEqual(new Set(['TextContent']));
    for (const node of nodes) expect(node.text?.toLowerCase()).toContain('refund');
  });

  it('combines with roles and a time range', async () => {
    const since = (LONG_RECORDS[2_000] as MyscrmWireRecord).send_time;
    const until = (LONG_RECORDS[3_000] as MyscrmWireRecord).send_time;
    const nodes = await all(MYSCRM_LONG_CHAT, {
      text: '首付',
      senderRoles: ['CUSTOMER'],
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
    });
    const expected = LONG_RECORDS.slice(2_000, 3_000)
      .filter(
        (r) => myscrmSenderType(r.sender_id) === 2 && (myscrmSearchText(r, 'text') ?? '').includes('首付'),
      )
      .reverse()
      .map((r) => r.chat_record_id);
    expect(expected.length).toBeGreaterThan(5);
    expect(nodes.map((node) => node.externalId)).toEqual(expected);
    const query = new URL(h.calls('MYSCRM').recent[0]?.path ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      sender_type: '2',
      start_time: String(since),
      end_time: String(until - 1),
      keyword: '首付',
    });
  });
});

describe('the sample chat', () => {
  it('serves the sample record as a text message with every myscrm field', async () => {
    const [record] = myscrmSampleRecords();
    const current = await page(MYSCRM_SAMPLE_CHAT, { first: 5 });
    expect(current.edges).toHaveLength(1);
    const node = current.edges[0]?.node as Node;
    expect({ ...node, id: undefined }).toEqual({
      id: undefined,
      externalId: '3a0c793e-042b-228c-699d-7a5d84b41611',
      sentAt: '2023-07-18T03:35:05.443Z',
      kind: 'TEXT',
      text: '您好,请问您有什么需要咨询的',
      recalled: true,
      raw: record,
      // The greeting is an employee's, as the vendor's sender_type says, though its id is `wo…`.
      sender: { role: 'AGENT', externalId: 'woD2JCDwAAmWSuw2xAxWsV1Nmihz5Kdx' },
      qwChatRecordId: '21904336554441465850_1689651309653_external',
      receiverIds: ['woD2JCDwAArHdkBUH9uyILlQs1RTyo9q'],
      recalledAt: '2023-07-18T03:35:40.643Z',
      action: 'action',
      sticker: null,
      complianceFlags: [
        { ruleId: '4dddedd4-c5e7-436f-be4f-d58adc283a3b', ruleName: '过度承诺', keywords: ['保证', '一定'] },
      ],
      content: { __typename: 'TextContent', text: '您好,请问您有什么需要咨询的' },
    });

    // Found again by its node id.
    const again = await h.query<{ node: Node }>(
      `query($id: ID!) { node(id: $id) { ... on Message { ${MESSAGE} } } }`,
      {
        id: node.id,
      },
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.node).toEqual(node);
    expect(again.data?.node.externalId).toBe(node.externalId);
  });
});

describe('the content union', () => {
  it('resolves every kind of sandbox-long to its member; media carries its expiry', async () => {
    const expected: Record<string, string[]> = {
      TEXT: ['TextContent'],
      IMAGE: ['ImageContent'],
      VIDEO: ['VideoContent'],
      AUDIO: ['AudioContent'],
      FILE: ['FileContent'],
      STICKER: ['StickerContent'],
      LOCATION: ['LocationContent'],
      LINK: ['LinkContent', 'MyscrmSharedDocument'],
      CARD: ['MyscrmMiniProgram', 'MyscrmRedPacket', 'MyscrmContactCard'],
      SYSTEM: ['MyscrmConsent'],
      UNSUPPORTED: ['UnsupportedContent'],
    };
    const before = Date.now();
    for (const [kind, typenames] of Object.entries(expected)) {
      const nodes = (await page(MYSCRM_LONG_CHAT, { first: 100, filter: { kinds: [kind] } })).edges.map(
        (edge) => edge.node,
      );
      expect(new Set(nodes.map((node) => node.content.__typename))).toEqual(new Set(typenames));
      for (const node of nodes) {
        expect(node.kind).toBe(kind);
        if ('expiresAt' in node.content) {
          const expiresAt = Date.parse(String(node.content.expiresAt));
          expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
          expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
        }
      }
      if (kind === 'UNSUPPORTED') {
        const vendorTypes = new Set(nodes.map((node) => node.content.vendorType));
        expect([...vendorTypes].every((type) => !['text', 'image', 'link'].includes(String(type)))).toBe(
          true,
        );
        const first = nodes[0] as Node;
        expect(first.content.raw).toEqual(LONG_RECORDS.find((r) => r.chat_record_id === first.externalId));
      }
    }
  });
});

describe('vendor errors', () => {
  it('a rejected credential is VENDOR_AUTH_FAILED, another errcode VENDOR_ERROR; nothing secret shown', async () => {
    const emulator = await startEmulator(
      myscrmEmulator({
        chats: new Map([[MYSCRM_SAMPLE_CHAT, myscrmSampleRecords()]]),
        appId: 'app',
        auth: { header: 'authorization', value: 'right-token' },
      }),
    );
    const config = (name: string, appId: string, token: string): MyscrmSourceConfig => ({
      vendor: 'MYSCRM',
      name,
      baseUrl: emulator.baseUrl,
      appId,
      auth: { header: 'Authorization', token },
      pageSize: 20,
    });
    const broken = await startHarness({
      vendors: [],
      sources: [config('bad-token', 'app', 'not-the-token'), config('bad-app', 'other', 'right-token')],
    });
    const first = (source: string) =>
      broken.query(PAGE, {
        id: encodeNodeId({ kind: 'Conversation', source, conversation: MYSCRM_SAMPLE_CHAT }),
        first: 5,
      });
    try {
      const auth = await first('bad-token');
      expect(auth.errors?.[0]?.extensions).toEqual({
        code: 'VENDOR_AUTH_FAILED',
        source: 'bad-token',
        vendorCode: 40001,
      });
      expect(JSON.stringify(auth)).not.toContain('not-the-token');
      const app = await first('bad-app');
      expect(app.errors?.[0]?.extensions).toEqual({
        code: 'VENDOR_ERROR',
        source: 'bad-app',
        vendorCode: 40013,
      });
      expect(JSON.stringify(app)).not.toContain('right-token');
    } finally {
      await broken.close();
      await emulator.close();
    }
  });
});

describe('the source', () => {
  it('tells clients what it pushes down', async () => {
    const result = await h.query(`{ source(name: "myscrm") { vendor capabilities {
      olderPaging newerPaging vendorMaxPageSize timeRangeFilter senderRoleFilter kindFilter textSearch } } }`);
    expect(result.data).toEqual({
      source: {
        vendor: 'MYSCRM',
        capabilities: {
          olderPaging: 'NATIVE',
          newerPaging: 'NATIVE',
          vendorMaxPageSize: 100,
          timeRangeFilter: 'VENDOR',
          senderRoleFilter: 'VENDOR',
          kindFilter: 'VENDOR',
          textSearch: 'VENDOR',
        },
      },
    });
  });
});
