import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { encodeNodeId } from '../../src/ids.js';
import { silentLogger } from '../../src/logger.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { memoryMessage, memorySource } from '../helpers/memory-source.js';

const messages = Array.from({ length: 30 }, (_, i) =>
  memoryMessage(`m${30 - i}`, 1_700_000_000_000 - i * 1000),
);
const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });
const PAGE = `query ($id: ID!) { conversation(id: $id) { messages(first: 5) { edges { node { id } } } } }`;

function api() {
  const source = memorySource({ messages, paging: 'anchor' });
  const app = createApp({
    sources: [source],
    cursorSecret: 'test-cursor-secret-0123456789',
    logger: silentLogger(),
  });
  const yoga = createChatgraphYoga(app, { graphiql: false });
  const post = async (query: string) => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { id } }),
    });
    return (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  };
  return { source, post };
}

describe('useOperationEnd', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The operation's deadline timer held its loaders, and every page they read, for the whole
  // `requestTimeoutMs` after the answer was out.
  it("clears the operation's deadline timer once its result is out", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { source, post } = api();
    const before = vi.getTimerCount();
    const page = await post(PAGE);
    expect(page.errors).toBeUndefined();
    expect(source.calls).toBe(1);
    expect(vi.getTimerCount()).toBe(before);
  });

  it('clears it when the operation fails too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { post } = api();
    const before = vi.getTimerCount();
    const refused = await post(PAGE.replace('first: 5', 'first: -1'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_ARGUMENT');
    expect(vi.getTimerCount()).toBe(before);
  });
});
