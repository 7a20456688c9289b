/** API keys: no key, no data; a scoped key sees its sources only, through every path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const SHOP_KEY = 'shop-only-key-0123456789abcdef';
const ALL_KEY = 'all-sources-key-0123456789abcdef';
const shop = { authorization: `Bearer ${SHOP_KEY}` };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE', 'AIRUDDER'],
    secrets: [SHOP_KEY, ALL_KEY],
    policy: {
      clients: [
        { name: 'shop-console', keyHash: hashApiKey(SHOP_KEY), sources: new Set(['wechat-store']) },
        { name: 'compliance', keyHash: hashApiKey(ALL_KEY), sources: null },
      ],
    },
  });
});
afterAll(() => h.close());

const botSession = encodeNodeId({
  kind: 'Conversation',
  source: 'airudder',
  conversation: '7738ff156ad12075578af25c84908567',
});

async function status(headers: Record<string, string>): Promise<number> {
  const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ sources { name } }' }),
  });
  return response.status;
}

describe('API keys', () => {
  it('turn away a request without a valid key with 401 UNAUTHENTICATED', async () => {
    expect(await status({})).toBe(401);
    expect(await status({ authorization: 'Bearer not-a-key' })).toBe(401);
    expect(await status({ authorization: `Basic ${SHOP_KEY}` })).toBe(401);
    const result = await h.query('{ sources { name } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data).toBeUndefined();
  });

  it('accept a key as a bearer token or as X-API-Key', async () => {
    expect(await status(shop)).toBe(200);
    expect(await status({ 'x-api-key': ALL_KEY })).toBe(200);
  });

  it('show a scoped key its own sources only', async () => {
    expect((await h.query('{ sources { name } }', {}, shop)).data).toEqual({
      sources: [{ name: 'wechat-store' }],
    });
    expect((await h.query('{ sources { name } }', {}, { 'x-api-key': ALL_KEY })).data).toEqual({
      sources: [{ name: 'wechat-store' }, { name: 'airudder' }],
    });
  });

  it('never let a scoped key reach another source by name, id, node or cursor', async () => {
    h.calls('AIRUDDER').reset();
    const byName = await h.query('{ source(name: "airudder") { name } }', {}, shop);
    expect(byName.errors?.[0]?.extensions?.code).toBe('UNKNOWN_SOURCE');

    const byId = await h.query(
      'query($id: ID!) { conversation(id: $id) { messages { edges { cursor } } } }',
      { id: botSession },
      shop,
    );
    expect(byId.errors?.[0]?.extensions?.code).toBe('UNKNOWN_SOURCE');

    // Ids and cursors the other key was given are useless to this one.
    const page = await h.query<{
      conversation: { messages: { edges: Array<{ cursor: string; node: { id: string } }> } };
    }>(
      'query($id: ID!) { conversation(id: $id) { messages(first: 2) { edges { cursor node { id } } } } }',
      { id: botSession },
      { 'x-api-key': ALL_KEY },
    );
    const edge = page.data?.conversation.messages.edges[0];
    expect(edge).toBeDefined();
    const callsSoFar = h.calls('AIRUDDER').count;
    const viaNodes = await h.query(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: [edge?.node.id, botSession] },
      shop,
    );
    expect(viaNodes.data).toEqual({ nodes: [null, null] });
    expect(viaNodes.errors?.map((e) => e.extensions?.code)).toEqual(['UNKNOWN_SOURCE', 'UNKNOWN_SOURCE']);
    const viaCursor = await h.query(
      'query($id: ID!, $after: String) { conversation(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }',
      { id: botSession, after: edge?.cursor },
      shop,
    );
    expect(viaCursor.errors?.[0]?.extensions?.code).toBe('UNKNOWN_SOURCE');
    // Nothing the scoped key asked for reached the other vendor.
    expect(h.calls('AIRUDDER').count).toBe(callsSoFar);
  });
});
