import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { loadNode } from '../resolvers/nodes.js';
import { graphqlTypename } from './typenames.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | number };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // Fields are non-null unless they say otherwise: a null must mean "the vendor has none".
  defaultFieldNullability: false,
  // Federation last, as it reads what the other plugins set up; it marks entities with `@key`
  // directives that the directives plugin turns into SDL (see src/schema/federation.ts).
  plugins: [DirectivePlugin, RelayPlugin, FederationPlugin],
  relay: {
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // Node ids are chatgraph's own opaque ids (src/ids.ts); the type name is not part of them.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => ({ typename: 'Node', id: globalID }),
    nodeTypeOptions: { resolveType: (value) => graphqlTypename(value as object) },
    nodeQueryOptions: { resolve: (_root, { id }, ctx) => loadNode(ctx, String(id.id)) },
    nodesQueryOptions: {
      // One bad id fails its own item, not the whole list.
      resolve: (_root, { ids }, ctx) =>
        ids.map((id) => loadNode(ctx, String(id.id)).catch((error: Error) => error)),
    },
  },
});
