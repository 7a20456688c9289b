import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretFrom } from '../../../src/config/secret.js';
import { silentLogger } from '../../../src/logger.js';
import type { ImageContent, MessageFilter, Position } from '../../../src/model/index.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { myscrm } from '../../../src/sources/myscrm/index.js';
import { normalizeMyscrmMessage } from '../../../src/sources/myscrm/normalize.js';
import {
  MYSCRM_LONG_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
  myscrmSenderType,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmEmulator } from '../../../src/sources/myscrm/sandbox/emulator.js';
import {
  type MyscrmPage,
  type MyscrmPageRequest,
  MyscrmSource,
  myscrmPushdown,
} from '../../../src/sources/myscrm/source.js';
import { MyscrmChatRecord } from '../../../src/sources/myscrm/wire.js';
import type { Direction, PageLoader } from '../../../src/sources/source.js';

const NOW = Date.UTC(2026, 2, 1, 8, 0, 0);
const chats = myscrmSandboxChats();
const LONG = chats.get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];
/** A time in ms: a record time below 1e11 would be read as seconds. */
const T = 1_769_000_000_000;
/** Three records in one millisecond between two others, as the vendor orders them (oldest first). */
const TIES: MyscrmWireRecord[] = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({
  chat_record_id: id,
  sender_id: 'zhangwei',
  send_time: T + ([1_000, 2_000, 2_000, 2_000, 3_000][index] as number),
  type: 'text',
  text: { content: `message ${id}` },
}));
chats.set('ties', TIES);

let emulator: RunningEmulator;
let source: MyscrmSource;

beforeAll(async () => {
  emulator = await startEmulator(
    myscrmEmulator({ chats, appId: 'app', auth: { header: 'authorization', value: 'Bearer t0ken-value' } }),
  );
  source = sourceWith(100);
});
afterAll(async () => {
  await source.close();
  await emulator.close();
});

function sourceWith(pageSize: number): MyscrmSource {
  return new MyscrmSource(
    {
      vendor: 'MYSCRM',
      name: 'scrm',
      baseUrl: emulator.baseUrl,
      appId: 'app',
      auth: { header: 'Authorization', scheme: 'Bearer', token: 't0ken-value' },
      pageSize,
    },
    { logger: silentLogger(), clock: () => NOW },
  );
}

/** A page loader without a cache, so that every vendor call is visible. */
function loader(
  of: MyscrmSource,
): PageLoader<MyscrmPageRequest, MyscrmPage> & { requests: MyscrmPageRequest[] } {
  const requests: MyscrmPageRequest[] = [];
  return {
    requests,
    load: (request) => {
      requests.push(request);
      return of.fetchPage(request);
    },
  };
}

/** A whole walk through `read`, as the engine would drive it (without its de-duplication). */
async function walk(
  of: MyscrmSource,
  conversation: string,
  direction: Direction,
  from: Position | null,
  filter: MessageFilter = {},
  limit = 100,
): Promise<string[]> {
  const pages = loader(of);
  const ids: string[] = [];
  let continuation: unknown;
  for (let reads = 0; reads < 10_000; reads++) {
    const result = await of.read(pages, { conversation, direction, from, limit, filter, continuation });
    ids.push(...result.messages.map((message) => message.externalId));
    if (result.continuation === null) return ids;
    continuation = result.continuation;
  }
  throw new Error('walk did not end');
}

