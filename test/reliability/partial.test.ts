/** One failing source or conversation errors its own field; the rest of the query resolves. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE', 'AIRUDDER'],
    // AIRUDDER's source is configured with a key its vendor refuses.
    configure: (configs) =>
      configs.map((config) =>
        config.vendor === 'AIRUDDER' ? { ...config, signKey: 'a-key-the-vendor-refuses' } : config,
      ),
  });
});
afterAll(() => h.close());

describe('partial results', () => {
  it('answer the healthy source and type the failing one on its own field', async () => {
    const shop = encodeNodeId({
      kind: 'Conversation',
      source: 'wechat-store',
      conversation: '4370405345218887686',
    });
    const bot = encodeNodeId({
      kind: 'Conversation',
      source: 'airudder',
      conversation: '7738ff156ad12075578af25c84908567',
    });
    const result = await h.query<{
      shop: { messages: { edges: unknown[] } } | null;
      bot: { messages: { edges: unknown[] } } | null;
      sources: Array<{ name: string }>;
    }>(
      `query($shop: ID!, $bot: ID!) {
        shop: conversation(id: $shop) { messages(first: 3) { edges { cursor } } }
        bot: conversation(id: $bot) { messages(first: 3) { edges { cursor } } }
        sources { name }
      }`,
      { shop, bot },
    );
    expect(result.data?.shop?.messages.edges).toHaveLength(3);
    expect(result.data?.bot).toBeNull();
    expect(result.data?.sources).toEqual([{ name: 'wechat-store' }, { name: 'airudder' }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path).toEqual(['bot', 'messages']);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', source: 'airudder' });
  });
});
