/**
 * A fifth vendor, registered the way every vendor is: one definition (test/helpers/toy-vendor/),
 * one line, `[...VENDORS, toy]`, passed to the schema, the app, the sandbox and the configuration.
 * It runs the shared vendor suite, and answers GraphQL with its own types.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { encodeNodeId } from '../../src/ids.js';
import { createSchema } from '../../src/schema/index.js';
import { VENDORS } from '../../src/sources/index.js';
import { startHarness } from '../helpers/harness.js';
import { toy } from '../helpers/toy-vendor/index.js';
import { vendorSuite } from '../helpers/vendor-suite.js';

const REGISTRY = [...VENDORS, toy];

vendorSuite(toy, { registry: REGISTRY });

describe('a toy fifth vendor, registered in one line', () => {
  it('has its types and its enum value in the schema, and only there', async () => {
    const { printSchema } = await import('graphql');
    const withToy = printSchema(createSchema(REGISTRY).schema);
    expect(withToy).toContain('type ToyMessage implements Message & Node');
    expect(withToy).toContain('union ToyContent = TextContent | UnsupportedContent');
    expect(withToy).toMatch(/enum Vendor \{[^}]*\bTOY\b/);
    expect(printSchema(createSchema(VENDORS).schema)).not.toContain('Toy');
  });

  it('is configured like any vendor, its secret resolved from the environment', () => {
    const doc = {
      cursorSecret: { env: 'CURSOR_SECRET' },
      allowOpen: true,
      sources: [{ vendor: 'TOY', name: 'toy', baseUrl: 'http://127.0.0.1:9', token: { env: 'TOY_TOKEN' } }],
    };
    const env = { CURSOR_SECRET: 'a-cursor-secret-of-32-characters', TOY_TOKEN: 'toy-token' };
    expect(() => parseConfig(doc, env, 'test', VENDORS)).toThrow(/vendor/);
    expect(parseConfig(doc, env, 'test', REGISTRY).sources).toEqual([
      { vendor: 'TOY', name: 'toy', baseUrl: 'http://127.0.0.1:9', token: 'toy-token' },
    ]);
  });

  it('answers a GraphQL query through yoga.fetch, with its own message type', async () => {
    const h = await startHarness({ vendors: ['TOY'], registry: REGISTRY });
    try {
      const result = await h.query<{
        conversation: {
          __typename: string;
          messages: { edges: Array<{ node: Record<string, unknown> }>; pageInfo: { hasNextPage: boolean } };
        };
      }>(
        `query($id: ID!) { conversation(id: $id) { __typename messages(first: 3) {
          edges { node { __typename externalId vendor ... on ToyMessage { from content { __typename ... on TextContent { text } } } } }
          pageInfo { hasNextPage } } } }`,
        { id: encodeNodeId({ kind: 'Conversation', source: 'toy', conversation: 'toy-short' }) },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.conversation.__typename).toBe('ToyConversation');
      expect(result.data?.conversation.messages).toEqual({
        edges: [7, 6, 5].map((n, i) => ({
          node: {
            __typename: 'ToyMessage',
            externalId: `short-${n}`,
            vendor: 'TOY',
            from: i === 0 ? 'agent' : 'customer',
            content: { __typename: 'TextContent', text: `short message ${n}` },
          },
        })),
        pageInfo: { hasNextPage: true },
      });
      // first: 3 asks for one more: one vendor call.
      expect(h.calls('TOY').count).toBe(1);
    } finally {
      await h.close();
    }
  });
});
