/**
 * Node ids: opaque to clients, stable across restarts and replicas, and unique across sources
 * because each one names its source. A message id also carries the message's position so that the
 * source can find it again without a vendor lookup-by-id API (none of the vendors has one).
 */
import { invalidId } from './errors.js';
import type { Position } from './model/index.js';

export type NodeRef =
  | { kind: 'Source'; source: string }
  | { kind: 'Conversation'; source: string; conversation: string }
  | { kind: 'Message'; source: string; conversation: string; position: Position };

type Tuple = ['S', string] | ['C', string, string] | ['M', string, string, string, number];

export function encodeNodeId(ref: NodeRef): string {
  const tuple: Tuple =
    ref.kind === 'Source'
      ? ['S', ref.source]
      : ref.kind === 'Conversation'
        ? ['C', ref.source, ref.conversation]
        : ['M', ref.source, ref.conversation, ref.position.id, ref.position.t];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function decodeNodeId(id: string): NodeRef {
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw invalidId('Not a chatgraph id.');
  }
  if (Array.isArray(tuple)) {
    const [kind, source, conversation, messageId, t] = tuple;
    if (kind === 'S' && tuple.length === 2 && isString(source)) return { kind: 'Source', source };
    if (kind === 'C' && tuple.length === 3 && isString(source) && isString(conversation)) {
      return { kind: 'Conversation', source, conversation };
    }
    if (
      kind === 'M' &&
      tuple.length === 5 &&
      isString(source) &&
      isString(conversation) &&
      isString(messageId) &&
      Number.isSafeInteger(t)
    ) {
      return { kind: 'Message', source, conversation, position: { id: messageId, t } };
    }
  }
  throw invalidId('Not a chatgraph id.');
}
