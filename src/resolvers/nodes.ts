/** `Query.node` / `Query.nodes`: any source, conversation or message, found again by its id. */
import { decodeNodeId } from '../ids.js';
import type { ConversationRef } from '../model/index.js';
import type { AnySource } from '../sources/source.js';
import type { Engine } from './engine.js';
import { findMessage } from './paging.js';

export async function loadNode(engine: Engine, id: string): Promise<object | null> {
  const ref = decodeNodeId(id);
  const source = engine.sources.get(ref.source);
  if (ref.kind === 'Source') return source;
  const conversation = conversationRef(source, ref.conversation);
  if (ref.kind === 'Conversation') return conversation;
  return findMessage(engine, conversation, ref.position);
}

/** A conversation of `source` by the vendor's id, checked and made canonical (INVALID_ARGUMENT if malformed). */
export function conversationRef(source: AnySource, externalId: string): ConversationRef {
  return { vendor: source.vendor, source: source.name, externalId: source.conversationId(externalId) };
}
