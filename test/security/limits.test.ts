/** Limits against abuse: depth, aliases, the vendor calls an operation plans and makes, body size. */

import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { operationCost } from '../../src/resolvers/cost.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    policy: {
      maxDepth: 8,
      maxAliases: 5,
      maxPlannedVendorCalls: 40,
      maxVendorCalls: 20,
      maxSelections: 100,
      maxBodyBytes: 4_096,
    },
  });
});
afterAll(() => h.close());

const room = (n: number) =>
  encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: `room-${n}` });
const LONG = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: 'sandbox-long' });

describe('the planned cost of an operation', () => {
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(parse(query), { variables, vendorPageSize: 50, sourceCount: 3 });

  it('counts vendor pages per messages field, times how often the field runs', () => {
    expect(cost('{ conversation(id: "x") { messages { edges { cursor } } } }').vendorCalls).toBe(1);
    expect(cost('{ conversation(id: "x") { messages(first: 100) { edges { cursor } } } }').vendorCalls).toBe(
      3,
    );
    const ids = Array.from({ length: 20 }, (_, n) => room(n));
    expect(
      cost(
        'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }',
        { ids },
      ).vendorCalls,
    ).toBe(20 + 20 * 3);
    // An inner page runs once per edge of the outer one.
    expect(
      cost(
        `{ conversation(id: "x") { messages(first: 10) { edges { node { conversation { messages(last: $n) { pageInfo { hasNextPage } } } } } } } }`,
        {
          n: 60,
        },
      ).vendorCalls,
    ).toBe(1 + 10 * 2);
    expect(
      cost(
        '{ sources { conversation(externalId: "a") { messages(first: 20) { pageInfo { hasNextPage } } } } }',
      ).vendorCalls,
    ).toBe(3);
    // What a federation gateway sends for twenty conversations.
    const representations = Array.from({ length: 20 }, (_, n) => ({
      __typename: 'Conversation',
      id: room(n),
    }));
    expect(
      cost(
        'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }',
        { representations },
      ).vendorCalls,
    ).toBe(20 + 20 * 3);
  });

  it('counts depth and aliases through fragments', () => {
    const result = cost(`
      query { a: conversation(id: "x") { ...F } b: conversation(id: "y") { ...F } }
      fragment F on Conversation { messages { edges { node { sender { role } } } } }`);
    expect(result).toMatchObject({ depth: 6, aliases: 2, vendorCalls: 2, selections: 12 });
  });
});

