import { GraphQLError, type ValidationRule } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useValidationCache } from '../../src/plugins/use-validation-cache.js';

/** A rule some requests get (as `useSubgraphSdlGate` adds one): no field named `secret`. */
const NoSecret: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === 'secret') context.reportError(new GraphQLError('No secret.', { nodes: node }));
  },
});

function api() {
  let validations = 0;
  const counting: Plugin = {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args: Parameters<typeof validateFn>) => {
        validations++;
        return validateFn(...args);
      });
    },
  };
  const gate: Plugin = {
    onValidate({ context, addValidationRule }) {
      if ((context as { request: Request }).request.headers.get('x-gate') === 'on')
        addValidationRule(NoSecret);
    },
  };
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String, secret: String }' }),
    plugins: [counting, gate, useValidationCache() as Plugin],
    parserAndValidationCache: { validationCache: false },
    logging: false,
  });
  const post = async (query: string, gated = false) => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(gated ? { 'x-gate': 'on' } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
  };
  return { post, validations: () => validations };
}

describe('useValidationCache', () => {
  it('validates a repeated document once per list of rules', async () => {
    const { post, validations } = api();
    expect(await post('{ hello }')).toEqual({ data: { hello: null } });
    expect(await post('{ hello }')).toEqual({ data: { hello: null } });
    expect(validations()).toBe(1);
    expect(await post('{ hello }', true)).toEqual({ data: { hello: null } });
    expect(await post('{ hello }', true)).toEqual({ data: { hello: null } });
    expect(validations()).toBe(2);
    expect(await post('{ hello secret }')).toEqual({ data: { hello: null, secret: null } });
    expect(validations()).toBe(3);
  });

  it('never hands a result to a request validated under other rules', async () => {
    const { post, validations } = api();
    for (let round = 0; round < 2; round++) {
      expect(await post('{ secret }')).toEqual({ data: { secret: null } });
      expect((await post('{ secret }', true)).errors?.map((error) => error.message)).toEqual(['No secret.']);
    }
    expect(validations()).toBe(2);
  });

  it('keeps failed validations too', async () => {
    const { post, validations } = api();
    for (let round = 0; round < 3; round++) {
      expect((await post('{ nope }')).errors?.map((error) => error.message)).toEqual([
        'Cannot query field "nope" on type "Query".',
      ]);
    }
    expect(validations()).toBe(1);
  });
});
