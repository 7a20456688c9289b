/** Compiled execution answers as graphql-js would: field order, error locations, error codes. */
import type { CompiledQuery } from 'graphql-jit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledDocuments } from '../../src/plugins/compiled-documents.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ['WECHAT_STORE'] });
});
afterAll(() => h.close());

async function raw(query: string, variables?: Record<string, unknown>): Promise<string> {
  const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return response.text();
}

describe('compiled execution', () => {
  it('compiles each operation of a document once, whichever the requests alternate between', async () => {
    const query = 'query A { a: __typename } query B { b: __typename }';
    const run = async (operationName: string) => {
      const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName }),
      });
      return response.text();
    };
    const compilations = h.app.compiledDocuments.compilations;
    for (let round = 0; round < 3; round++) {
      expect(await run('A')).toBe('{"data":{"a":"Query"}}');
      expect(await run('B')).toBe('{"data":{"b":"Query"}}');
    }
    expect(h.app.compiledDocuments.compilations).toBe(compilations + 2);
  });

  it('answers fields in the order the query asks for them, whatever resolves first', async () => {
    // `pageInfo` settles before the edges' cursors are signed; the answer must still list
    // `edges` first, as the query does (the spec's ordered map; typed clients rely on it).
    const query = `{
      source(name: "wechat-store") {
        zz: name
        conversation(externalId: "sandbox-long") {
          messages(first: 2) { edges { cursor node { sentAt id } } pageInfo { hasNextPage } }
          aa: externalId
        }
      }
    }`;
    // The first run is uncompiled (graphql-js), the second compiled: the same answer, byte for byte.
    const compilations = h.app.compiledDocuments.compilations;
    const text = await raw(query);
    expect(await raw(query)).toBe(text);
    expect(h.app.compiledDocuments.compilations).toBe(compilations + 1);
    const keys = [...text.matchAll(/"(\w+)":/g)].map((match) => match[1]);
    expect(keys).toEqual([
      'data',
      'source',
      'zz',
      'conversation',
      'messages',
      'edges',
      'cursor',
      'node',
      'sentAt',
      'id',
      'cursor',
      'node',
      'sentAt',
      'id',
      'pageInfo',
      'hasNextPage',
      'aa',
    ]);
  });

  it('points execution errors at the field in the query text, with their code', async () => {
    const query = `query Broken {
  source(name: "wechat-store") {
    conversation(externalId: "sandbox-long") {
        messages(first: 1, after: "forged") { edges { cursor } }
    }
  }
}`;
    const body = JSON.parse(await raw(query));
    expect(body.errors).toEqual([
      {
        message:
          'The cursor is not valid here: it was altered, or issued for another conversation or filter (after changing the filter, page again from the start).',
        locations: [{ line: 4, column: 9 }],
        path: ['source', 'conversation', 'messages'],
        extensions: { code: 'INVALID_CURSOR' },
      },
    ]);
  });

  it('points variable errors at the variable, typed as the client input they are', async () => {
    const query = `query Page(
  $first: Int) {
  source(name: "wechat-store") {
    conversation(externalId: "sandbox-long") { messages(first: $first) { pageInfo { hasNextPage } } }
  }
}`;
    const body = JSON.parse(await raw(query, { first: 'ten' }));
    expect(body.errors).toEqual([
      expect.objectContaining({
        locations: [{ line: 2, column: 3 }],
        extensions: { code: 'INVALID_ARGUMENT' },
      }),
    ]);
  });
});

describe('the compile budget', () => {
  const nested = (levels: number, alias = 'id') => {
    let inner = `${alias}: id`;
    for (let level = 0; level < levels; level++) {
      inner = `conversation { messages(first: 1) { edges { node { ${inner} } } } }`;
    }
    return `query($id: ID!) { node(id: $id) { ... on Message { ${inner} } } }`;
  };
  const message = async (query: string) => {
    const result = await h.query(query, { id: 'not-an-id' });
    return result.errors?.map((error) => error.extensions?.code);
  };

  it('runs a document too costly to compile uncompiled, every time, with the same answer', async () => {
    const cache = h.app.compiledDocuments;
    const before = { compilations: cache.compilations, uncompiled: cache.uncompiled };
    // Three levels of nested abstract selections: 14 fields, tens of thousands to compile.
    for (const alias of ['a', 'b', 'c']) expect(await message(nested(3, alias))).toEqual(['INVALID_ID']);
    expect(cache.compilations - before.compilations).toBe(0);
    expect(cache.uncompiled - before.uncompiled).toBe(3);
    // One level is cheap: compiled on its second run (the first tells nothing about reuse), then
    // reused.
    for (let run = 0; run < 3; run++) expect(await message(nested(1))).toEqual(['INVALID_ID']);
    expect(cache.compilations - before.compilations).toBe(1);
    expect(cache.uncompiled - before.uncompiled).toBe(4);
  });
});

describe('the compiled-document cache', () => {
  it('stays within its entries and bytes; compiles documents that repeat, within the per-minute budget', async () => {
    let now = 0;
    const cache = new CompiledDocuments({
      maxEntries: 3,
      maxBytes: 10_000,
      compileCostPerMinute: 600,
      compileAfter: 3,
      now: () => now,
    });
    const compiled = {} as CompiledQuery;
    for (let n = 0; n < 5; n++) cache.set(`doc-${n}`, compiled, 1_000);
    expect(cache.size).toBe(3);
    expect(cache.get('doc-0')).toBeUndefined();
    expect(cache.get('doc-4')).toBe(compiled);
    cache.set('big', compiled, 8_000);
    // The oldest goes to make room; doc-4, used last, stays.
    expect({
      size: cache.size,
      bytes: cache.bytes,
      doc2: cache.get('doc-2'),
      doc4: cache.get('doc-4'),
    }).toEqual({
      size: 3,
      bytes: 10_000,
      doc2: undefined,
      doc4: compiled,
    });
    cache.set('huge', compiled, 20_000);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBe(10_000);
    cache.set('bigger', compiled, 9_500);
    expect({ size: cache.size, bytes: cache.bytes }).toEqual({ size: 1, bytes: 9_500 });

    expect([cache.hot('a'), cache.hot('b'), cache.hot('a'), cache.hot('a')]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect([cache.takeBudget(400), cache.takeBudget(400), cache.takeBudget(200)]).toEqual([
      true,
      false,
      true,
    ]);
    now += 30_000;
    expect([cache.takeBudget(301), cache.takeBudget(300)]).toEqual([false, true]);
  });
});
