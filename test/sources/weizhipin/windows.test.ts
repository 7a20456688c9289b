import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { WEIZHIPIN_LONG_CHAT, weizhipinSandboxChats } from '../../../src/sources/weizhipin/sandbox/data.js';
import { fetchPage, walkBackward, walkForward } from '../../helpers/paging.js';
import {
  APP_ID,
  APP_SECRET,
  DAY_MS,
  newestFirst,
  startWeizhipinHarness,
  textRecord,
  today,
  type WeizhipinHarness,
} from './weizhipin-harness.js';

const SPARSE = 'open_id:ou_sparse';

/** Three messages in the last 90 days: nearly every window is empty. */
function sparseChat(anchorDay: number) {
  return [
    textRecord((anchorDay - 89) * DAY_MS + 3_600_000, 'oldest', 'sparse-1~'),
    textRecord((anchorDay - 45) * DAY_MS + 7_200_000, 'middle', 'sparse-2~'),
    textRecord((anchorDay - 2) * DAY_MS + 10_800_000, 'newest', 'sparse-3~'),
  ];
}

const startTimes = (h: WeizhipinHarness) => h.messageCalls().map((call) => Number(call.get('start_time')));
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => (from + i) * 86_400);

describe('weizhipin windows', () => {
  let h: WeizhipinHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('reads a sparse 90-day chat with bounded concurrency, not 91 sequential calls', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[SPARSE, sparseChat(anchorDay)]]),
      config: { lookbackDays: 90, windowConcurrency: 8 },
    });
    const id = await h.chatId(SPARSE);
    const emulator = h.emulator;
    // Calls are held in flight, so what the source asks for at once is counted, not timed.
    let release = () => {};
    const holdCalls = () => {
      emulator.hold = new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    holdCalls();
    const pending = fetchPage(h, id, { first: 10 });
    // Today's window alone first.
    await vi.waitFor(() => expect(emulator.messageCalls).toBe(1));
    const releaseToday = release;
    holdCalls();
    releaseToday();
    // Nothing seen yet: the next 8 days at once (windowConcurrency), and no more while they are held.
    await vi.waitFor(() => expect(emulator.messageCallsInFlight).toBe(8));
    expect(emulator.messageCalls).toBe(9);
    emulator.hold = null;
    release();
    const page = await pending;
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(['sparse-3~', 'sparse-2~', 'sparse-1~']);
    expect(page.pageInfo.hasNextPage).toBe(false);
    // Every window of the lookback once (today and the 90 days before it), nothing outside it.
    expect(startTimes(h).sort((a, b) => a - b)).toEqual(range(anchorDay - 90, anchorDay));
    expect(emulator.maxMessageCallsInFlight).toBeLessThanOrEqual(8);

    // The same read one window at a time is what the prefetch saves.
    await h.close();
    h = await startWeizhipinHarness({
      chats: new Map([[SPARSE, sparseChat(anchorDay)]]),
      config: { lookbackDays: 90, windowConcurrency: 1 },
    });
    const again = await fetchPage(h, await h.chatId(SPARSE), { first: 10 });
    expect(again.edges).toHaveLength(3);
    expect(h.emulator.maxMessageCallsInFlight).toBe(1);
    expect(h.emulator.maxMessageCallDepth).toBe(91);
  });

  it('reads the sparse chat newest to oldest and back with last/before too', async () => {
    const anchorDay = today();
    h = await startWeizhipinHarness({
      chats: new Map([[SPARSE, sparseChat(anchorDay)]]),
      config: { lookbackDays: 90 },
    });
    const id = await h.chatId(SPARSE);
    expect(await walkForward(h, id, { sizes: [1] })).toEqual(['sparse-3~', 'sparse-2~', 'sparse-1~']);
    expect(await walkBackward(h, id, { sizes: [2] })).toEqual(['sparse-3~', 'sparse-2~', 'sparse-1~']);
  });

  it('searches lookbackDays back by default; filter.since reaches further', async () => {
    const anchorDay = today();
    const old = textRecord((anchorDay - 120) * DAY_MS + 5_000, 'before the lookback', 'old-1~');
    h = await startWeizhipinHarness({
      chats: new Map([[SPARSE, [old, ...sparseChat(anchorDay)]]]),
      config: { lookbackDays: 90 },
    });
    const id = await h.chatId(SPARSE);
    const capabilities = await h.query<{ source: { capabilities: Record<string, unknown> } }>(
      '{ source(name: "weizhipin") { capabilities { defaultLookbackSeconds timeRangeFilter olderPaging newerPaging } } }',
    );
    expect(capabilities.data?.source.capabilities).toEqual({
      defaultLookbackSeconds: 90 * 86_400,
      timeRangeFilter: 'VENDOR',
      olderPaging: 'NATIVE',
      newerPaging: 'NATIVE',
    });
    expect((await fetchPage(h, id, { first: 10 })).edges.map((e) => e.node.externalId)).toEqual([
      'sparse-3~',
      'sparse-2~',
      'sparse-1~',
    ]);
    const since = new Date((anchorDay - 121) * DAY_MS).toISOString();
    h.calls('WEIZHIPIN').reset();
    const further = await fetchPage(h, id, { first: 10, filter: { since } });
    expect(further.edges.map((e) => e.node.externalId)).toEqual([
      'sparse-3~',
      'sparse-2~',
      'sparse-1~',
      'old-1~',
    ]);
    expect(startTimes(h).sort((a, b) => a - b)).toEqual(range(anchorDay - 121, anchorDay));
  });

  it('reads only the windows of filter.since / filter.until, to the millisecond', async () => {
    const anchorDay = today();
    const chats = weizhipinSandboxChats(anchorDay);
    const records = chats.get(WEIZHIPIN_LONG_CHAT) ?? [];
    h = await startWeizhipinHarness({ chats });
    // From noon of one active day to noon three days later.
    const firstDay = Math.floor(Number(records[0]?.create_time) / DAY_MS);
    const since = (firstDay + 1) * DAY_MS + 43_200_000;
    const until = (firstDay + 4) * DAY_MS + 43_200_000;
    const expected = newestFirst(
      records.filter((record) => Number(record.create_time) >= since && Number(record.create_time) < until),
    );
    expect(expected.length).toBeGreaterThan(100);
    const filter = { since: new Date(since).toISOString(), until: new Date(until).toISOString() };
    const id = await h.chatId(WEIZHIPIN_LONG_CHAT);
    h.calls('WEIZHIPIN').reset();
    expect(await walkForward(h, id, { sizes: [100], filter })).toEqual(expected);
    expect(new Set(startTimes(h))).toEqual(new Set(range(firstDay + 1, firstDay + 4)));
    h.calls('WEIZHIPIN').reset();
    expect(await walkBackward(h, id, { sizes: [100], filter })).toEqual(expected);
    expect(new Set(startTimes(h))).toEqual(new Set(range(firstDay + 1, firstDay + 4)));
  });

  it('costs one window per day of an empty chat, and nothing more', async () => {
    h = await startWeizhipinHarness({ chats: new Map(), config: { lookbackDays: 30 } });
    const page = await fetchPage(h, await h.chatId('union_id:on_nobody'), { first: 5 });
    expect(page).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(startTimes(h).sort((a, b) => a - b)).toEqual(range(today() - 30, today()));
    expect(h.messageCalls().every((call) => call.get('user_id_type') === 'union_id')).toBe(true);

    // An `until` in the future reads no window after today.
    h.calls('WEIZHIPIN').reset();
    const until = new Date((today() + 10) * DAY_MS).toISOString();
    await fetchPage(h, await h.chatId('union_id:on_nobody'), { first: 5, filter: { until } });
    expect(startTimes(h).sort((a, b) => a - b)).toEqual(range(today() - 30, today()));
  });

  it('finds a message again from its node id with one vendor call', async () => {
    const anchorDay = today();
    const chats = weizhipinSandboxChats(anchorDay);
    h = await startWeizhipinHarness({ chats });
    const page = await h.query<{
      source: { conversation: { messages: { edges: Array<{ node: { id: string; externalId: string } }> } } };
    }>(
      `{ source(name: "weizhipin") { conversation(externalId: "${WEIZHIPIN_LONG_CHAT}") {
          messages(first: 3) { edges { node { id externalId } } } } } }`,
    );
    const node = page.data?.source.conversation.messages.edges[2]?.node;
    expect(node?.externalId).toBe(newestFirst(chats.get(WEIZHIPIN_LONG_CHAT) ?? [])[2]);
    await h.idle();
    h.calls('WEIZHIPIN').reset();
    const found = await h.query<{ node: { externalId: string; sentAt: string } }>(
      'query($id: ID!) { node(id: $id) { ... on WeizhipinMessage { externalId } } }',
      { id: node?.id },
    );
    expect(found.data?.node.externalId).toBe(node?.externalId);
    expect(h.messageCalls()).toHaveLength(1);
    expect(h.messageCalls()[0]?.get('message_id')).toBe(node?.externalId);
  });

  it('rejects chat ids that are not <user_id_type>:<user_id>', async () => {
    h = await startWeizhipinHarness({ chats: new Map() });
    for (const bad of ['ou_7dab8a3d', 'email:x@y', 'open_id:', 'open_id:has space']) {
      const result = await h.query(
        'query($x: String!) { source(name: "weizhipin") { conversation(externalId: $x) { id } } }',
        {
          x: bad,
        },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_ARGUMENT');
    }
    expect(h.calls('WEIZHIPIN').count).toBe(0);
  });
});

