/**
 * What an answer derives from a message, kept on the message: its node id, and its cursor in the
 * connection it was last paged in. A page the page cache keeps (`SharedPages`) is the same message
 * objects for every operation that reads it while it is kept, and without this each of them
 * signed a cursor (HMAC-SHA256) and encoded a node id again for every edge: most of the work of
 * answering a kept page. Kept under a symbol, not enumerable: JSON, spreads, `Object.keys` and
 * equality in tests do not see it. Both are pure functions of the message (and the scope), so a
 * kept value is never stale.
 */
import { encodeNodeId } from '../ids.js';
import type { Message, Position } from '../model/index.js';
import { positionOf } from '../model/index.js';

const DERIVED = Symbol('chatgraph.derived');

interface Derived {
  nodeId?: string;
  /** Who signed `cursor` (an app's `CursorCodec`), and in which scope. */
  cursorSigner?: object;
  cursorScope?: string;
  cursor?: string;
}

function derivedOf(message: Message): Derived {
  const held = (message as { [DERIVED]?: Derived })[DERIVED];
  if (held) return held;
  const derived: Derived = {};
  Object.defineProperty(message, DERIVED, { value: derived });
  return derived;
}

/** The message's node id (`encodeNodeId`), encoded once per message. */
export function messageNodeId(message: Message): string {
  const derived = derivedOf(message);
  derived.nodeId ??= encodeNodeId({
    kind: 'Message',
    source: message.source,
    conversation: message.conversation,
    position: { id: message.externalId, t: message.sentAt },
  });
  return derived.nodeId;
}

/** Signs positions in one connection's scope: `key` names the scope, `signer` its secret's owner. */
export interface ScopedSigner {
  signer: object;
  key: string;
  sign(position: Position): string;
}

/**
 * The message's cursor in a connection's scope: signed again only when the message is paged in
 * another scope, or by another signer (another app, with its own secret, in the same process).
 */
export function messageCursor(message: Message, scoped: ScopedSigner): string {
  const derived = derivedOf(message);
  if (
    derived.cursorSigner !== scoped.signer ||
    derived.cursorScope !== scoped.key ||
    derived.cursor === undefined
  ) {
    derived.cursor = scoped.sign(positionOf(message));
    derived.cursorSigner = scoped.signer;
    derived.cursorScope = scoped.key;
  }
  return derived.cursor;
}
