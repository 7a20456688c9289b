/**
 * WeChat Shop's `get_sync_msg` as a change feed: the client against the emulator in every variant
 * the document leaves open (the list's name, the id's JSON type and size, whether the start row is
 * served again), and against hand-made answers for what no emulator variant sends (rows without a
 * room or an id, a feed that does not move, a list under no known name). Counts, not times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { LiveFeed } from '../../../src/sandbox/live.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import type { SourceHttpConfig } from '../../../src/sources/http.js';
import { SYNC_PAGE } from '../../../src/sources/wechat-store/feed.js';
import {
  generateWechatStoreRoom,
  type WechatStoreWireRecord,
} from '../../../src/sources/wechat-store/sandbox/data.js';
import {
  WECHAT_STORE_STRICT,
  type WechatStoreQuirks,
  wechatStoreEmulator,
} from '../../../src/sources/wechat-store/sandbox/emulator.js';
import { wechatStoreLiveFeed } from '../../../src/sources/wechat-store/sandbox/live.js';
import { WechatStoreSource } from '../../../src/sources/wechat-store/source.js';
import { failure } from '../../helpers/failure.js';

const COOKIE = 'sandbox_session=feed-cookie-value';
const BIZ_MAGIC = 'feed-biz-magic';
/** Stored rows: three rooms of 40 messages each. */
const STORED = 120;
const BIG = 2n ** 62n;
/** `end` over 5,000 rows: 7 calls walking by doubling steps, then 6 bisecting (worked by hand). */
const CALLS_TO_END = 13;

function sourceFor(baseUrl: string, http?: SourceHttpConfig): WechatStoreSource {
  return new WechatStoreSource(
    {
      vendor: 'WECHAT_STORE',
      name: 'shop',
      baseUrl,
      cookie: COOKIE,
      bizMagic: BIZ_MAGIC,
      pageSize: 50,
      http,
    },
    { logger: silentLogger() },
  );
}

const rooms = () =>
  new Map(
    ['room-a', 'room-b', 'room-c'].map((roomId, index) => [
      roomId,
      generateWechatStoreRoom({ roomId, seed: index + 7, count: 40, start: Date.UTC(2026, 3, 1 + index) }),
    ]),
  );

const syncCalls = (emulator: RunningEmulator) =>
  emulator.calls.recent.filter((call) => call.path === '/shop/commkf/msg?action=get_sync_msg');

const profiles: WechatStoreQuirks[] = [];
for (const syncList of ['list', 'msg_list', 'msgs'] as const)
  for (const syncIdType of ['string', 'number'] as const)
    for (const syncIdBig of [false, true])
      for (const syncStart of ['exclusive', 'inclusive'] as const)
        profiles.push({ ...WECHAT_STORE_STRICT, syncList, syncIdType, syncIdBig, syncStart });