describe('weizhipin emulator limits', () => {
  let h: WeizhipinHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('enforces the one-day window, the page-size range and the token', async () => {
    h = await startWeizhipinHarness({ chats: new Map([[SPARSE, sparseChat(today())]]) });
    const base = h.sandbox.emulators.get('WEIZHIPIN')?.baseUrl as string;
    const tokenAnswer = await fetch(`${base}/open-apis/auth/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: APP_ID, app_secret: APP_SECRET }),
    });
    const { data } = (await tokenAnswer.json()) as { data: { tenant_access_token: string; expire: number } };
    expect(data.expire).toBe(7140);
    const get = async (query: Record<string, string>, token = data.tenant_access_token) => {
      const response = await fetch(`${base}/open-apis/im/v2/messages?${new URLSearchParams(query)}`, {
        headers: { authorization: `Bearer ${token} ` },
      });
      return (await response.json()) as { code: number; data: unknown[] | null };
    };
    const day = (today() - 2) * 86_400;
    const query = {
      user_id_type: 'open_id',
      user_id: 'ou_sparse',
      start_time: String(day),
      end_time: String(day + 86_400),
      message_type: 'text',
      page_size: '50',
    };
    expect((await get(query)).data).toHaveLength(1);
    expect((await get({ ...query, end_time: String(day + 86_401) })).code).toBe(99992402);
    expect((await get({ ...query, page_size: '0' })).code).toBe(99992402);
    expect((await get({ ...query, page_size: '51' })).code).toBe(99992402);
    expect((await get({ ...query, message_type: 'image' })).data).toEqual([]);
    expect((await get(query, 't-forged')).code).toBe(99991663);
  });
});

describe('weizhipin configuration', () => {
  it('takes the app secret from the environment and defaults the rest', () => {
    const config = parseConfig(
      {
        cursorSecret: { env: 'CURSOR' },
        allowOpen: true,
        sources: [
          {
            vendor: 'WEIZHIPIN',
            name: 'bosshi',
            baseUrl: 'https://hi-gw.weizhipin.com',
            appId: 'cli_1',
            appSecret: { env: 'WZ_SECRET' },
          },
        ],
      },
      { CURSOR: 'c'.repeat(16), WZ_SECRET: 's3cret' },
    );
    expect(config.sources).toEqual([
      {
        vendor: 'WEIZHIPIN',
        name: 'bosshi',
        baseUrl: 'https://hi-gw.weizhipin.com',
        appId: 'cli_1',
        appSecret: 's3cret',
        lookbackDays: 90,
        windowConcurrency: 96,
        pageSize: 50,
      },
    ]);
  });

  it('reports a secret written into the file and a page size the vendor refuses', () => {
    expect(() =>
      parseConfig(
        {
          cursorSecret: { env: 'CURSOR' },
          allowOpen: true,
          sources: [
            {
              vendor: 'WEIZHIPIN',
              name: 'bosshi',
              baseUrl: 'https://hi-gw.weizhipin.com',
              appId: 'cli_1',
              appSecret: 'inline-secret',
              pageSize: 51,
            },
          ],
        },
        { CURSOR: 'c'.repeat(16) },
      ),
    ).toThrow(/sources\.0\.appSecret[\s\S]*sources\.0\.pageSize/);
  });
});
