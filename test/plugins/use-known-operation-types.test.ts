import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: [] });
});
afterAll(() => h?.close());

async function post(query: string, accept: string) {
  const response = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

const REFUSED = {
  errors: [
    {
      message: 'This API has no mutations; it runs queries and subscriptions.',
      locations: [{ line: 1, column: 1 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ],
};

describe('useKnownOperationTypes', () => {
  it('refuses an operation type the schema does not have as a document that does not validate', async () => {
    expect(await post('mutation { sources { name } }', 'application/graphql-response+json')).toEqual({
      status: 400,
      body: REFUSED,
    });
    expect(await post('mutation { sources { name } }', 'application/json')).toEqual({
      status: 200,
      body: REFUSED,
    });
  });

  it('lets queries and subscriptions through', async () => {
    expect(await post('{ __typename }', 'application/json')).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
  });
});
