/**
 * Subscriptions in tests: `messageAdded` over Yoga's own SSE (in-process `yoga.fetch`), read event
 * by event. Nothing here waits on a timer: a read resolves when the server sends the event.
 */
import type { ExecutionResult } from 'graphql';
import type { Harness } from './harness.js';

export const MESSAGE_ADDED = /* GraphQL */ `
  subscription Live($id: ID!, $after: String) {
    messageAdded(conversationId: $id, after: $after) {
      cursor
      node { externalId text }
    }
  }
`;

export interface LiveEdge {
  cursor: string;
  node: { externalId: string; text: string | null };
}

export interface EventStream<T> {
  /** The next `count` results, in order. */
  next(count?: number): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens an SSE subscription in-process and reads its `next` events' payloads. */
export async function sse<T = ExecutionResult<{ messageAdded: LiveEdge }>>(
  harness: Harness,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<EventStream<T>> {
  return sseOver(
    async (url, init) => harness.yoga.fetch(url, init),
    'http://chatgraph.test/graphql',
    query,
    variables,
    headers,
  );
}

/** Opens an SSE subscription at `url` through `fetchFn` and reads its `next` events' payloads. */
export async function sseOver<T = ExecutionResult<{ messageAdded: LiveEdge }>>(
  fetchFn: (url: string, init: RequestInit) => Promise<Response>,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<EventStream<T>> {
  const controller = new AbortController();
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (!response.body) throw new Error(`No event stream (HTTP ${response.status}).`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const results: T[] = [];
  const readOne = async (): Promise<T> => {
    for (;;) {
      const result = results.shift();
      if (result !== undefined) return result;
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (/^event: next$/m.test(event) && data) results.push(JSON.parse(data) as T);
        else if (/^event: complete$/m.test(event)) throw new Error('The subscription completed.');
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('The event stream ended.');
      buffered += value;
    }
  };
  return {
    async next(count = 1) {
      const out: T[] = [];
      while (out.length < count) out.push(await readOne());
      return out;
    },
    async close() {
      controller.abort();
      await reader.cancel().catch(() => {});
    },
  };
}
