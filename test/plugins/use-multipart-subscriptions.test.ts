/**
 * `useMultipartSubscriptions` alone on a bare Yoga: the parts it writes, the heartbeat's `{}` while
 * nothing else comes, and what it stops when the stream ends or the client leaves. The heartbeat
 * runs on a schedule the test drives (`every`), so beats are counted, not waited for.
 * Apollo Client's own `HttpLink` over this plugin is tested in test/live/transports.test.ts.
 */
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import {
  type Every,
  HEARTBEAT_MS,
  useMultipartSubscriptions,
} from '../../src/plugins/use-multipart-subscriptions.js';

/** A subscription's source the test feeds: `push` a value, `end` it; `returned` once released. */
function feed() {
  const waiting: Array<(result: IteratorResult<number>) => void> = [];
  const queued: IteratorResult<number>[] = [];
  const state = { returned: false };
  const settle = (result: IteratorResult<number>) => {
    const take = waiting.shift();
    if (take) take(result);
    else queued.push(result);
  };
  const iterable: AsyncIterableIterator<number> = {
    next: () => {
      const ready = queued.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    return: () => {
      state.returned = true;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterable;
    },
  };
  return {
    iterable,
    state,
    push: (value: number) => settle({ done: false, value }),
    end: () => settle({ done: true, value: undefined }),
  };
}

/** A heartbeat schedule the test drives: `beat()` is one tick; `stopped` once it was stopped. */
function manualSchedule() {
  const beats: Array<() => void> = [];
  const state = { stopped: false, intervals: [] as number[] };
  const every: Every = (beat, ms) => {
    beats.push(beat);
    state.intervals.push(ms);
    return () => {
      state.stopped = true;
    };
  };
  return { every, state, beat: () => beats.at(-1)?.() };
}

function start() {
  const source = feed();
  const schedule = manualSchedule();
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean } type Subscription { n: Int! }',
      resolvers: {
        Subscription: { n: { subscribe: () => source.iterable, resolve: (value: number) => value } },
      },
    }),
    plugins: [useMultipartSubscriptions({ every: schedule.every }) as Plugin],
    logging: false,
  });
  return { yoga, source, schedule };
}

const part = (json: string) =>
  `\r\n--graphql\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}`;

async function subscribe(yoga: ReturnType<typeof start>['yoga']) {
  const response = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json',
    },
    body: JSON.stringify({ query: 'subscription { n }' }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let received = '';
  let checked = 0;
  /**
   * The response carries `text` next: read until it could have, then compare. Parts written one
   * after the other may arrive in one chunk, so the text is compared, not the chunks.
   */
  const expectNext = async (text: string) => {
    while (received.length < checked + text.length) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received.slice(checked, checked + text.length)).toBe(text);
    checked += text.length;
  };
  const expectEnd = async () => {
    expect(received.slice(checked)).toBe('');
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  };
  return { response, reader, expectNext, expectEnd };
}

describe('useMultipartSubscriptions', () => {
  it('writes a heartbeat part on each beat while nothing else comes, among the payloads', async () => {
    const { yoga, source, schedule } = start();
    const { response, expectNext } = await subscribe(yoga);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'multipart/mixed;boundary="graphql";subscriptionSpec=1.0',
    );
    await expectNext(part('{}'));
    expect(schedule.state.intervals).toEqual([HEARTBEAT_MS]);
    schedule.beat();
    await expectNext(part('{}'));
    source.push(1);
    await expectNext(part('{"payload":{"data":{"n":1}}}'));
    schedule.beat();
    schedule.beat();
    await expectNext(part('{}'));
    await expectNext(part('{}'));
    source.push(2);
    await expectNext(part('{"payload":{"data":{"n":2}}}'));
    expect(schedule.state.stopped).toBe(false);
  });

  it('closes with the final boundary when the subscription ends, and stops the heartbeat', async () => {
    const { yoga, source, schedule } = start();
    const { expectNext, expectEnd } = await subscribe(yoga);
    await expectNext(part('{}'));
    source.end();
    await expectNext('\r\n--graphql--\r\n');
    await expectEnd();
    expect(schedule.state.stopped).toBe(true);
  });

  it('stops the heartbeat and releases the subscription when the client leaves', async () => {
    const { yoga, source, schedule } = start();
    const { reader, expectNext } = await subscribe(yoga);
    await expectNext(part('{}'));
    await reader.cancel();
    expect(schedule.state.stopped).toBe(true);
    expect(source.state.returned).toBe(true);
    // A beat that was already due when the client left writes nothing and throws nothing.
    expect(() => schedule.beat()).not.toThrow();
  });

  it('leaves a request that does not ask for multipart to Yoga', async () => {
    const { yoga, schedule } = start();
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { n }' }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(':\n\n');
    await reader.cancel();
    expect(schedule.state.intervals).toEqual([]);
  });
});
