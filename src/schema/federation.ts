/**
 * Apollo Federation v2: chatgraph is a subgraph whose conversations and messages are entities keyed
 * by their node `id`, and whose sources are keyed by `name`. Every reference is loaded through
 * `loadNode`, the same path as `Query.node`, so a gateway's `_entities` call is scoped to the
 * client's sources and validated exactly like a client's `node(id:)`.
 *
 * `Conversation` and `Message` are entity interfaces (Federation 2.3): another subgraph can point at
 * a conversation by id as an `@interfaceObject` without knowing which vendor it belongs to.
 */
import { type Context, engineOf } from '../context.js';
import { invalidId } from '../errors.js';
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
    resolveReference: ({ name }, ctx) =>
      loadNode(engineOf(ctx), encodeNodeId({ kind: 'Source', source: String(name) })),
  });
}
