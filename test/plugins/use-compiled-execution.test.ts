/** Compiled execution answers as graphql-js would: field order, error locations, error codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('answers fields in the order the query asks for them, whatever resolves first', async () => {
    // `pageInfo` settles before the edges' cursors are signed; the answer must still list
    // `edges` first, as the query does (the spec's ordered map; typed clients rely on it).
    const text = await raw(`{
      source(name: "wechat-store") {
        zz: name
        conversation(externalId: "sandbox-long") {
          messages(first: 2) { edges { cursor node { sentAt id } } pageInfo { hasNextPage } }
          aa: externalId
        }
      }
    }`);
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