describe('filter pushdown', () => {
  it('maps each filter part onto the vendor parameters', () => {
    const none = { startTime: null, endTime: null, type: null, senderType: null, keyword: null };
    expect(myscrmPushdown({})).toEqual({ ...none, roles: null, kinds: null });
    expect(myscrmPushdown({ since: 10, until: 20, text: 'refund' })).toEqual({
      ...none,
      startTime: 10,
      endTime: 19,
      keyword: 'refund',
      roles: null,
      kinds: null,
    });
    const roles = (senderRoles: MessageFilter['senderRoles']) => myscrmPushdown({ senderRoles })?.senderType;
    expect(roles(['AGENT'])).toBe(1);
    expect(roles(['AGENT', 'BOT', 'SYSTEM'])).toBe(1);
    expect(roles(['CUSTOMER'])).toBe(2);
    expect(roles(['AGENT', 'CUSTOMER'])).toBeNull();
    expect(roles(['CUSTOMER', 'UNKNOWN'])).toBeNull();
    expect(myscrmPushdown({ senderRoles: ['BOT', 'SYSTEM'] })).toBeNull();
    const kinds = (k: MessageFilter['kinds']) => myscrmPushdown({ kinds: k })?.type;
    expect(kinds(['TEXT'])).toBe('text');
    expect(kinds(['AUDIO'])).toBe('voice');
    expect(kinds(['STICKER', 'RICH_TEXT'])).toBe('emotion');
    expect(kinds(['CARD'])).toBeNull();
    expect(kinds(['LINK'])).toBeNull();
    expect(kinds(['TEXT', 'UNSUPPORTED'])).toBeNull();
    expect(myscrmPushdown({ kinds: ['RICH_TEXT', 'TEMPLATE'] })).toBeNull();
  });

  it('a filter nothing can match answers without a vendor call', async () => {
    const pages = loader(source);
    const result = await source.read(pages, {
      conversation: MYSCRM_LONG_CHAT,
      direction: 'older',
      from: null,
      limit: 20,
      filter: { senderRoles: ['BOT'] },
    });
    expect(result).toEqual({ messages: [], continuation: null });
    expect(pages.requests).toEqual([]);
  });

  it('roles and multi-type kinds are exact: pushed where they can be, checked on every page', async () => {
    const normalized = LONG.map((record) => ({
      ...normalizeMyscrmMessage(MyscrmChatRecord.parse(record), record, {
        source: 'scrm',
        conversation: MYSCRM_LONG_CHAT,
        fetchedAt: NOW,
        warn: () => {},
      }),
      // Who is who is the vendor's to say.
      role: myscrmSenderType(record.sender_id) === 1 ? 'AGENT' : 'CUSTOMER',
    }));
    const expect_ = (predicate: (m: (typeof normalized)[number]) => boolean) =>
      normalized
        .filter(predicate)
        .reverse()
        .map((m) => m.externalId);
    expect(await walk(source, MYSCRM_LONG_CHAT, 'older', null, { senderRoles: ['CUSTOMER'] })).toEqual(
      expect_((m) => m.role === 'CUSTOMER'),
    );
    expect(await walk(source, MYSCRM_LONG_CHAT, 'older', null, { kinds: ['CARD', 'SYSTEM'] })).toEqual(
      expect_((m) => m.kind === 'CARD' || m.kind === 'SYSTEM'),
    );
    const filter: MessageFilter = { kinds: ['TEXT'], senderRoles: ['AGENT'], text: '保证' };
    expect(await walk(source, MYSCRM_LONG_CHAT, 'newer', null, filter)).toEqual(
      expect_((m) => m.kind === 'TEXT' && m.role === 'AGENT' && (m.text ?? '').includes('保证')).reverse(),
    );
    // Roles the gateway checks page by page are the ones the vendor told, learned per chat.
    const mixed = await walk(source, MYSCRM_LONG_CHAT, 'older', null, { senderRoles: ['AGENT', 'UNKNOWN'] });
    expect(mixed).toEqual(expect_((m) => m.role === 'AGENT'));
  });
});

