/**
 * chatgraph's subgraph SDL composes with a second subgraph that points at conversations by id
 * (`@theguild/federation-composition`, the composer Hive Gateway itself uses).
 */
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, type GraphQLInterfaceType, type GraphQLObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../src/schema/index.js';

const { schema } = createSchema();

import { customerDirectorySchema, customerDirectorySdl } from './customer-directory.js';

const CHATGRAPH_SDL = printSubgraphSchema(schema);

function compose(directorySdl: string) {
  return composeServices([
    { name: 'chatgraph', typeDefs: parse(CHATGRAPH_SDL), url: 'http://chatgraph.test/graphql' },
    { name: 'customers', typeDefs: parse(directorySdl), url: 'http://customers.test/graphql' },
  ]);
}

const fieldType = (type: GraphQLObjectType | GraphQLInterfaceType, field: string) =>
  String(type.getFields()[field]?.type);

describe('composition with a customer directory', () => {
  it('composes, and the supergraph crosses both ways between customers and conversations', () => {
    const result = compose(customerDirectorySdl(customerDirectorySchema([])));
    expect(result.errors).toBeUndefined();
    const api = buildSchema(result.publicSdl ?? '');

    const customer = api.getType('Customer') as GraphQLObjectType;
    expect(fieldType(customer, 'conversations')).toBe('[Conversation!]!');
    // The directory's @interfaceObject adds `customer` to the interface and every vendor type.
    const conversation = api.getType('Conversation') as GraphQLInterfaceType;
    expect(fieldType(conversation, 'customer')).toBe('Customer');
    expect(fieldType(conversation, 'messages')).toContain('MessageConnection!');
    for (const name of ['WechatStoreRoom', 'AirudderSession', 'WeizhipinChat', 'MyscrmChat']) {
      const type = api.getType(name) as GraphQLObjectType;
      expect(type.getInterfaces().map(String)).toEqual(['Node', 'Conversation']);
      expect(fieldType(type, 'customer')).toBe('Customer');
    }

    const query = api.getQueryType() as GraphQLObjectType;
    expect(Object.keys(query.getFields()).sort()).toEqual([
      'conversation',
      'conversations',
      'customer',
      'customers',
      'node',
      'nodes',
      'searchMessages',
      'source',
      'sources',
    ]);
    // Each subgraph's entities resolve in that subgraph: the supergraph says which and by what key.
    expect(result.supergraphSdl).toContain(
      'interface Conversation implements Node @join__type(graph: CHATGRAPH, key: "id") @join__type(graph: CUSTOMERS, key: "id", isInterfaceObject: true) @join__implements(graph: CHATGRAPH, interface: "Node") {',
    );
    expect(result.supergraphSdl).toContain('  customer: Customer @join__field(graph: CUSTOMERS)\n');
    expect(result.supergraphSdl).toContain(
      'type Source implements Node @join__type(graph: CHATGRAPH, key: "name") @join__implements(graph: CHATGRAPH, interface: "Node") {',
    );
  });

  it('fails when the other subgraph declares Conversation as a plain entity type', () => {
    // Without @interfaceObject the directory would have to know each conversation's vendor type.
    const result = compose(
      customerDirectorySdl(customerDirectorySchema([])).replace(' @interfaceObject', ''),
    );
    expect(result.errors?.map((error) => error.extensions?.code)).toContain('TYPE_KIND_MISMATCH');
  });
});