describe('limits', () => {
  const code = async (query: string, variables?: Record<string, unknown>) => {
    const result = await h.query(query, variables);
    return { code: result.errors?.[0]?.extensions?.code, extensions: result.errors?.[0]?.extensions };
  };

  it('reject a query that is too deep, or has too many aliases, before any vendor call', async () => {
    h.calls('WECHAT_STORE').reset();
    const deep = await code(
      `query($id: ID!) { conversation(id: $id) { messages { edges { node { conversation { messages { edges { node { conversation { id } } } } } } } } } }`,
      { id: LONG },
    );
    expect(deep).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      extensions: { code: 'QUERY_TOO_COMPLEX', kind: 'depth', limit: 8, actual: 10 },
    });
    const aliases = await code(
      `{ a: sources { name } b: sources { name } c: sources { name } d: sources { name } e: sources { name } f: sources { name } }`,
    );
    expect(aliases.extensions).toMatchObject({ kind: 'aliases', limit: 5, actual: 6 });
    expect(h.calls('WECHAT_STORE').count).toBe(0);
  });

  it('reject first: 100 on twenty conversations by its vendor calls, not as one call', async () => {
    h.calls('WECHAT_STORE').reset();
    const ids = Array.from({ length: 20 }, (_, n) => room(n));
    const result = await code(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }',
      { ids },
    );
    expect(result.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      kind: 'vendorCalls',
      limit: 40,
      actual: 80,
    });
    expect(h.calls('WECHAT_STORE').count).toBe(0);
    // Two of them fit.
    const fits = await h.query(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }',
      {
        ids: ids.slice(0, 2),
      },
    );
    expect(fits.errors).toBeUndefined();
  });

  it('plan each request by its own variables, however often the same document came before', async () => {
    // The planned cost is remembered per document and variables: a document first accepted with
    // small variables is still refused with large ones, and accepted again after.
    const query =
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }';
    const ids = Array.from({ length: 20 }, (_, n) => room(n));
    for (const [count, refused] of [
      [2, false],
      [20, true],
      [2, false],
      [20, true],
    ] as const) {
      h.calls('WECHAT_STORE').reset();
      const result = await code(query, { ids: ids.slice(0, count) });
      expect(result.code, `${count} conversations`).toBe(refused ? 'QUERY_TOO_COMPLEX' : undefined);
      if (refused) expect(h.calls('WECHAT_STORE').count).toBe(0);
    }
  });

  it('count variable defaults: a list of ids or a page size given as a default is not one', async () => {
    h.calls('WECHAT_STORE').reset();
    const ids = JSON.stringify(Array.from({ length: 20 }, (_, n) => room(n)));
    const byDefault = await code(
      `query($ids: [ID!]! = ${ids}, $n: Int = 100) { nodes(ids: $ids) { ... on Conversation { messages(first: $n) { edges { cursor } } } } }`,
    );
    expect(byDefault.extensions).toMatchObject({ kind: 'vendorCalls', limit: 40, actual: 80 });
    expect(h.calls('WECHAT_STORE').count).toBe(0);
  });

  it('refuse fragments that spread each other twice by what they expand to, before running them', async () => {
    h.calls('WECHAT_STORE').reset();
    const levels = 22;
    const fragments = Array.from({ length: levels }, (_, n) =>
      n === levels - 1
        ? `fragment F${n} on Query { sources { name } }`
        : `fragment F${n} on Query { ...F${n + 1} ...F${n + 1} }`,
    ).join(' ');
    const result = await code(`query { ...F0 } ${fragments}`);
    expect(result.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      kind: 'selections',
      actual: 2 ** 22,
    });
    expect(h.calls('WECHAT_STORE').count).toBe(0);
  });

  it('refuse too many selections before the validation rules run (they compare fields pairwise)', async () => {
    // An unknown field too: validation would have refused it, the limit answers first.
    const result = await code(`{ nope ${'sources { name } '.repeat(200)} }`);
    expect(result.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      kind: 'selections',
      limit: 100,
      actual: 401,
    });
    // Every operation of a document is checked, whichever the request names: validation covers
    // them all.
    const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query Small { sources { name } } query Big { ${'sources { name } '.repeat(60)} }`,
        operationName: 'Small',
      }),
    });
    expect((await response.json()).errors[0].extensions).toMatchObject({ kind: 'selections', actual: 120 });
  });

  /** A document posted with `accept`: the answer's status and body. */
  const post = async (query: string, accept = 'application/graphql-response+json', variables = {}) => {
    const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answer documents nested thousands deep with a typed 400, never a 500', async () => {
    // Within the body limit (4 KB here): a thousand levels deep.
    const selections = await post(`{ sources ${'{a'.repeat(1_000)}${'}'.repeat(1_000)} }`);
    expect(selections.status).toBe(400);
    expect(selections.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      kind: 'nesting',
      limit: 100,
      actual: 101,
    });
    const literal = await post(`{ nodes(ids: ${'['.repeat(1_000)}${']'.repeat(1_000)}) { id } }`);
    expect(literal.status).toBe(400);
    expect(literal.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', kind: 'nesting' });
    // Braces in strings and comments are not nesting.
    const quoted = await post(`{ source(name: "${'{'.repeat(500)}") { name } } # ${'['.repeat(500)}`);
    expect(quoted.body.errors[0].extensions.code).toBe('UNKNOWN_SOURCE');
  });

  it('answer a refused document as one that does not validate: 400, or 200 to legacy application/json', async () => {
    const ids = Array.from({ length: 20 }, (_, n) => room(n));
    const refused = {
      // Before parsing, after it (the shape limits) and before running (the planned vendor calls).
      nesting: [`{ sources ${'{a'.repeat(200)}${'}'.repeat(200)} }`, {}],
      aliases: [
        '{ a: sources { name } b: sources { name } c: sources { name } d: sources { name } e: sources { name } f: sources { name } }',
        {},
      ],
      vendorCalls: [
        'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Conversation { messages(first: 100) { edges { cursor } } } } }',
        { ids },
      ],
      // Yoga's own: a document that does not validate.
      GRAPHQL_VALIDATION_FAILED: ['{ nope }', {}],
    } as const;
    const answers = async (accept: string) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(refused).map(async ([kind, [query, variables]]) => {
            const { status, body } = await post(query, accept, variables);
            const { code, kind: limit } = body.errors[0].extensions;
            return [kind, `${status} ${code}${limit ? ` ${limit}` : ''}`];
          }),
        ),
      );
    expect(await answers('application/graphql-response+json')).toEqual({
      nesting: '400 QUERY_TOO_COMPLEX nesting',
      aliases: '400 QUERY_TOO_COMPLEX aliases',
      vendorCalls: '400 QUERY_TOO_COMPLEX vendorCalls',
      GRAPHQL_VALIDATION_FAILED: '400 GRAPHQL_VALIDATION_FAILED',
    });
    expect(await answers('application/json')).toEqual({
      nesting: '200 QUERY_TOO_COMPLEX nesting',
      aliases: '200 QUERY_TOO_COMPLEX aliases',
      vendorCalls: '200 QUERY_TOO_COMPLEX vendorCalls',
      GRAPHQL_VALIDATION_FAILED: '200 GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('stop parsing a document after maxTokens tokens, with GRAPHQL_PARSE_FAILED', async () => {
    const small = await startHarness({ vendors: ['WECHAT_STORE'], policy: { maxTokens: 200 } });
    try {
      const result = await small.query(`{ ${'sources { name } '.repeat(60)} }`);
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(result.errors?.[0]?.message).toMatch(/200 tokens/);
      expect((await small.query('{ sources { name } }')).data).toEqual({
        sources: [{ name: 'wechat-store' }],
      });
    } finally {
      await small.close();
    }
  });

  it('stop an operation whose SCAN needs more vendor calls than allowed', async () => {
    h.calls('WECHAT_STORE').reset();
    // last: 10 on 5,200 messages reads down from the newest: ~105 vendor pages.
    const result = await h.query(
      'query($id: ID!) { conversation(id: $id) { messages(last: 10) { edges { cursor } } } }',
      { id: LONG },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      kind: 'vendorCalls',
      limit: 20,
    });
    expect(h.calls('WECHAT_STORE').count).toBe(20);
  });

  it('refuse a request body over the limit, declared or streamed', async () => {
    const big = JSON.stringify({ query: `{ sources { name } } # ${'x'.repeat(5_000)}` });
    const declared = await h.yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    const streamed = await h.yoga.fetch('http://chatgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const small = await h.query('{ sources { name } }');
    expect(small.data).toEqual({ sources: [{ name: 'wechat-store' }] });
  });
});
