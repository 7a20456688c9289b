import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WEIZHIPIN_LONG_CHAT,
  WEIZHIPIN_LONG_DAYS,
  type WeizhipinWireRecord,
  weizhipinSandboxChats,
} from '../../../src/sources/weizhipin/sandbox/data.js';
import { checkPagingLaws, fetchPage, walkBackward, walkForward } from '../../helpers/paging.js';
import {
  DAY_MS,
  newestFirst,
  startWeizhipinHarness,
  textRecord,
  today,
  type WeizhipinHarness,
} from './weizhipin-harness.js';

const BOUNDARY_CHAT = 'open_id:ou_boundaries';

/**
 * Messages on the edges of the one-day windows: the first millisecond of a day (also in the
 * previous window's inclusive end second), the rest of that second, the last second and
 * millisecond of a day, ties in one millisecond, and empty days between.
 */
function boundaryChat(anchorDay: number): WeizhipinWireRecord[] {
  const records: WeizhipinWireRecord[] = [];
  const add = (day: number, ms: number, label: string) =>
    records.push(textRecord(day * DAY_MS + ms, label, `b-${day - anchorDay}-${ms}-${records.length}~`));
  for (const day of [
    anchorDay - 30,
    anchorDay - 29,
    anchorDay - 28,
    anchorDay - 20,
    anchorDay - 19,
    anchorDay - 1,
  ]) {
    add(day, 0, 'day start');
    add(day, 0, 'tie at day start');
    add(day, 999, 'end of the first second');
    add(day, 43_200_000, 'noon');
    add(day, DAY_MS - 1_000, 'last second');
    add(day, DAY_MS - 1, 'last millisecond');
    add(day, DAY_MS - 1, 'tie at last millisecond');
  }
  return records;
}

describe('weizhipin paging over one-day windows', () => {
  let h: WeizhipinHarness;
  const anchorDay = today();
  const chats = weizhipinSandboxChats(anchorDay);
  chats.set(BOUNDARY_CHAT, boundaryChat(anchorDay));
  const longExpected = newestFirst(chats.get(WEIZHIPIN_LONG_CHAT) ?? []);
  const boundaryExpected = newestFirst(chats.get(BOUNDARY_CHAT) ?? []);

  beforeAll(async () => {
    h = await startWeizhipinHarness({ chats, config: { lookbackDays: WEIZHIPIN_LONG_DAYS + 4 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('sandbox-long is 5,000+ messages over 90+ days with empty weeks', () => {
    const records = chats.get(WEIZHIPIN_LONG_CHAT) ?? [];
    const days = new Set(records.map((record) => Math.floor(Number(record.create_time) / DAY_MS)));
    expect(records.length).toBeGreaterThan(5_000);
    const first = Math.min(...days);
    const last = Math.max(...days);
    expect(last - first).toBeGreaterThanOrEqual(90);
    let longestGap = 0;
    for (let day = first, gap = 0; day <= last; day++) {
      gap = days.has(day) ? 0 : gap + 1;
      longestGap = Math.max(longestGap, gap);
    }
    expect(longestGap).toBeGreaterThanOrEqual(14);
    expect(new Set(records.map((record) => record.msg_type))).toEqual(
      new Set(['text', 'image', 'rich_text', 'new_rich_text', 'system_card', 'compressive_card']),
    );
  });

  it('walks sandbox-long exactly, in order, both ways (paging laws)', async () => {
    await checkPagingLaws(h, await h.chatId(WEIZHIPIN_LONG_CHAT), {
      expected: longExpected,
      minSize: 30,
      maxSize: 100,
      numRuns: 4,
    });
  });

  it('walks a chat whose messages sit on window boundaries exactly, both ways (paging laws)', async () => {
    await checkPagingLaws(h, await h.chatId(BOUNDARY_CHAT), {
      expected: boundaryExpected,
      minSize: 1,
      maxSize: 12,
      numRuns: 8,
    });
  });

  it('shows a message at the second a window starts or ends once, though the vendor sends it twice', async () => {
    const day = anchorDay - 29;
    const [previous, own] = await Promise.all(
      [day - 1, day].map(
        async (d) =>
          (
            await h.source.fetchPage({
              userIdType: 'open_id',
              userId: 'ou_boundaries',
              startTime: d * 86_400,
              endTime: (d + 1) * 86_400,
              messageId: null,
              pageSize: 50,
            })
          ).messages,
      ),
    );
    const atStart = (previous ?? [])
      .filter((message) => message.sentAt >= day * DAY_MS)
      .map((m) => m.externalId);
    // The previous day's window includes the first second of this day: the overlap is real.
    expect(atStart).toEqual([`b-${-29}-0-7~`, `b-${-29}-0-8~`, `b-${-29}-999-9~`]);
    expect((own ?? []).slice(0, 3).map((message) => message.externalId)).toEqual(atStart);

    const id = await h.chatId(BOUNDARY_CHAT);
    const forward = await walkForward(h, id, { sizes: [100] });
    const backward = await walkBackward(h, id, { sizes: [100] });
    expect(forward).toEqual(boundaryExpected);
    expect(backward).toEqual(boundaryExpected);
    expect(new Set(forward).size).toBe(42);
  });

  it('pages within a busy day with message_id, de-duplicating the inclusive anchor', async () => {
    const records = chats.get(WEIZHIPIN_LONG_CHAT) ?? [];
    const perDay = new Map<number, number>();
    for (const record of records) {
      const day = Math.floor(Number(record.create_time) / DAY_MS);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const [busiest, count] = [...perDay].sort((a, b) => b[1] - a[1])[0] as [number, number];
    expect(count).toBeGreaterThan(100);
    const filter = {
      since: new Date(busiest * DAY_MS).toISOString(),
      until: new Date((busiest + 1) * DAY_MS).toISOString(),
    };
    const expected = newestFirst(
      records.filter((record) => Math.floor(Number(record.create_time) / DAY_MS) === busiest),
    );
    h.calls('WEIZHIPIN').reset();
    const page = await fetchPage(h, await h.chatId(WEIZHIPIN_LONG_CHAT), { first: 100, filter });
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(expected.slice(0, 100));
    const calls = h.messageCalls();
    // One window, its pages chained by message_id.
    expect(new Set(calls.map((call) => call.get('start_time')))).toEqual(new Set([String(busiest * 86_400)]));
    expect(calls[0]?.has('message_id')).toBe(false);
    for (const call of calls.slice(1)) expect(call.get('message_id')).toMatch(/~$/);
    expect(calls.every((call) => call.get('page_size') === '50')).toBe(true);
    expect(calls.every((call) => call.get('end_time') === String((busiest + 1) * 86_400))).toBe(true);
    // The five types the document says can be queried, nothing else (a strict vendor refuses more).
    expect(calls[0]?.get('message_type')).toBe('text,image,rich_text,new_rich_text,system_card');
  });
});
