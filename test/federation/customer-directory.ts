/**
 * A second, tiny subgraph for the federation tests: a customer directory that knows which
 * conversations belong to a customer by their chatgraph ids, and nothing about vendors. It sees
 * `Conversation` as an `@interfaceObject`: chatgraph's entity interface, whatever the vendor type.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printSubgraphSchema } from '@apollo/subgraph';
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';

export interface Customer {
  id: string;
  name: string;
  /** chatgraph conversation ids, as chatgraph issued them. */
  conversationIds: string[];
}

export function customerDirectorySchema(customers: Customer[]): GraphQLSchema {
  const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
    defaultFieldNullability: false,
    plugins: [DirectivePlugin, FederationPlugin],
  });

  const CustomerRef = builder.objectRef<Customer>('Customer');
  // Only the key crosses the subgraph boundary; chatgraph resolves the rest, vendor type included.
  const ConversationRef = builder.objectRef<{ id: string }>('Conversation');

  CustomerRef.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      conversations: t.field({
        type: [ConversationRef],
        resolve: (customer) => customer.conversationIds.map((id) => ({ id })),
      }),
    }),
  });
  builder.asEntity(CustomerRef, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: ({ id }) => customers.find((customer) => customer.id === id) ?? null,
  });

  ConversationRef.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      customer: t.field({
        type: CustomerRef,
        nullable: true,
        description: 'The customer this conversation is filed under, if any.',
        resolve: ({ id }) => customers.find((customer) => customer.conversationIds.includes(id)) ?? null,
      }),
    }),
  });
  builder.asEntity(ConversationRef, {
    interfaceObject: true,
    key: builder.selection<{ id: string }>('id'),
    resolveReference: ({ id }) => ({ id }),
  });

  builder.queryType({
    fields: (t) => ({
      customers: t.field({ type: [CustomerRef], resolve: () => customers }),
      customer: t.field({
        type: CustomerRef,
        nullable: true,
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }) => customers.find((customer) => customer.id === String(id)) ?? null,
      }),
    }),
  });

  return builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
}

export const customerDirectorySdl = (schema: GraphQLSchema): string => printSubgraphSchema(schema);

/** Serves the directory on a free loopback port. */
export async function startCustomerDirectory(
  customers: Customer[],
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const yoga = createYoga({ schema: customerDirectorySchema(customers), logging: false });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
