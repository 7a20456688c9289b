/** Edge cursors are signed only when a query reads them, and each once. */
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { encodeNodeId } from '../../src/ids.js';
import { silentLogger } from '../../src/logger.js';
import type { Position } from '../../src/model/index.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { memoryMessage, memorySource } from '../helpers/memory-source.js';

const messages = Array.from({ length: 12 }, (_, i) =>
  memoryMessage(`m${12 - i}`, 1_700_000_000_000 - i * 1000),
);
const id = encodeNodeId({ kind: 'Conversation', source: 'memory', conversation: 'c' });

async function signatures(selection: string): Promise<{ signed: number; data: unknown }> {
  const app = createApp({
    sources: [memorySource({ messages, paging: 'anchor' })],
    cursorSecret: 'test-cursor-secret-0123456789',
    logger: silentLogger(),
  });
  let signed = 0;
  const encoder = app.cursors.encoder.bind(app.cursors);
  vi.spyOn(app.cursors, 'encoder').mockImplementation((scope) => {
    const sign = encoder(scope);
    return (position: Position) => {
      signed++;
      return sign(position);
    };
  });
  const response = await createChatgraphYoga(app, { graphiql: false }).fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($id: ID!) { conversation(id: $id) { messages(first: 5) { ${selection} } } }`,
      variables: { id },
    }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return { signed, data: body.data };
}

describe('edge cursors', () => {
  it('signs none when the query selects no cursor', async () => {
    const { signed, data } = await signatures('edges { node { id } }');
    expect(signed).toBe(0);
    expect(JSON.stringify(data)).toContain('"id"');
  });

  it('signs each edge once, pageInfo reusing the edges at its ends', async () => {
    const { signed } = await signatures('edges { cursor node { id } } pageInfo { startCursor endCursor }');
    expect(signed).toBe(5);
  });

  it('signs only the end pageInfo asks for', async () => {
    const { signed } = await signatures('pageInfo { hasNextPage endCursor }');
    expect(signed).toBe(1);
  });
});
