/**
 * myscrm's chat listing (`group-chat/list-by-member`): the lenient wire schema (ids kept exact,
 * `created_at` in seconds, `last_chat_at` in ms), the client and source against the emulator, and
 * the emulator's paging: every chat of a member once, most recent first, in as many calls as pages.
 */
import fc from 'fast-check';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatgraphError, ERROR_CODES } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { HttpClient } from '../../../src/sources/http.js';
import { MyscrmClient } from '../../../src/sources/myscrm/client.js';
import { MYSCRM_EMPLOYEES } from '../../../src/sources/myscrm/sandbox/data.js';
import {
  MYSCRM_LIST_PATH,
  type MyscrmGroupChat,
  myscrmEmulator,
} from '../../../src/sources/myscrm/sandbox/emulator.js';
import { MyscrmSource } from '../../../src/sources/myscrm/source.js';
import { MyscrmListedChat } from '../../../src/sources/myscrm/wire.js';
import type { ListMember } from '../../../src/sources/source.js';

const APP_ID = 'app-1';
const TOKEN = 'listing-test-token';
const EMPLOYEE = MYSCRM_EMPLOYEES[0] as string;
const OTHER_EMPLOYEE = MYSCRM_EMPLOYEES[1] as string;
const CUSTOMER = 'wmD2JCDwAAlistingTestCustomer0001';
const T0 = Date.UTC(2026, 0, 12);

/** Seven chats with `EMPLOYEE` (last activity T0 + i hours, i = 0..6), one without. */
const groupChats = new Map<string, MyscrmGroupChat>();
const records = new Map<
  string,
  Array<{ chat_record_id: string; send_time: number; type: string; sender_id: string }>
>();
for (let i = 0; i < 7; i++) {
  const chatId = `chat-${i}`;
  groupChats.set(chatId, {
    name: `群 ${i}`,
    createdAt: T0 - 86_400_000 + 1_234,
    avatarUrl: null,
    members: [EMPLOYEE],
  });
  // chat-3 has no records: its created_at (to the second) is its last activity.
  records.set(
    chatId,
    i === 3
      ? []
      : [{ chat_record_id: `r${i}`, send_time: T0 + i * 3_600_000, type: 'text', sender_id: CUSTOMER }],
  );
}
groupChats.set('chat-other', { name: '别的群', createdAt: T0, avatarUrl: null, members: [OTHER_EMPLOYEE] });
records.set('chat-other', []);
/** `EMPLOYEE`'s chats, most recent first. */
const EXPECTED = ['chat-6', 'chat-5', 'chat-4', 'chat-2', 'chat-1', 'chat-0', 'chat-3'];

let emulator: RunningEmulator;
let agent: Agent;

beforeAll(async () => {
  emulator = await startEmulator(
    myscrmEmulator({
      chats: records,
      groupChats,
      listPageSize: 3,
      appId: APP_ID,
      auth: { header: 'authorization', value: `Bearer ${TOKEN}` },
    }),
  );
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
  await emulator.close();
});

const client = () =>
  new MyscrmClient(
    'scrm',
    new HttpClient({ source: 'scrm', baseUrl: emulator.baseUrl, dispatcher: agent, logger: silentLogger() }),
    { header: 'Authorization', scheme: 'Bearer', token: TOKEN },
  );

const source = () =>
  new MyscrmSource(
    {
      vendor: 'MYSCRM',
      name: 'scrm',
      baseUrl: emulator.baseUrl,
      appId: APP_ID,
      auth: { header: 'Authorization', scheme: 'Bearer', token: TOKEN },
      pageSize: 50,
    },
    { logger: silentLogger(), dispatcher: agent },
  );

async function listAll(member: ListMember): Promise<string[]> {
  const scrm = source();
  const ids: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await scrm.listConversations(member, cursor);
    ids.push(...page.conversations.map((c) => c.externalId));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
}

