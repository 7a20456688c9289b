import { afterEach, describe, expect, it } from 'vitest';
import { TenantTokenCache, TokenRejectedError } from '../../../src/sources/weizhipin/token.js';
import {
  APP_SECRET,
  capturingLogger,
  DAY_MS,
  startWeizhipinHarness,
  textRecord,
  type WeizhipinHarness,
} from './weizhipin-harness.js';

describe('TenantTokenCache', () => {
  const fixture = () => {
    let now = 1_000_000;
    let issued = 0;
    const gates: Array<() => void> = [];
    const cache = new TenantTokenCache({
      clock: () => now,
      fetch: async () => {
        issued++;
        const token = `t-${issued}`;
        await new Promise<void>((resolve) => gates.push(resolve));
        return { token, expireSeconds: 7140 };
      },
    });
    return {
      cache,
      issued: () => issued,
      advance: (ms: number) => {
        now += ms;
      },
      release: () => {
        for (const gate of gates.splice(0)) gate();
      },
    };
  };

  it('fetches once however many callers need a token at the same moment', async () => {
    const f = fixture();
    const waiting = Array.from({ length: 10 }, () => f.cache.get());
    await Promise.resolve();
    expect(f.issued()).toBe(1);
    f.release();
    expect(await Promise.all(waiting)).toEqual(Array(10).fill('t-1'));
    expect(await f.cache.get()).toBe('t-1');
    expect(f.issued()).toBe(1);
  });

  it('refreshes five minutes before expiry, not earlier', async () => {
    const f = fixture();
    const first = f.cache.get();
    f.release();
    expect(await first).toBe('t-1');
    f.advance(7_140_000 - 300_000 - 1);
    expect(await f.cache.get()).toBe('t-1');
    f.advance(1);
    const second = f.cache.get();
    await Promise.resolve();
    f.release();
    expect(await second).toBe('t-2');
    expect(f.issued()).toBe(2);
  });

  it('does not remember a failed token call', async () => {
    let calls = 0;
    const cache = new TenantTokenCache({
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error('down');
        return { token: 't-ok', expireSeconds: 60 };
      },
    });
    await expect(cache.get()).rejects.toThrow('down');
    expect(await cache.get()).toBe('t-ok');
    expect(calls).toBe(2);
  });

  it('retries once with a fresh token when the vendor rejects one, and not twice', async () => {
    let issued = 0;
    const cache = new TenantTokenCache({
      fetch: async () => ({ token: `t-${++issued}`, expireSeconds: 7140 }),
    });
    const seen: string[] = [];
    const result = await cache.withToken(async (token) => {
      seen.push(token);
      if (token === 't-1') throw new TokenRejectedError(99991663);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual(['t-1', 't-2']);

    const always: string[] = [];
    await expect(
      cache.withToken(async (token) => {
        always.push(token);
        throw new TokenRejectedError(99991663);
      }),
    ).rejects.toBeInstanceOf(TokenRejectedError);
    expect(always).toEqual(['t-2', 't-3']);
  });

  it('forgets only the token that was rejected', async () => {
    let issued = 0;
    const cache = new TenantTokenCache({
      fetch: async () => ({ token: `t-${++issued}`, expireSeconds: 7140 }),
    });
    expect(await cache.get()).toBe('t-1');
    cache.invalidate('t-1');
    expect(await cache.get()).toBe('t-2');
    // A late rejection of the old token must not throw away the new one.
    cache.invalidate('t-1');
    expect(await cache.get()).toBe('t-2');
    expect(issued).toBe(2);
  });
});

describe('weizhipin token lifecycle against the emulator', () => {
  let h: WeizhipinHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  // One message on each of three days; `since`/`until` keep every query to exactly these windows.
  const day = Math.floor(Date.UTC(2025, 5, 10) / DAY_MS);
  const chat = [
    textRecord(day * DAY_MS + 1_000, 'one', 'tok-1~'),
    textRecord((day + 1) * DAY_MS + 1_000, 'two', 'tok-2~'),
    textRecord((day + 2) * DAY_MS + 1_000, 'three', 'tok-3~'),
  ];
  const filter = {
    since: new Date(day * DAY_MS).toISOString(),
    until: new Date((day + 3) * DAY_MS).toISOString(),
  };
  const PAGE = `query($id: ID!, $filter: MessageFilter) {
    conversation(id: $id) { messages(first: 10, filter: $filter) { edges { node { externalId } } } }
  }`;
  const read = async (id: string) => {
    const result = await (h as WeizhipinHarness).query<{
      conversation: { messages: { edges: Array<{ node: { externalId: string } }> } };
    }>(PAGE, { id, filter });
    return result;
  };
  const ids = (result: Awaited<ReturnType<typeof read>>) =>
    result.data?.conversation.messages.edges.map((edge) => edge.node.externalId);

  // Three chats read in one operation: their first windows are requested at the same moment.
  const threeChats = () =>
    new Map([
      ['open_id:ou_a', chat],
      ['open_id:ou_b', chat],
      ['open_id:ou_c', chat],
    ]);
  const MULTI = `query($a: ID!, $b: ID!, $c: ID!, $filter: MessageFilter) {
    a: conversation(id: $a) { messages(first: 1, filter: $filter) { edges { node { externalId } } } }
    b: conversation(id: $b) { messages(first: 1, filter: $filter) { edges { node { externalId } } } }
    c: conversation(id: $c) { messages(first: 1, filter: $filter) { edges { node { externalId } } } }
  }`;
  const readThree = async () => {
    const harness = h as WeizhipinHarness;
    const variables = {
      a: await harness.chatId('open_id:ou_a'),
      b: await harness.chatId('open_id:ou_b'),
      c: await harness.chatId('open_id:ou_c'),
      // One day: one window per chat.
      filter: { since: filter.since, until: new Date((day + 1) * DAY_MS).toISOString() },
    };
    const result = await harness.query<
      Record<string, { messages: { edges: Array<{ node: { externalId: string } }> } }>
    >(MULTI, variables);
    expect(result.errors).toBeUndefined();
    return ['a', 'b', 'c'].map((alias) =>
      result.data?.[alias]?.messages.edges.map((edge) => edge.node.externalId),
    );
  };

  for (const tokenShape of ['top-level', 'nested'] as const) {
    it(`uses one token for concurrent first calls (${tokenShape} token answer)`, async () => {
      h = await startWeizhipinHarness({ chats: threeChats(), emulator: { tokenShape, waves: [3] } });
      expect(await readThree()).toEqual([['tok-1~'], ['tok-1~'], ['tok-1~']]);
      expect(h.tokenCalls()).toBe(1);
      expect(h.messageCalls()).toHaveLength(3);
      expect(h.emulator.maxMessageCallsInFlight).toBe(3);
    });
  }

  it('refreshes the token shortly before it expires, on the shared clock', async () => {
    let now = Date.UTC(2025, 5, 20);
    h = await startWeizhipinHarness({
      chats: new Map([['open_id:ou_tok', chat]]),
      // A one-minute token; a new one is issued once less than 30 s remain.
      emulator: { tokenTtlSeconds: 60, reissueBelowSeconds: 30 },
      now: () => now,
    });
    const id = await h.chatId('open_id:ou_tok');
    expect(ids(await read(id))).toHaveLength(3);
    expect(h.tokenCalls()).toBe(1);

    now += 50_000; // within the token's last tenth (6 s) only after 54 s
    expect(ids(await read(id))).toHaveLength(3);
    expect(h.tokenCalls()).toBe(1);

    now += 5_000; // 55 s: refreshed before use, never rejected
    expect(ids(await read(id))).toHaveLength(3);
    expect(h.tokenCalls()).toBe(2);
    expect(h.emulator.tokensIssued).toBe(2);

    now += 120_000; // both tokens expired by the vendor's clock; the cache knows it too
    expect(ids(await read(id))).toHaveLength(3);
    expect(h.tokenCalls()).toBe(3);
    expect(h.messageCalls()).toHaveLength(12);
  });

  for (const invalidTokenStatus of [200, 400, 401] as const) {
    it(`refreshes once and retries when the vendor says the token is invalid (HTTP ${invalidTokenStatus})`, async () => {
      h = await startWeizhipinHarness({
        chats: new Map([['open_id:ou_tok', chat]]),
        emulator: { invalidTokenStatus },
        config: { windowConcurrency: 1 },
      });
      const id = await h.chatId('open_id:ou_tok');
      expect(ids(await read(id))).toHaveLength(3);
      expect(h.tokenCalls()).toBe(1);

      h.emulator.revokeTokens();
      expect(ids(await read(id))).toEqual(['tok-3~', 'tok-2~', 'tok-1~']);
      expect(h.tokenCalls()).toBe(2);
      // 3 windows before; then the first window once rejected and once retried, and 2 more.
      expect(h.messageCalls()).toHaveLength(3 + 4);
    });
  }

  it('one refresh for many calls rejected at once', async () => {
    h = await startWeizhipinHarness({ chats: threeChats(), emulator: { waves: [3, 3] } });
    expect(await readThree()).toEqual([['tok-1~'], ['tok-1~'], ['tok-1~']]);
    h.emulator.revokeTokens();
    h.emulator.resetStats();
    expect(await readThree()).toEqual([['tok-1~'], ['tok-1~'], ['tok-1~']]);
    expect(h.tokenCalls()).toBe(2);
    // Three rejected, three retried.
    expect(h.emulator.messageCalls).toBe(6);
    expect(h.emulator.maxMessageCallsInFlight).toBe(3);
  });

  it('gives up after one refresh when the vendor keeps rejecting, without leaking credentials', async () => {
    const { logger, lines } = capturingLogger();
    h = await startWeizhipinHarness({
      chats: new Map([['open_id:ou_tok', chat]]),
      config: { windowConcurrency: 1 },
      logger,
    });
    const id = await h.chatId('open_id:ou_tok');
    h.emulator.rejectTokens = true;
    const result = await read(id);
    expect(result.errors?.[0]?.extensions?.code).toBe('VENDOR_AUTH_FAILED');
    expect(h.tokenCalls()).toBe(2);
    expect(h.messageCalls()).toHaveLength(2);
    const everything = JSON.stringify(result) + lines.join('');
    expect(everything).not.toContain(APP_SECRET);
    expect(everything).not.toContain('t-sandbox');
  });

  it('reports refused app credentials as VENDOR_AUTH_FAILED without the secret', async () => {
    const { logger, lines } = capturingLogger();
    h = await startWeizhipinHarness({
      chats: new Map([['open_id:ou_tok', chat]]),
      config: { appSecret: `${APP_SECRET}-wrong` },
      logger,
    });
    const result = await read(await h.chatId('open_id:ou_tok'));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', vendorCode: 10014 });
    expect(h.messageCalls()).toHaveLength(0);
    const everything = JSON.stringify(result) + lines.join('');
    expect(everything).not.toContain(APP_SECRET);
  });
});
