/**
 * How many day windows a weizhipin walk requests, and in how many sequential round trips: one
 * window first; all the rest of the searched range while nothing was found; otherwise about
 * twice what the density seen so far says the page still needs.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { PageMemo } from '../../../src/resolvers/page-memo.js';
import type { PageLoader } from '../../../src/sources/source.js';
import type { WeizhipinMessage } from '../../../src/sources/weizhipin/normalize.js';
import type { WeizhipinWireRecord } from '../../../src/sources/weizhipin/sandbox/data.js';
import {
  WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY,
  WeizhipinAnswer,
  type WeizhipinPageRequest,
  WeizhipinSource,
} from '../../../src/sources/weizhipin/source.js';
import { fetchPage } from '../../helpers/paging.js';
import {
  DAY_MS,
  startWeizhipinHarness,
  textRecord,
  today,
  type WeizhipinHarness,
} from './weizhipin-harness.js';

const CHAT = 'open_id:ou_density';

/** `perDay` messages on each of the `days` days up to `anchorDay`, the newest at noon of each day. */
function everyDay(anchorDay: number, days: number, perDay: number): WeizhipinWireRecord[] {
  const records: WeizhipinWireRecord[] = [];
  for (let day = anchorDay - days + 1; day <= anchorDay; day++) {
    for (let i = 0; i < perDay; i++) {
      records.push(textRecord(day * DAY_MS + 3_600_000 + i * 60_000, `d${day}-${i}`, `m-${day}-${i}~`));
    }
  }
  return records;
}

/** The bench's sparse chat: 3 messages in 90 days, none today. */
function sparseChat(anchorDay: number): WeizhipinWireRecord[] {
  return [
    textRecord((anchorDay - 89) * DAY_MS + 3_600_000, 'oldest', 'sparse-1~'),
    textRecord((anchorDay - 45) * DAY_MS + 7_200_000, 'middle', 'sparse-2~'),
    textRecord((anchorDay - 2) * DAY_MS + 10_800_000, 'newest', 'sparse-3~'),
  ];
}

const windowDays = (h: WeizhipinHarness) =>
  h.messageCalls().map((call) => Number(call.get('start_time')) / 86_400);

