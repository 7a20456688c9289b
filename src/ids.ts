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
  if (ref.kind === 'Message') {
    return encodeMessageId(ref.source, ref.conversation, ref.position.id, ref.position.t);
  }
  const tuple: Tuple = ref.kind === 'Source' ? ['S', ref.source] : ['C', ref.source, ref.conversation];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

/**
 * The id `encodeNodeId` gives a message, the same text, without a JSON array and a Buffer per
 * message: a page's messages share their source and conversation, so the JSON up to the message's
 * own id is encoded once. Base64 turns each 3 bytes into 4 characters on its own, so the prefix's
 * whole 3-byte groups are kept as text and its last 0–2 bytes are encoded with each message's
 * rest.
 */
export function encodeMessageId(source: string, conversation: string, id: string, t: number): string {
  if (prefix === null || source !== prefix.source || conversation !== prefix.conversation) {
    const bytes = Buffer.from(`["M",${JSON.stringify(source)},${JSON.stringify(conversation)},`);
    const whole = bytes.length - (bytes.length % 3);
    prefix = {
      source,
      conversation,
      text: bytes.toString('base64url', 0, whole),
      tail: Uint8Array.from(bytes.subarray(whole)),
    };
  }
  const { text, tail } = prefix;
  const rest = `${JSON.stringify(id)},${JSON.stringify(t)}]`;
  // At most 3 UTF-8 bytes per UTF-16 unit: anything longer than the scratch takes the long way.
  if (tail.length + rest.length * 3 > scratch.length) {
    return Buffer.from(`["M",${JSON.stringify(source)},${JSON.stringify(conversation)},${rest}`).toString(
      'base64url',
    );
  }
  for (let i = 0; i < tail.length; i++) scratch[i] = tail[i] as number;
  const length = tail.length + scratch.write(rest, tail.length, 'utf8');
  return text + scratch.toString('base64url', 0, length);
}

/** The last source and conversation `encodeMessageId` saw, their JSON prefix encoded. */
let prefix: { source: string; conversation: string; text: string; tail: Uint8Array } | null = null;
/** Written and read within one synchronous call of `encodeMessageId`. */
const scratch = Buffer.allocUnsafe(4096);

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
