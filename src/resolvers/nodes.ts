/** `Query.node` / `Query.nodes`: any source, conversation or message, found again by its id. */
import { decodeNodeId } from '../ids.js';
import type { Engine } from './engine.js';
import { findMessage } from './paging.js';

export async function loadNode(engine: Engine, id: string): Promise<object | null> {
  const ref = decodeNodeId(id);
  const source = engine.sources.get(ref.source);
  if (ref.kind === 'Source') return source;
  const conversation = {
    vendor: source.vendor,
    source: source.name,
    externalId: source.conversationId(ref.conversation),
  };
  if (ref.kind === 'Conversation') return conversation;
  return findMessage(engine, conversation, ref.position);
}
