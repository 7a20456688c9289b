/** `Query.node` / `Query.nodes`: any source, conversation or message, found again by its id. */
import type { Context } from '../context.js';
import { decodeNodeId } from '../ids.js';
import { findMessage } from './paging.js';

export async function loadNode(ctx: Context, id: string): Promise<object | null> {
  const ref = decodeNodeId(id);
  const source = ctx.sources.get(ref.source);
  if (ref.kind === 'Source') return source;
  const conversation = {
    vendor: source.vendor,
    source: source.name,
    externalId: source.conversationId(ref.conversation),
  };
  if (ref.kind === 'Conversation') return conversation;
  return findMessage(ctx, conversation, ref.position);
}