const get = async (params: Record<string, string>) =>
  (await (
    await fetch(`${emulator.baseUrl}${MYSCRM_LIST_PATH}?${new URLSearchParams(params)}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
  ).json()) as { errcode: number; list: unknown[]; next_cursor: string };

describe('myscrm listing wire schema', () => {
  it('reads created_at as seconds and last_chat_at as ms, from strings or numbers', () => {
    expect(
      MyscrmListedChat.parse({
        chat_id: 'wrAAA',
        name: '售楼处',
        created_at: '1768176000',
        last_chat_at: '1768262400123',
        avatar_url: 'https://oss.example/a.png',
      }),
    ).toEqual({
      chat_id: 'wrAAA',
      name: '售楼处',
      created_at: 1_768_176_000_000,
      last_chat_at: 1_768_262_400_123,
      avatar_url: 'https://oss.example/a.png',
    });
    expect(
      MyscrmListedChat.parse({ chat_id: 'x', created_at: 1_768_176_000, last_chat_at: 5 }),
    ).toMatchObject({
      created_at: 1_768_176_000_000,
      last_chat_at: 5,
    });
  });

  it('is lenient about everything but chat_id: absent, empty or odd fields become null', () => {
    expect(
      MyscrmListedChat.parse({ chat_id: 'x', name: 7, created_at: '', last_chat_at: 'soon', avatar_url: {} }),
    ).toEqual({ chat_id: 'x', name: null, created_at: null, last_chat_at: null, avatar_url: null });
    expect(MyscrmListedChat.parse({ chat_id: 'x' })).toEqual({
      chat_id: 'x',
      name: null,
      created_at: null,
      last_chat_at: null,
      avatar_url: null,
    });
    expect(MyscrmListedChat.safeParse({ name: 'no id' }).success).toBe(false);
    expect(MyscrmListedChat.safeParse({ chat_id: '' }).success).toBe(false);
  });

  it('keeps ids exact: a digit string as sent, a number only while a double holds it', () => {
    expect(MyscrmListedChat.parse({ chat_id: '4370405345218887686' }).chat_id).toBe('4370405345218887686');
    expect(MyscrmListedChat.parse({ chat_id: 9_007_199_254_740_991 }).chat_id).toBe('9007199254740991');
    // Sent as a JSON number, 4370405345218887686 has already become 4370405345218887700.
    const lossy = JSON.parse('{"chat_id": 4370405345218887686}') as unknown;
    expect(MyscrmListedChat.safeParse(lossy).success).toBe(false);
  });
});

describe('myscrm listing through the client and source', () => {
  it("lists a member's chats most recent first, each once, one call per page", async () => {
    const before = emulator.calls.count;
    expect(await listAll({ id: EMPLOYEE, type: 'employee' })).toEqual(EXPECTED);
    expect(emulator.calls.count - before).toBe(Math.ceil(EXPECTED.length / 3));
    expect(await listAll({ id: OTHER_EMPLOYEE, type: 'employee' })).toEqual(['chat-other']);
    // Members of a chat include whoever sent in it; under its own member_type only.
    expect(await listAll({ id: CUSTOMER, type: 'external' })).toEqual(
      EXPECTED.filter((id) => id !== 'chat-3'),
    );
    expect(await listAll({ id: CUSTOMER, type: 'employee' })).toEqual([]);
  });

  it('maps each chat field by field, times in ms', async () => {
    const page = await source().listConversations({ id: EMPLOYEE, type: 'employee' }, null);
    expect(page.conversations[0]).toEqual({
      externalId: 'chat-6',
      title: '群 6',
      createdAt: T0 - 86_400_000 + 1_000,
      lastActivityAt: T0 + 6 * 3_600_000,
      avatarUrl: null,
    });
    const raw = await client().listChatsByMember({
      app_id: APP_ID,
      member_id: EMPLOYEE,
      member_type: 1,
      cursor: '',
    });
    expect(raw.chats.map((c) => c.chat_id)).toEqual(EXPECTED.slice(0, 3));
  });

  it('filters by name and refuses a bad credential with a typed error', async () => {
    const page = await client().listChatsByMember({
      app_id: APP_ID,
      member_id: EMPLOYEE,
      member_type: 1,
      name: '群 4',
      cursor: '',
    });
    expect(page).toEqual({
      chats: [
        {
          chat_id: 'chat-4',
          name: '群 4',
          created_at: T0 - 86_400_000 + 1_000,
          last_chat_at: T0 + 4 * 3_600_000,
          avatar_url: null,
        },
      ],
      nextCursor: null,
    });
    const bad = new MyscrmClient(
      'scrm',
      new HttpClient({
        source: 'scrm',
        baseUrl: emulator.baseUrl,
        dispatcher: agent,
        logger: silentLogger(),
      }),
      { header: 'Authorization', token: 'wrong' },
    );
    const error = await bad
      .listChatsByMember({ app_id: APP_ID, member_id: EMPLOYEE, member_type: 1, cursor: '' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChatgraphError);
    expect((error as ChatgraphError).code).toBe(ERROR_CODES.VENDOR_AUTH_FAILED);
    expect((error as ChatgraphError).message).not.toContain('wrong');
  });
});

describe('myscrm emulator listing', () => {
  it('is strict on the documented parameters', async () => {
    const base = { app_id: APP_ID, member_id: EMPLOYEE, member_type: '1' };
    expect((await get(base)).errcode).toBe(0);
    expect((await get({ ...base, app_id: 'other' })).errcode).toBe(40013);
    expect((await get({ app_id: APP_ID, member_type: '1' })).errcode).toBe(40058);
    expect((await get({ app_id: APP_ID, member_id: EMPLOYEE })).errcode).toBe(40058);
    expect((await get({ ...base, member_type: '0' })).errcode).toBe(40058);
    expect((await get({ ...base, cursor: 'forged' })).errcode).toBe(40059);
  });

  it("a cursor only continues its own member's listing", async () => {
    const first = await get({ app_id: APP_ID, member_id: EMPLOYEE, member_type: '1' });
    expect(first.list).toHaveLength(3);
    const next = await get({
      app_id: APP_ID,
      member_id: EMPLOYEE,
      member_type: '1',
      cursor: first.next_cursor,
    });
    expect(next.errcode).toBe(0);
    expect((next.list as Array<{ chat_id: string }>).map((c) => c.chat_id)).toEqual(EXPECTED.slice(3, 6));
    const other = await get({
      app_id: APP_ID,
      member_id: OTHER_EMPLOYEE,
      member_type: '1',
      cursor: first.next_cursor,
    });
    expect(other.errcode).toBe(40059);
  });
});

describe('myscrm emulator listing paging (property)', () => {
  it('every chat of a member once, most recent first (ties by id), ceil(n / page) calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (hours, pageSize) => {
          const chats = new Map(
            hours.map((hour, i) => [
              `c${i}`,
              [
                {
                  chat_record_id: `r${i}`,
                  send_time: T0 + hour * 3_600_000,
                  type: 'text',
                  sender_id: CUSTOMER,
                },
              ],
            ]),
          );
          const groups = new Map(
            hours.map((_, i) => [
              `c${i}`,
              { name: `g${i}`, createdAt: T0, avatarUrl: null, members: [EMPLOYEE] },
            ]),
          );
          const server = await startEmulator(
            myscrmEmulator({
              chats,
              groupChats: groups,
              listPageSize: pageSize,
              appId: APP_ID,
              auth: { header: 'authorization', value: `Bearer ${TOKEN}` },
            }),
          );
          try {
            const client = new MyscrmClient(
              'scrm',
              new HttpClient({
                source: 'scrm',
                baseUrl: server.baseUrl,
                dispatcher: agent,
                logger: silentLogger(),
              }),
              { header: 'Authorization', scheme: 'Bearer', token: TOKEN },
            );
            const seen: string[] = [];
            let cursor = '';
            for (;;) {
              const page = await client.listChatsByMember({
                app_id: APP_ID,
                member_id: EMPLOYEE,
                member_type: 1,
                cursor,
              });
              seen.push(...page.chats.map((c) => c.chat_id));
              if (page.nextCursor === null) break;
              cursor = page.nextCursor;
            }
            const expected = hours
              .map((hour, i) => ({ id: `c${i}`, hour }))
              .sort((a, b) => b.hour - a.hour || (a.id < b.id ? -1 : 1))
              .map((c) => c.id);
            expect(seen).toEqual(expected);
            expect(server.calls.count).toBe(Math.max(1, Math.ceil(hours.length / pageSize)));
          } finally {
            await server.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