describe('weizhipin read-ahead by density', () => {
  let h: WeizhipinHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The clock of source and emulator: noon of today, so that today's morning messages are past. */
  const noon = (anchorDay: number) => () => anchorDay * DAY_MS + 43_200_000;

  it('answers a dense chat from its newest window: one call for first: 20, one more for the next page', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[CHAT, everyDay(anchorDay, 91, 30)]]),
      config: { lookbackDays: 90, windowConcurrency: WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY },
      now: noon(anchorDay),
    });
    const id = await h.chatId(CHAT);
    const page = await fetchPage(h, id, { first: 20 });
    expect(page.edges).toHaveLength(20);
    expect(page.pageInfo.hasNextPage).toBe(true);
    await h.idle();
    // Today holds 30 ≥ 21 (the page and one more for hasNextPage): nothing else is read.
    expect(windowDays(h)).toEqual([anchorDay]);
    expect(h.tokenCalls()).toBe(1);

    h.calls('WEIZHIPIN').reset();
    const next = await fetchPage(h, id, { first: 20, after: page.pageInfo.endCursor ?? undefined });
    expect(next.edges.map((edge) => edge.node.externalId)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `m-${anchorDay}-${9 - i}~`),
      ...Array.from({ length: 10 }, (_, i) => `m-${anchorDay - 1}-${29 - i}~`),
    ]);
    await h.idle();
    // Today again (this operation has no page of the last), 10 older than the cursor, 11 still
    // needed at 30 a window: ⌈2 · 11 / 30⌉ = 1 window more, yesterday.
    expect(windowDays(h)).toEqual([anchorDay, anchorDay - 1]);
  });

  it('reads a sparse 90-day chat in two round trips of window calls: today, then the other 90 at once', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[CHAT, sparseChat(anchorDay)]]),
      // Today's window alone, then the 90 days before it at once: answered only once all arrived.
      emulator: { waves: [1, 90] },
      config: { lookbackDays: 90, windowConcurrency: WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY },
    });
    const id = await h.chatId(CHAT);
    const expected = ['sparse-3~', 'sparse-2~', 'sparse-1~'];
    // The first operation also fetches the token and opens the connections.
    expect((await fetchPage(h, id, { first: 20 })).edges.map((edge) => edge.node.externalId)).toEqual(
      expected,
    );
    expect(h.emulator.messageCalls).toBe(91);

    await h.idle();
    h.emulator.resetStats();
    h.calls('WEIZHIPIN').reset();
    const page = await fetchPage(h, id, { first: 20 });
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(expected);
    expect(page.pageInfo.hasNextPage).toBe(false);
    // The same 91 calls as one window at a time, every window once, but in 2 round trips: today
    // alone (empty), then the 90 days before it together, each on its own connection.
    expect(h.emulator.messageCalls).toBe(91);
    expect(windowDays(h).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 91 }, (_, i) => anchorDay - 90 + i),
    );
    expect(windowDays(h)[0]).toBe(anchorDay);
    expect(h.emulator.maxMessageCallsInFlight).toBe(90);
    expect(h.emulator.maxMessageCallDepth).toBe(2);
    expect(h.tokenCalls()).toBe(0);
  });

  it('keeps the connections of the source at http.maxConcurrency when it is configured', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[CHAT, sparseChat(anchorDay)]]),
      // Today's window, then as many at once as the connections allow.
      emulator: { waves: [1, 4] },
      config: {
        lookbackDays: 90,
        windowConcurrency: WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY,
        http: { maxConcurrency: 4 },
      },
    });
    expect((await fetchPage(h, await h.chatId(CHAT), { first: 20 })).edges).toHaveLength(3);
    expect(h.emulator.messageCalls).toBe(91);
    expect(h.emulator.maxMessageCallsInFlight).toBe(4);
  });

  it('reads a medium-density chat a few windows past what it needs, not all 91', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[CHAT, everyDay(anchorDay, 91, 3)]]),
      config: { lookbackDays: 90, windowConcurrency: WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY },
      now: noon(anchorDay),
    });
    const page = await fetchPage(h, await h.chatId(CHAT), { first: 20 });
    expect(page.edges).toHaveLength(20);
    await h.idle();
    // 21 messages at 3 a day take 7 windows. Today's 3 leave 18 needed: ⌈2 · 18 / 3⌉ = 12 windows
    // are requested at once, and the walk stops after the 6th of them: 13 calls, 6 too many.
    expect(windowDays(h)).toEqual(Array.from({ length: 13 }, (_, i) => anchorDay - i));
  });
});

