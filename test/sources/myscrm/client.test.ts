import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatgraphError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { HttpClient } from '../../../src/sources/http.js';
import { type MyscrmAuth, myscrmAuthHeaders } from '../../../src/sources/myscrm/auth.js';
import { MyscrmClient, type MyscrmPullPage } from '../../../src/sources/myscrm/client.js';
import {
  MYSCRM_EMPLOYEES,
  MYSCRM_LONG_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmEmulator } from '../../../src/sources/myscrm/sandbox/emulator.js';
import type { MyscrmPullQuery } from '../../../src/sources/myscrm/wire.js';

const APP_ID = 'app-1';
const AUTH: MyscrmAuth = { header: 'X-Token', scheme: 'Bearer', token: 'client-test-token' };
const chats = myscrmSandboxChats();
const LONG = chats.get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];

/** A chat built to have ties: three records in one ms between two others. */
const TIES: MyscrmWireRecord[] = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({
  chat_record_id: id,
  sender_id: index % 2 === 0 ? 'zhangwei' : 'woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  send_time: 1_769_000_000_000 + ([1_000, 2_000, 2_000, 2_000, 3_000][index] as number),
  type: 'text',
  text: { content: `message ${id}` },
}));
chats.set('ties', TIES);

let emulator: RunningEmulator;
let agent: Agent;

const clientWith = (auth: MyscrmAuth) =>
  new MyscrmClient(
    'scrm',
    new HttpClient({ source: 'scrm', baseUrl: emulator.baseUrl, dispatcher: agent, logger: silentLogger() }),
    auth,
  );

beforeAll(async () => {
  emulator = await startEmulator(
    myscrmEmulator({ chats, appId: APP_ID, auth: { header: 'x-token', value: 'Bearer client-test-token' } }),
  );
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
  await emulator.close();
});

const query = (extra: Partial<MyscrmPullQuery> = {}): MyscrmPullQuery => ({
  app_id: APP_ID,
  chat_id: MYSCRM_LONG_CHAT,
  page_size: 100,
  asc: false,
  cursor: '',
  ...extra,
});