describe.each(profiles)('get_sync_msg with %o', (quirks) => {
  let emulator: RunningEmulator;
  let source: WechatStoreSource;
  let live: LiveFeed<WechatStoreWireRecord>[];
  const base = quirks.syncIdBig ? BIG : 0n;

  beforeAll(async () => {
    live = [wechatStoreLiveFeed('live-x'), wechatStoreLiveFeed('live-y')];
    live[0]?.append(2);
    emulator = await startEmulator(
      wechatStoreEmulator({ rooms: rooms(), cookie: COOKIE, bizMagic: BIZ_MAGIC, quirks, live }),
    );
    source = sourceFor(emulator.baseUrl);
  });
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });

  it('finds the end, then reports exactly the rooms that changed after it, every digit kept', async () => {
    const [x, y] = live as [LiveFeed<WechatStoreWireRecord>, LiveFeed<WechatStoreWireRecord>];
    emulator.calls.reset();
    const end = await source.feed.end();
    // 120 stored rows and 2 live ones: the end is the 122nd sync id, not a rounded double.
    expect(end).toBe(String(base + 122n));
    // From the first page on, a doubling walk then a bisection: here 3 calls, whatever the ids.
    expect(syncCalls(emulator).length).toBe(emulator.calls.count);
    expect(emulator.calls.count).toBe(3);

    x.append(3);
    y.append(2);
    emulator.calls.reset();
    const read = await source.feed.read(end);
    expect({ ...read, conversations: read.conversations.toSorted() }).toEqual({
      conversations: ['live-x', 'live-y'],
      position: String(base + 127n),
      more: false,
      unattributed: 0,
    });
    expect(emulator.calls.recent.map((call) => [call.path, call.body])).toEqual([
      ['/shop/commkf/msg?action=get_sync_msg', { start_sync_id: end, num: SYNC_PAGE, include_sys_msg: true }],
    ]);
    // Nothing new: the same position, nothing to wake (an inclusive start's repeat is dropped).
    expect(await source.feed.read(read.position)).toEqual({
      conversations: [],
      position: read.position,
      more: false,
      unattributed: 0,
    });
  });

  it('reads more than a page in pages, saying when more wait', async () => {
    const [x] = live as [LiveFeed<WechatStoreWireRecord>];
    const end = await source.feed.end();
    x.append(SYNC_PAGE + 10);
    const first = await source.feed.read(end);
    expect(first).toEqual({
      conversations: ['live-x'],
      // An inclusive start serves its own row again, so its page holds one new row fewer.
      position: String(BigInt(end) + BigInt(quirks.syncStart === 'inclusive' ? SYNC_PAGE - 1 : SYNC_PAGE)),
      more: true,
      unattributed: 0,
    });
    const second = await source.feed.read(first.position);
    expect(second).toEqual({
      conversations: ['live-x'],
      position: String(BigInt(end) + BigInt(SYNC_PAGE + 10)),
      more: false,
      unattributed: 0,
    });
  });
});

