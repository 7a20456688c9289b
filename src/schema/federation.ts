/**
 * Apollo Federation v2: chatgraph is a subgraph whose conversations and messages are entities keyed
 * by their node `id`, and whose sources are keyed by `name`. Every reference is loaded through
 * `loadNode`, the same path as `Query.node`, so a gateway's `_entities` call is scoped to the
 * client's sources and validated exactly like a client's `node(id:)`.
 *
 * `Conversation` and `Message` are entity interfaces (Federation 2.3): another subgraph can point at
 * a conversation by id as an `@interfaceObject` without knowing which vendor it belongs to.
 */
import { type GraphQLFieldResolver, type GraphQLSchema, isInterfaceType, isObjectType } from 'graphql';
import { type Context, engineOf } from '../context.js';
import { type ChatgraphError, invalidArgument, invalidId } from '../errors.js';
import { decodeNodeId, encodeNodeId, type NodeRef } from '../ids.js';
import { loadNode } from '../resolvers/nodes.js';
import type { Builder } from './builder.js';
import type { TypeNames } from './typenames.js';

/** The Federation spec version the subgraph SDL links: 2.3 is the first with entity interfaces. */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';

type EntityRef = Parameters<Builder['asEntity']>[0];
type NodeKind = Exclude<NodeRef['kind'], 'Source'>;

const KIND_WORDING: Record<NodeKind, string> = { Conversation: 'conversation', Message: 'message' };

/**
 * The entity a reference names. A gateway only sends a typename it learned from this subgraph, but
 * `_entities` is a public field: a message id sent as a conversation, or one vendor's conversation
 * sent as another vendor's type, is an `INVALID_ID`, never an object of another type.
 */
async function loadEntity(
  ctx: Context,
  id: string,
  kind: NodeKind,
  concrete: { typename: string; typenames: TypeNames } | null,
) {
  if (decodeNodeId(id).kind !== kind) throw invalidId(`The id is not a ${KIND_WORDING[kind]} id.`);
  const node = await loadNode(engineOf(ctx), id);
  if (node && concrete && concrete.typenames.of(node) !== concrete.typename) {
    throw invalidId(`The id is not of type ${concrete.typename}.`);
  }
  return node;
}

/**
 * Makes a conversation or message type (the interface or a vendor's object type) an entity keyed
 * by `id`. Federation requires every implementation of an entity interface to share its key.
 */
export function asNodeEntity(
  builder: Builder,
  ref: EntityRef,
  kind: NodeKind,
  /** For a vendor's object type: the schema's type names, to refuse an id of another vendor. */
  concrete: TypeNames | null,
): void {
  builder.asEntity(ref, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: ({ id }, ctx) =>
      loadEntity(ctx, String(id), kind, concrete && { typename: ref.name, typenames: concrete }),
  });
}

/** Makes `Source` an entity keyed by its configured `name`. */
export function asSourceEntity(builder: Builder, ref: EntityRef): void {
  builder.asEntity(ref, {
    key: builder.selection<{ name: string }>('name'),
    // Async, so that nothing throws while the federation library maps the representations.
    resolveReference: async ({ name }, ctx) =>
      loadNode(engineOf(ctx), encodeNodeId({ kind: 'Source', source: String(name) })),
  });
}

/** Whether a schema type is an entity: an object or interface type with a `resolveReference`. */
function isEntityType(schema: GraphQLSchema, name: string): boolean {
  const type = schema.getType(name);
  if (!isObjectType(type) && !isInterfaceType(type)) return false;
  const apollo = type.extensions.apollo as { subgraph?: { resolveReference?: unknown } } | undefined;
  return typeof apollo?.subgraph?.resolveReference === 'function';
}

/** Why `_entities` cannot load a representation; null when it can try. */
function refusal(schema: GraphQLSchema, representation: unknown): ChatgraphError | null {
  const typename = (representation as { __typename?: unknown } | null)?.__typename;
  if (typeof representation !== 'object' || representation === null || typeof typename !== 'string') {
    return invalidArgument('A representation is an object with a __typename.', { field: 'representations' });
  }
  if (!isEntityType(schema, typename)) {
    return invalidArgument(`"${typename.slice(0, 100)}" is not an entity type of this subgraph.`, {
      field: 'representations',
    });
  }
  return null;
}

/**
 * `_entities` with each representation it cannot load refused on its own, as that entity's error.
 * The federation library throws for an unknown `__typename` while mapping the list, which fails
 * the whole field and leaves the entities already started to reject unobserved: one public request
 * could end the process. Refused here, no representation reaches it that it would throw for.
 */
export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve as GraphQLFieldResolver<unknown, Context> | undefined;
  if (!field || !resolve) return schema;
  field.resolve = (root, args: { representations?: unknown }, ctx, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    const refusals = representations.map((representation) => refusal(info.schema, representation));
    if (refusals.every((refused) => refused === null)) return resolve(root, args, ctx, info);
    const loadable = representations.filter((_, at) => refusals[at] === null);
    const loaded = resolve(root, { ...args, representations: loadable }, ctx, info) as unknown[];
    let next = 0;
    // An Error in a list is that item's error, located at its index, its neighbours unharmed.
    return refusals.map((refused) => refused ?? loaded[next++]);
  };
  return schema;
}
