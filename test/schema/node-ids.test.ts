import { GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { createSchema } from '../../src/schema/index.js';

const { schema } = createSchema();
const node = schema.getType('Node');

/** Every object type that implements `Node`, with its `id` field's resolver. */
const nodeTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType =>
    type instanceof GraphQLObjectType && type.getInterfaces().some((i) => i === node),
);

const parents: Record<string, { parent: object; id: string }> = {
  Source: {
    parent: { name: 'shop', vendor: 'WECHAT_STORE' },
    id: encodeNodeId({ kind: 'Source', source: 'shop' }),
  },
  Conversation: {
    parent: { source: 'shop', externalId: 'room-1', vendor: 'WECHAT_STORE' },
    id: encodeNodeId({ kind: 'Conversation', source: 'shop', conversation: 'room-1' }),
  },
  Message: {
    parent: { source: 'shop', conversation: 'room-1', externalId: '7', sentAt: 1_700_000_000_000 },
    id: encodeNodeId({
      kind: 'Message',
      source: 'shop',
      conversation: 'room-1',
      position: { id: '7', t: 1_700_000_000_000 },
    }),
  },
};
const kindOf = (type: GraphQLObjectType) =>
  type.name === 'Source'
    ? 'Source'
    : type.getInterfaces().some((i) => i.name === 'Conversation')
      ? 'Conversation'
      : 'Message';

describe('node ids in the schema', () => {
  it('covers sources, every vendor conversation and message type', () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(9);
    expect(new Set(nodeTypes.map(kindOf))).toEqual(new Set(['Source', 'Conversation', 'Message']));
  });

  it.each(nodeTypes.map((type) => [type.name, type] as const))(
    "%s.id resolves at once (no promise per edge) to the node's chatgraph id",
    (_name, type) => {
      const { parent, id } = parents[kindOf(type)] as { parent: object; id: string };
      const resolve = type.getFields().id?.resolve;
      const value = resolve?.(parent, {}, {}, {} as GraphQLResolveInfo);
      expect(value).toBe(id);
    },
  );
});
