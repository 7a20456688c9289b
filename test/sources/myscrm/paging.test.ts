import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../../src/ids.js';
import type { MessageFilter } from '../../../src/model/index.js';
import { matchesFilter } from '../../../src/resolvers/filter.js';
import { normalizeMyscrmMessage } from '../../../src/sources/myscrm/normalize.js';
import {
  MYSCRM_LONG_CHAT,
  MYSCRM_SAMPLE_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
  myscrmSenderType,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmSearchText } from '../../../src/sources/myscrm/sandbox/emulator.js';
import { MyscrmChatRecord } from '../../../src/sources/myscrm/wire.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { checkPagingLaws, fetchPage, walkForward } from '../../helpers/paging.js';

const chats = myscrmSandboxChats();
const conversationId = (chat: string) =>
  encodeNodeId({ kind: 'Conversation', source: 'myscrm', conversation: chat });

/**
 * A chat's ids newest first, keeping those that match `filter` as the vendor would judge them: roles
 * are who the vendor knows as employees (`sender_type`), the text search is its keyword search.
 */
function expectedIds(chat: string, filter: MessageFilter = {}): string[] {
  const { text, ...rest } = filter;
  return (chats.get(chat) as MyscrmWireRecord[])
    .filter(
      (record) =>
        text === undefined || myscrmSearchText(record, 'text')?.toLowerCase().includes(text.toLowerCase()),
    )
    .map((record) => {
      const message = normalizeMyscrmMessage(MyscrmChatRecord.parse(record), record, {
        source: 'myscrm',
        conversation: chat,
        fetchedAt: 0,
        warn: () => {},
      });
      const role = myscrmSenderType(record.sender_id) === 1 ? 'AGENT' : 'CUSTOMER';
      return { ...message, sender: { ...message.sender, role } } as typeof message;
    })
    .filter((message) => matchesFilter(message, rest))
    .reverse()
    .map((message) => message.externalId);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ['MYSCRM'] });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.calls('MYSCRM').reset();
});

describe('myscrm paging laws', () => {
  it('sandbox-long, no filter, both directions', async () => {
    const expected = expectedIds(MYSCRM_LONG_CHAT);
    expect(expected.length).toBeGreaterThanOrEqual(5_000);
    await checkPagingLaws(h, conversationId(MYSCRM_LONG_CHAT), {
      expected,
      minSize: 25,
      maxSize: 100,
      numRuns: 5,
    });
  });

  it('sandbox-long with a text filter (the vendor keyword search), both directions', async () => {
    const expected = expectedIds(MYSCRM_LONG_CHAT, { text: 'refund' });
    expect(expected.length).toBeGreaterThan(300);
    await checkPagingLaws(h, conversationId(MYSCRM_LONG_CHAT), {
      expected,
      filter: { text: 'ReFund' },
      minSize: 7,
      maxSize: 60,
      numRuns: 8,
    });
  });

  it('sandbox-long with roles, multi-type kinds and a time range', async () => {
    const records = chats.get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];
    const since = (records[1_000] as MyscrmWireRecord).send_time;
    const until = (records[4_000] as MyscrmWireRecord).send_time;
    const filter: MessageFilter = { senderRoles: ['CUSTOMER'], kinds: ['CARD', 'LINK', 'UNSUPPORTED'] };
    await checkPagingLaws(h, conversationId(MYSCRM_LONG_CHAT), {
      expected: expectedIds(MYSCRM_LONG_CHAT, { ...filter, since, until }),
      filter: { ...filter, since: new Date(since).toISOString(), until: new Date(until).toISOString() },
      minSize: 10,
      maxSize: 80,
      numRuns: 2,
    });
  });

  // The empty chat: the shared vendor suite (suite.test.ts).
  it('the sample chat', async () => {
    await checkPagingLaws(h, conversationId(MYSCRM_SAMPLE_CHAT), {
      expected: ['3a0c793e-042b-228c-699d-7a5d84b41611'],
      numRuns: 3,
    });
  });
});

describe('vendor calls', () => {
  it('one vendor call per page in either direction, resumed pages included', async () => {
    const id = conversationId(MYSCRM_LONG_CHAT);
    const calls = h.calls('MYSCRM');
    const expected = expectedIds(MYSCRM_LONG_CHAT);
    // The chat's senders, once known (a call or two the first time the chat is read), stay known.
    await walkForward(h, id, { sizes: [100] });
    calls.reset();

    const first = await fetchPage(h, id, { first: 20 });
    expect(first.edges.map((edge) => edge.node.externalId)).toEqual(expected.slice(0, 20));
    expect(calls.count).toBe(1);
    expect(calls.recent[0]?.path).toContain('asc=false');
    expect(calls.recent[0]?.path).toContain('page_size=21');

    const last = await fetchPage(h, id, { last: 20 });
    expect(last.edges.map((edge) => edge.node.externalId)).toEqual(expected.slice(-20));
    expect(calls.count).toBe(2);
    expect(calls.recent[1]?.path).toContain('asc=true');

    // Resume from an edge whose millisecond no other record shares: no ties to pass over.
    const records = chats.get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];
    const lonely = first.edges.findIndex((edge) => {
      const t = records.find((r) => r.chat_record_id === edge.node.externalId)?.send_time;
      return records.filter((r) => r.send_time === t).length === 1;
    });
    const cursor = first.edges[lonely]?.cursor as string;
    calls.reset();
    const older = await fetchPage(h, id, { first: 30, after: cursor });
    expect(older.edges.map((edge) => edge.node.externalId)).toEqual(expected.slice(lonely + 1, lonely + 31));
    expect(calls.count).toBe(1);

    calls.reset();
    const search = await fetchPage(h, id, { first: 10, filter: { text: 'refund' } });
    expect(search.edges).toHaveLength(10);
    expect(calls.count).toBe(1);
    expect(calls.recent[0]?.path).toContain('keyword=refund');
  });
});
