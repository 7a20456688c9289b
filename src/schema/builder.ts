/**
 * The schema builder's configuration, and nothing else: `createSchema` (./index.ts) makes one per
 * schema, so that a schema holds exactly the vendors it was built with.
 */
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { type Context, engineOf } from '../context.js';
import { loadNode } from '../resolvers/nodes.js';

export interface SchemaTypes {
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | number };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

/** `typenameOf` names the object type of any value a `Node` field resolves to. */
export function createBuilder(typenameOf: (value: object) => string) {
  return new SchemaBuilder<SchemaTypes>({
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
      // Types declare `id` with `t.id` and `encodeNodeId` (a sync resolver); these two serve the
      // plugin's own `node` / `nodes` fields.
      encodeGlobalID: (_typename, id) => String(id),
      decodeGlobalID: (globalID) => ({ typename: 'Node', id: globalID }),
      nodeTypeOptions: { resolveType: (value) => typenameOf(value as object) },
      nodeQueryOptions: { resolve: (_root, { id }, ctx) => loadNode(engineOf(ctx), String(id.id)) },
      nodesQueryOptions: {
        // One bad id fails its own item, not the whole list.
        resolve: (_root, { ids }, ctx) =>
          ids.map((id) => loadNode(engineOf(ctx), String(id.id)).catch((error: Error) => error)),
      },
    },
  });
}

export type Builder = ReturnType<typeof createBuilder>;
export type Types = Builder['$inferSchemaTypes'];