describe('get_sync_msg in the emulator', () => {
  let emulator: RunningEmulator;
  const call = async (body: unknown) => {
    const response = await fetch(`${emulator.baseUrl}/shop/commkf/msg?action=get_sync_msg`, {
      method: 'POST',
      headers: { cookie: COOKIE, biz_magic: BIZ_MAGIC, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { base_resp: { ret: number }; list?: Array<Record<string, unknown>> };
  };
  beforeAll(async () => {
    emulator = await startEmulator(
      wechatStoreEmulator({ rooms: rooms(), cookie: COOKIE, bizMagic: BIZ_MAGIC }),
    );
  });
  afterAll(() => emulator.close());

  it('serves every room in one sequence, by time, and leaves system notices out when asked', async () => {
    const all: Array<Record<string, unknown>> = [];
    for (let from = '0'; ; ) {
      const page = await call({ start_sync_id: from, num: 50, include_sys_msg: true });
      if (!page.list?.length) break;
      all.push(...page.list);
      from = String(page.list.at(-1)?.id);
    }
    expect(all.map((row) => row.id)).toEqual(Array.from({ length: STORED }, (_, i) => String(i + 1)));
    const times = all.map((row) => Number(row.create_time_ms));
    expect(times).toEqual(times.toSorted((a, b) => a - b));
    expect(new Set(all.map((row) => row.room_id))).toEqual(new Set(['room-a', 'room-b', 'room-c']));

    const withoutSystem = await call({ start_sync_id: '0', num: 50, include_sys_msg: false });
    const rows = withoutSystem.list ?? [];
    expect(rows.length).toBe(50);
    expect(rows.every((row) => row.msg_direction !== 3)).toBe(true);
    const system = all
      .slice(0, 80)
      .filter((row) => row.msg_direction === 3)
      .map((row) => row.id);
    expect(system.length).toBeGreaterThan(0);
    expect(rows.some((row) => system.includes(row.id))).toBe(false);
  });

  it('refuses a body without start_sync_id or num (ret -2)', async () => {
    expect((await call({ num: 5 })).base_resp.ret).toBe(-2);
    expect((await call({ start_sync_id: '0' })).base_resp.ret).toBe(-2);
    expect((await call({ start_sync_id: 'x1', num: 5 })).base_resp.ret).toBe(-2);
    expect((await call({ start_sync_id: '0', num: 5, include_sys_msg: 'yes' })).base_resp.ret).toBe(-2);
  });
});

it('finds the end of a long history in a few calls, not one per page of it', async () => {
  const history = new Map([
    [
      'room-long',
      generateWechatStoreRoom({ roomId: 'room-long', seed: 3, count: 5_000, start: Date.UTC(2026, 0, 1) }),
    ],
  ]);
  const emulator = await startEmulator(
    wechatStoreEmulator({ rooms: history, cookie: COOKIE, bizMagic: BIZ_MAGIC, quirks: { syncIdBig: true } }),
  );
  const source = sourceFor(emulator.baseUrl);
  try {
    expect(await source.feed.end()).toBe(String(BIG + 5_000n));
    // 100 pages of history; the doubling walk overshoots, and the bisection comes back.
    expect(emulator.calls.count).toBe(CALLS_TO_END);
  } finally {
    await source.close();
    await emulator.close();
  }
});

describe('get_sync_msg answers no emulator variant sends', () => {
  let answer: unknown;
  let emulator: RunningEmulator;
  let source: WechatStoreSource;
  const handler: EmulatorHandler = () => ({ status: 200, body: answer });
  const ok = (rows: unknown, field = 'list') => ({ base_resp: { ret: 0, err_msg: 'ok' }, [field]: rows });
  beforeAll(async () => {
    emulator = await startEmulator(handler);
    source = sourceFor(emulator.baseUrl);
  });
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });

  it('counts rows without a room, and wakes the room of a row whose id cannot be read', async () => {
    answer = ok([
      { id: '11', room_id: 'room-a' },
      { id: '12' },
      { id: '13', room_id: 'not a room id' },
      { id: 'x14', room_id: 'room-b' },
      'not a row',
      { id: 15, room_id: 4370405345218887686n.toString() },
    ]);
    expect(await source.feed.read('10')).toEqual({
      conversations: ['room-a', 'room-b', '4370405345218887686'],
      position: '15',
      more: false,
      unattributed: 3,
    });
  });

  it('takes null as an empty list, and refuses an answer with no list at all', async () => {
    answer = ok(null, 'msg_list');
    expect(await source.feed.read('10')).toEqual({
      conversations: [],
      position: '10',
      more: false,
      unattributed: 0,
    });
    answer = { base_resp: { ret: 0 }, rows: [{ id: '11', room_id: 'room-a' }] };
    const error = await failure(source.feed.read('10'));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details.field).toBe('msg_list|msgs|list');
  });

  it('types envelope errors through the vendor table', async () => {
    answer = { base_resp: { ret: 3000, err_msg: 'login expired' } };
    expect((await failure(source.feed.read('10'))).code).toBe('VENDOR_AUTH_FAILED');
    answer = { base_resp: { ret: -1 } };
    const error = await failure(source.feed.end());
    expect([error.code, error.details.vendorCode]).toEqual(['VENDOR_ERROR', -1]);
  });

  it('refuses a full page that does not move past the position, and more rows than asked', async () => {
    answer = ok(Array.from({ length: SYNC_PAGE }, () => ({ id: '10', room_id: 'room-a' })));
    expect((await failure(source.feed.read('10'))).code).toBe('VENDOR_BAD_RESPONSE');
    answer = ok(Array.from({ length: SYNC_PAGE + 1 }, (_, i) => ({ id: String(11 + i), room_id: 'room-a' })));
    expect((await failure(source.feed.read('10'))).details.cause).toBe('tooLarge');
  });

  it('finds no end in an empty shop but 0', async () => {
    answer = ok([]);
    emulator.calls.reset();
    expect(await source.feed.end()).toBe('0');
    expect(emulator.calls.count).toBe(1);
  });

  it("goes through the source's circuit breaker: once it opens, the feed calls nothing", async () => {
    const breaker = { maxRetries: 0, breakerFailureThreshold: 2, breakerCooldownMs: 3_600_000 };
    const down = await startEmulator(() => ({ status: 503, body: { errmsg: 'busy' } }));
    const shop = sourceFor(down.baseUrl, breaker);
    try {
      expect((await failure(shop.feed.read('10'))).code).toBe('VENDOR_ERROR');
      expect((await failure(shop.feed.end())).code).toBe('VENDOR_ERROR');
      expect(down.calls.count).toBe(2);
      expect((await failure(shop.feed.read('10'))).code).toBe('SOURCE_UNAVAILABLE');
      expect(down.calls.count).toBe(2);
    } finally {
      await shop.close();
      await down.close();
    }
  });
});