describe('resuming after a position', () => {
  it('passes over the records of the same millisecond up to the position, in both directions', async () => {
    for (const pageSize of [1, 2, 100]) {
      const small = sourceWith(pageSize);
      const at = (id: string) => ({ id, t: TIES.find((r) => r.chat_record_id === id)?.send_time as number });
      expect(await walk(small, 'ties', 'older', null)).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(await walk(small, 'ties', 'older', at('d'))).toEqual(['c', 'b', 'a']);
      expect(await walk(small, 'ties', 'older', at('c'))).toEqual(['b', 'a']);
      expect(await walk(small, 'ties', 'older', at('b'))).toEqual(['a']);
      expect(await walk(small, 'ties', 'older', at('e'))).toEqual(['d', 'c', 'b', 'a']);
      expect(await walk(small, 'ties', 'newer', null)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await walk(small, 'ties', 'newer', at('b'))).toEqual(['c', 'd', 'e']);
      expect(await walk(small, 'ties', 'newer', at('c'))).toEqual(['d', 'e']);
      expect(await walk(small, 'ties', 'newer', at('d'))).toEqual(['e']);
      expect(await walk(small, 'ties', 'newer', at('a'))).toEqual(['b', 'c', 'd', 'e']);
      // A position that is gone: its millisecond's records are shown rather than lost.
      expect(await walk(small, 'ties', 'older', { id: 'gone', t: T + 2_000 })).toEqual(['d', 'c', 'b', 'a']);
      expect(await walk(small, 'ties', 'newer', { id: 'gone', t: T + 2_000 })).toEqual(['b', 'c', 'd', 'e']);
      expect(await walk(small, 'ties', 'newer', { id: 'gone', t: T + 3_000 })).toEqual(['e']);
      await small.close();
    }
  });

  it('narrows the time range to the position and keeps the filter bounds', async () => {
    const pages = loader(source);
    await source.read(pages, {
      conversation: MYSCRM_LONG_CHAT,
      direction: 'older',
      from: { id: 'x', t: 5_000 },
      limit: 20,
      filter: { since: 1_000, until: 9_000 },
    });
    await source.read(pages, {
      conversation: MYSCRM_LONG_CHAT,
      direction: 'newer',
      from: { id: 'x', t: 5_000 },
      limit: 20,
      filter: { since: 1_000, until: 4_000 },
    });
    expect(pages.requests.map((r) => [r.asc, r.startTime, r.endTime, r.pageSize])).toEqual([
      // One more than asked for: the position itself comes back first.
      [false, 1_000, 5_000, 21],
      // The filter ends before the position: nothing after it, so no vendor call for the second read.
    ]);
  });

  it('finds a message again from its position, ties included', async () => {
    const pages = loader(source);
    const found = await source.find(pages, 'ties', { id: 'c', t: T + 2_000 });
    expect(found?.externalId).toBe('c');
    expect(await source.find(pages, 'ties', { id: 'c', t: T + 1_000 })).toBeNull();
    expect(pages.requests.map((r) => [r.startTime, r.endTime, r.asc, r.senderType])).toEqual([
      [T + 2_000, T + 2_000, false, null],
      // Who sent it, asked of the vendor: an employee? (not one), an external contact? (yes).
      [T + 2_000, T + 2_000, false, 1],
      [T + 2_000, T + 2_000, false, 2],
      [T + 1_000, T + 1_000, false, null],
    ]);
    expect(found?.sender.role).toBe('CUSTOMER');
  });
});

describe('media expiry', () => {
  it('every archived media address expires an hour after the request was sent', async () => {
    const pages = loader(source);
    const result = await source.read(pages, {
      conversation: MYSCRM_LONG_CHAT,
      direction: 'older',
      from: null,
      limit: 5,
      filter: { kinds: ['IMAGE'] },
    });
    expect(result.messages).toHaveLength(100);
    for (const message of result.messages) {
      expect((message.content as ImageContent).expiresAt).toBe(NOW + 3_600_000);
    }
  });
});

describe('configuration', () => {
  it('takes the credential from the environment and defaults the header', () => {
    const schema = myscrm.configSchema(secretFrom({ SCRM_TOKEN: 'from-env' }));
    expect(
      schema.parse({
        vendor: 'MYSCRM',
        name: 'scrm',
        baseUrl: 'https://nbd-api.myscrm.cn',
        appId: 'app',
        auth: { token: { env: 'SCRM_TOKEN' } },
      }),
    ).toEqual({
      vendor: 'MYSCRM',
      name: 'scrm',
      baseUrl: 'https://nbd-api.myscrm.cn',
      appId: 'app',
      auth: { header: 'Authorization', token: 'from-env' },
      pageSize: 50,
    });
    expect(
      schema.safeParse({
        vendor: 'MYSCRM',
        name: 'scrm',
        baseUrl: 'https://nbd-api.myscrm.cn',
        appId: 'app',
        auth: { token: 'inline-secret' },
      }).success,
    ).toBe(false);
  });
});
