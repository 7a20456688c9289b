/** The planned cost of an operation: variables as coerced, fragments expanded without expanding. */
import { getVariableValues, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../src/resolvers/cost.js';
import { createSchema } from '../../src/schema/index.js';

const { schema } = createSchema();

const costOf = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
  return operationCost(document, {
    variables: coerced.coerced ?? {},
    vendorPageSize: 50,
    sourceCount: 3,
    schema,
  });
};

/** Fragments F0…Fn, each spreading the next twice: 2^n copies of the innermost once expanded. */
function doublingFragments(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, n) =>
    n === levels - 1
      ? `fragment F${n} on Source { name }`
      : `fragment F${n} on Source { ...F${n + 1} a${n}: sources { ...F${n + 1} } }`,
  );
  return `query { sources { ...F0 } } ${fragments.join(' ')}`;
}

describe('operationCost', () => {
  it('counts variable defaults as the operation will see them', () => {
    const ids = Array.from({ length: 30 }, (_, n) => `id-${n}`);
    const page = (definition: string) =>
      `query(${definition}) { conversation(id: "x") { messages(first: $n) { edges { cursor } } } }`;
    expect(costOf(page('$n: Int = 100')).vendorCalls).toBe(3);
    expect(costOf(page('$n: Int = 100'), { n: 10 }).vendorCalls).toBe(1);
    expect(costOf(page('$n: Int'))).toMatchObject({ vendorCalls: 1 });
    const nodes = `query($ids: [ID!]! = ${JSON.stringify(ids)}) { nodes(ids: $ids) { id } }`;
    expect(costOf(nodes).vendorCalls).toBe(30);
    // A single id is coerced into a list of one, as the resolver sees it.
    expect(costOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: 'one' }).vendorCalls).toBe(1);
  });

  it('counts fragments that spread each other twice as what they expand to, in linear time', () => {
    const cost = costOf(doublingFragments(40));
    // 2^39 copies of `name`, plus the sources fields on the way down.
    expect(cost.selections).toBeGreaterThan(2 ** 39);
    expect(cost.aliases).toBeGreaterThan(2 ** 38);
    expect(cost.depth).toBe(41);
    expect(costOf(doublingFragments(3))).toMatchObject({ selections: 8, aliases: 3, depth: 4 });
  });

  it('counts the code graphql-jit would generate per possible type below abstract fields', () => {
    const concrete = costOf('{ sources { name } }');
    expect(concrete.compileCost).toBe(2);
    const types = schema.getPossibleTypes(schema.getType('Message') as never).length;
    const oneLevel = costOf('query($id: ID!) { node(id: $id) { ... on Message { id text } } }');
    // `node` once, then `id` and `text` for every message type (other node types match nothing).
    expect(oneLevel.compileCost).toBe(1 + 2 * types);
    expect(oneLevel.selections).toBe(3);
    const nested = (levels: number) => {
      let inner = 'id';
      for (let level = 0; level < levels; level++) {
        inner = `conversation { messages(first: 1) { edges { node { ${inner} } } } }`;
      }
      return `query($id: ID!) { node(id: $id) { ... on Message { ${inner} } } }`;
    };
    // Each level multiplies by the message and conversation types: small to read, costly to compile.
    expect(costOf(nested(3)).selections).toBe(14);
    expect(costOf(nested(3)).compileCost).toBeGreaterThan(20 * costOf(nested(1)).compileCost);
  });
});