/** Every record of a query, following `next_cursor`. */
async function pullAll(extra: Partial<MyscrmPullQuery>): Promise<string[]> {
  const client = clientWith(AUTH);
  const ids: string[] = [];
  let cursor = '';
  for (;;) {
    const page: MyscrmPullPage = await client.pullChatRecords(query({ ...extra, cursor }));
    ids.push(...page.records.map(({ record }) => record.chat_record_id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

const newestFirst = (records: MyscrmWireRecord[]) => [...records].reverse().map((r) => r.chat_record_id);

async function rejection(promise: Promise<unknown>): Promise<ChatgraphError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ChatgraphError);
  return error as ChatgraphError;
}

describe('myscrm client against the emulator', () => {
  it('sends the configured credential header', () => {
    expect(myscrmAuthHeaders(AUTH)).toEqual({ 'x-token': 'Bearer client-test-token' });
    expect(myscrmAuthHeaders({ header: 'Authorization', token: 't' })).toEqual({ authorization: 't' });
  });

  it('reads the sample chat: the sample record verbatim', async () => {
    const page = await clientWith(AUTH).pullChatRecords(query({ chat_id: 'sandbox-sample' }));
    expect(page.nextCursor).toBeNull();
    expect(page.records.map(({ raw }) => raw)).toEqual(chats.get('sandbox-sample'));
    expect(page.records[0]?.record.type).toBe('text');
  });

  it('a wrong or missing credential is VENDOR_AUTH_FAILED, without the credential in the error', async () => {
    for (const auth of [
      { ...AUTH, token: 'wrong-secret-value' },
      { ...AUTH, header: 'Authorization' },
      { ...AUTH, scheme: undefined },
    ]) {
      const error = await rejection(clientWith(auth).pullChatRecords(query()));
      expect(error.code).toBe('VENDOR_AUTH_FAILED');
      expect(error.details).toEqual({ source: 'scrm', vendorCode: 40001 });
      expect(JSON.stringify([error.message, error.details])).not.toContain('wrong-secret-value');
      expect(JSON.stringify([error.message, error.details])).not.toContain('client-test-token');
    }
  });

  it('other errcodes are VENDOR_ERROR with the vendor code', async () => {
    const client = clientWith(AUTH);
    const cases: Array<[Partial<MyscrmPullQuery>, number]> = [
      [{ app_id: 'other-app' }, 40013],
      [{ page_size: 101 }, 40058],
      [{ page_size: 0 }, 40058],
      [{ start_time: -5 }, 40058],
      [{ chat_id: '' }, 40058],
    ];
    for (const [extra, vendorCode] of cases) {
      const error = await rejection(client.pullChatRecords(query(extra)));
      expect(error.code).toBe('VENDOR_ERROR');
      expect(error.details).toEqual({ source: 'scrm', vendorCode });
    }
  });

  it('rejects a tampered cursor, and a cursor replayed on another query', async () => {
    const client = clientWith(AUTH);
    const first = await client.pullChatRecords(query({ page_size: 5 }));
    const cursor = first.nextCursor as string;
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    const [payload, signature] = cursor.split('.') as [string, string];
    const forged = `${Buffer.from('500').toString('base64url')}.${signature}`;
    const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const bad of [forged, flipped, 'garbage', `${payload}.`]) {
      const error = await rejection(client.pullChatRecords(query({ page_size: 5, cursor: bad })));
      expect(error.details.vendorCode).toBe(40059);
    }
    for (const other of [
      { asc: true },
      { keyword: 'refund' },
      { type: 'text' },
      { sender_type: 1 as const },
    ]) {
      const error = await rejection(client.pullChatRecords(query({ page_size: 5, cursor, ...other })));
      expect(error.details.vendorCode).toBe(40059);
    }
    // The page size is not part of the query: a walk may change it.
    const next = await client.pullChatRecords(query({ page_size: 7, cursor }));
    expect(next.records.map(({ record }) => record.chat_record_id)).toEqual(newestFirst(LONG).slice(5, 12));
  });

  it('lists newest first by default and oldest first with asc, exactly reversed, ties included', async () => {
    const expected = newestFirst(LONG);
    expect(await pullAll({ page_size: 100 })).toEqual(expected);
    expect(await pullAll({ page_size: 100, asc: true })).toEqual([...expected].reverse());
    expect(await pullAll({ chat_id: 'ties', page_size: 1 })).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await pullAll({ chat_id: 'ties', page_size: 2, asc: true })).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('searches keywords case-insensitively in the text of text messages', async () => {
    const ids = await pullAll({ keyword: 'ReFuNd' });
    const expected = newestFirst(
      LONG.filter(
        (record) =>
          record.type === 'text' &&
          (record.text as { content: string }).content.toLowerCase().includes('refund'),
      ),
    );
    expect(ids).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
  });

  it('filters by type, sender_type (who the vendor knows as an employee) and an inclusive time range', async () => {
    expect(await pullAll({ type: 'redpacket' })).toEqual(
      newestFirst(LONG.filter((r) => r.type === 'redpacket')),
    );
    expect(await pullAll({ type: 'no-such-type' })).toEqual([]);
    const employee = (r: MyscrmWireRecord) => MYSCRM_EMPLOYEES.includes(r.sender_id);
    expect(await pullAll({ sender_type: 2 })).toEqual(newestFirst(LONG.filter((r) => !employee(r))));
    expect(await pullAll({ sender_type: 1 })).toEqual(newestFirst(LONG.filter(employee)));
    // Employees and external contacts have ids of one form: only the vendor can tell them apart.
    expect(new Set(LONG.map((r) => r.sender_id.slice(0, 10)))).toEqual(new Set(['woD2JCDwAA', 'wmD2JCDwAA']));
    const from = (LONG[1000] as MyscrmWireRecord).send_time;
    const to = (LONG[1200] as MyscrmWireRecord).send_time;
    expect(await pullAll({ start_time: from, end_time: to, asc: true })).toEqual(
      LONG.filter((r) => r.send_time >= from && r.send_time <= to).map((r) => r.chat_record_id),
    );
    expect(
      await pullAll({ chat_id: 'ties', start_time: 1_769_000_002_000, end_time: 1_769_000_002_000 }),
    ).toEqual(['d', 'c', 'b']);
  });

  it('applies thumb_option to image thumbnails', async () => {
    const page = await clientWith(AUTH).pullChatRecords(
      query({ type: 'image', page_size: 1, thumb_option: 'image/resize,w_106' }),
    );
    const image = page.records[0]?.record.image as { oss_url: string; thumb_url: string };
    expect(image.thumb_url).toBe(`${image.oss_url}?x-oss-process=image%2Fresize%2Cw_106`);
  });

  it('an unknown chat is an empty list', async () => {
    expect(await clientWith(AUTH).pullChatRecords(query({ chat_id: 'nobody' }))).toEqual({
      records: [],
      nextCursor: null,
    });
  });
});
