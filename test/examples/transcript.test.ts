/** The example client against the sandbox, in-process through `yoga.fetch`. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClient, fetchOlderPage, type Request } from '../../examples/client/src/client.js';
import { ConversationRefDocument, SourcesDocument } from '../../examples/client/src/gql/graphql.js';
import { formatTranscript, readTranscript } from '../../examples/client/src/transcript.js';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let harness: Harness;
let request: Request;

beforeAll(async () => {
  harness = await startHarness();
  request = createClient({
    url: 'http://chatgraph.test/graphql',
    fetch: (url, init) => harness.yoga.fetch(url, init),
  });
});

afterAll(async () => {
  await harness?.close();
});

const WECHAT_SAMPLE = encodeNodeId({
  kind: 'Conversation',
  source: 'wechat-store',
  conversation: '4370405345218887686',
});
const AIRUDDER_SAMPLE = encodeNodeId({
  kind: 'Conversation',
  source: 'airudder',
  conversation: '7738ff156ad12075578af25c84908567',
});

test('lists the sources and resolves a conversation by external id', async () => {
  expect(await request(SourcesDocument)).toEqual({
    __typename: 'Query',
    sources: [
      { __typename: 'Source', name: 'wechat-store', vendor: 'WECHAT_STORE' },
      { __typename: 'Source', name: 'airudder', vendor: 'AIRUDDER' },
      { __typename: 'Source', name: 'weizhipin', vendor: 'WEIZHIPIN' },
      { __typename: 'Source', name: 'myscrm', vendor: 'MYSCRM' },
    ],
  });
  const ref = await request(ConversationRefDocument, {
    source: 'wechat-store',
    externalId: '4370405345218887686',
  });
  expect(ref.source?.conversation?.id).toBe(WECHAT_SAMPLE);
});

test('prints the WeChat Shop sample room, oldest first, paging until its beginning', async () => {
  const calls = harness.calls('WECHAT_STORE');
  const transcript = await readTranscript(request, WECHAT_SAMPLE, { limit: 100, pageSize: 8 });
  expect(transcript.pages).toBe(4);
  expect(transcript.complete).toBe(true);
  expect(calls.count).toBeGreaterThan(0);
  const lines = formatTranscript(transcript);
  process.stdout.write(`${lines.join('\n')}\n`);
  expect(lines).toHaveLength(31);
  expect(lines.slice(0, 4)).toEqual([
    'WECHAT_STORE wechat-store / 4370405345218887686: 30 messages',
    '2026-02-03 03:10:01  — 你已超过90秒未回复该会话，请及时处理。 —',
    '2026-02-03 03:10:34  妮妮🍀 [customer]: 在什么路上？',
    '2026-02-03 03:11:32  — 你已超过3分钟未回复该会话，请及时处理。 —',
  ]);
  expect(lines.slice(-3)).toEqual([
    '2026-02-03 05:50:27  胃不疼 [agent]: 18016',
    '2026-02-03 05:50:32  胃不疼 [agent]: 051683',
    '2026-02-03 06:00:33  — 用户超时未回，会话已结束，两天内仍可再次联系 —',
  ]);
});

test('stops at the limit and says the transcript is partial', async () => {
  const transcript = await readTranscript(request, WECHAT_SAMPLE, { limit: 10, pageSize: 8 });
  expect(transcript.pages).toBe(2);
  expect(transcript.complete).toBe(false);
  const lines = formatTranscript(transcript);
  expect(lines[0]).toBe('WECHAT_STORE wechat-store / 4370405345218887686: 10 messages (most recent only)');
  expect(lines.at(-1)).toBe('2026-02-03 06:00:33  — 用户超时未回，会话已结束，两天内仍可再次联系 —');
});

test("reads AIRUDDER's prompts, answers, files and templates through the content fragments", async () => {
  const lines = formatTranscript(await readTranscript(request, AIRUDDER_SAMPLE, { limit: 50, pageSize: 50 }));
  expect(lines).toHaveLength(19);
  expect(lines).toContain('2024-05-29 06:46:25  bot [bot]: [file welcome_to_Earth.pdf]');
  expect(lines).toContain('2024-05-29 06:46:26  bot [bot]: 请选择您的性别(button)👉👉👉 [男] [女] [其他]');
  expect(lines).toContain(
    '2024-05-29 06:46:43  bot [bot]: 请选择你要咨询的业务类(本次通过list展示) choices: 物流查询, 网点查询, 大件快递, 小件快递',
  );
  expect(lines).toContain(
    '2024-05-29 06:46:43  customer [customer]: ↪ “一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务” ok',
  );
  expect(lines).toContain(
    '2024-11-04 05:54:50  bot [bot]: [line template carousel] {NO.1: 物流查询} {NO.2: 网点查询} {NO.3: 大件快递} {NO.4: 小件快递}',
  );
});

test('every message of every long sandbox conversation becomes display blocks', async () => {
  for (const conversation of harness.sandbox.conversations.filter((c) =>
    c.externalId.endsWith('sandbox-long'),
  )) {
    const id = encodeNodeId({
      kind: 'Conversation',
      source: conversation.source,
      conversation: conversation.externalId,
    });
    const transcript = await readTranscript(request, id, { limit: 200, pageSize: 100 });
    expect(transcript.messages).toHaveLength(200);
    for (const message of transcript.messages) {
      expect(message.blocks.length, `${conversation.source} ${message.id}`).toBeGreaterThan(0);
    }
  }
});

test('an unknown conversation id is an error naming the code', async () => {
  await expect(fetchOlderPage(request, 'not-an-id', { first: 1 })).rejects.toThrow(/^INVALID_ID: /);
});