describe('weizhipin read-ahead, at the source', () => {
  const anchorDay = 20_000;
  const now = anchorDay * DAY_MS + 43_200_000;
  const source = () =>
    new WeizhipinSource(
      {
        vendor: 'WEIZHIPIN',
        name: 'weizhipin',
        baseUrl: 'http://127.0.0.1:9',
        appId: 'app',
        appSecret: 'secret',
        lookbackDays: 30,
        windowConcurrency: 96,
        pageSize: 50,
      },
      { logger: silentLogger(), clock: () => now },
    );

  /**
   * An operation's loader (a `PageMemo`, as the engine gives sources) answering from `days`
   * (day → its messages); `requested` records every vendor call it makes.
   */
  function loader(days: Map<number, WeizhipinMessage[] | Error>) {
    const requested: number[] = [];
    /** The days whose answers a walk looked at (and so normalized). */
    const normalized: number[] = [];
    const pages: PageLoader<WeizhipinPageRequest, WeizhipinAnswer> = new PageMemo(
      (request) => JSON.stringify(request),
      async (request) => {
        const day = request.startTime / 86_400;
        requested.push(day);
        const answer = days.get(day) ?? [];
        if (answer instanceof Error) throw answer;
        return new WeizhipinAnswer(() => {
          normalized.push(day);
          return answer;
        });
      },
    );
    return { pages, requested, normalized };
  }

  const message = (day: number, n: number) =>
    ({ externalId: `x-${day}-${n}~`, sentAt: day * DAY_MS + 1_000 + n }) as unknown as WeizhipinMessage;

  it('does not fail the walk for a window read ahead that the walk never reaches', async () => {
    const s = source();
    const days = new Map<number, WeizhipinMessage[] | Error>([
      [anchorDay - 3, [message(anchorDay - 3, 0), message(anchorDay - 3, 1)]],
      [anchorDay - 10, new Error('window -10 failed')],
    ]);
    const { pages, requested } = loader(days);
    const request = { conversation: CHAT, direction: 'older' as const, from: null, filter: {} };
    const result = await s.read(pages, { ...request, limit: 2 });
    expect(result.messages.map((m) => m.externalId)).toEqual(['x-19997-1~', 'x-19997-0~']);
    // Today alone, then the 30 days before it at once: the failing window among them.
    expect(requested).toEqual(Array.from({ length: 31 }, (_, i) => anchorDay - i));
    // Going on reaches it: now the walk fails, and nothing is requested twice.
    await expect(s.read(pages, { ...request, limit: 5, continuation: result.continuation })).rejects.toThrow(
      'window -10 failed',
    );
    expect(requested).toHaveLength(31);
    await s.close();
  });

  it('normalizes only the windows the walk reaches, not those read ahead', async () => {
    const s = source();
    const { pages, requested, normalized } = loader(
      new Map([[anchorDay - 3, [message(anchorDay - 3, 0), message(anchorDay - 3, 1)]]]),
    );
    const request = { conversation: CHAT, direction: 'older' as const, from: null, filter: {} };
    const result = await s.read(pages, { ...request, limit: 2 });
    expect(result.messages).toHaveLength(2);
    expect(requested).toHaveLength(31);
    expect(normalized).toEqual([anchorDay, anchorDay - 1, anchorDay - 2, anchorDay - 3]);
    // Going on looks at the next windows, once each, from the answers already there.
    await s.read(pages, { ...request, limit: 1, continuation: result.continuation });
    expect(requested).toHaveLength(31);
    expect(normalized).toEqual(Array.from({ length: 31 }, (_, i) => anchorDay - i));
    await s.close();
  });

  it('reads newer windows in the same way, from the low end of the range', async () => {
    const s = source();
    const { pages, requested } = loader(new Map([[anchorDay - 25, [message(anchorDay - 25, 0)]]]));
    const result = await s.read(pages, {
      conversation: CHAT,
      direction: 'newer',
      from: null,
      limit: 5,
      filter: {},
    });
    expect(result.messages.map((m) => m.externalId)).toEqual(['x-19975-0~']);
    expect(result.continuation).toBeNull();
    expect(requested).toEqual(Array.from({ length: 31 }, (_, i) => anchorDay - 30 + i));
    await s.close();
  });
});

describe('weizhipin settled windows', () => {
  const now = 20_000 * DAY_MS + 43_200_000;
  const s = new WeizhipinSource(
    {
      vendor: 'WEIZHIPIN',
      name: 'weizhipin',
      baseUrl: 'http://127.0.0.1:9',
      appId: 'app',
      appSecret: 'secret',
      lookbackDays: 30,
      windowConcurrency: 96,
      pageSize: 50,
    },
    { logger: silentLogger(), clock: () => now },
  );
  const nowSeconds = now / 1000;
  const window = (startTime: number, endTime: number, messageId: string | null = null) => ({
    userIdType: 'open_id' as const,
    userId: 'ou_x',
    startTime,
    endTime,
    messageId,
    pageSize: 50,
  });
  afterAll(async () => {
    await s.close();
  });

  it('settles a window five minutes after it ends, never one that includes the present', () => {
    const yesterday = 19_999 * 86_400;
    expect(s.settled(window(yesterday, yesterday + 86_400))).toBe(true);
    expect(s.settled(window(yesterday, yesterday + 86_400, 'm-1~'))).toBe(true);
    const todayStart = 20_000 * 86_400;
    expect(s.settled(window(todayStart, todayStart + 86_400))).toBe(false);
    // The margin: the vendor indexes new messages with some lag.
    expect(s.settled(window(nowSeconds - 3_600, nowSeconds - 301))).toBe(true);
    expect(s.settled(window(nowSeconds - 3_600, nowSeconds - 300))).toBe(false);
    expect(s.settled(window(nowSeconds - 60, nowSeconds - 60, 'm-2~'))).toBe(false);
    expect(s.settled(window(nowSeconds - 1, nowSeconds))).toBe(false);
  });
});
