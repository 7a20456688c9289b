import { invalidId } from '../errors.js';
import { decodeNodeId } from '../ids.js';
import { liveHub } from '../live/hub.js';
import { conversationRef } from '../resolvers/nodes.js';
import type { MessageEdge } from '../resolvers/paging.js';
import type { Builder } from './builder.js';
import type { ConversationRefs } from './conversation.js';

/** `Subscription.messageAdded`, whose edges are `messages`' (`MessageEdge`). */
export function defineSubscription(builder: Builder, { MessageEdgeRef }: ConversationRefs): void {
  builder.subscriptionType({ description: 'Live conversations: what arrives, as it arrives.' });

  builder.subscriptionField('messageAdded', (t) =>
    t.field({
      type: MessageEdgeRef,
      description:
        "New messages of a conversation, oldest first, each exactly once: strictly after `after` (a cursor from `messages`, e.g. the first page's startCursor) or, without it, from the moment of subscribing. Each edge's cursor is where to resume: subscribe again with the last one received and nothing is missed or repeated.",
      args: {
        conversationId: t.arg.id({ required: true }),
        after: t.arg.string(),
      },
      subscribe: (_root, { conversationId, after }, ctx) => {
        const ref = decodeNodeId(String(conversationId));
        if (ref.kind !== 'Conversation') throw invalidId('The id is not a conversation id.');
        const conversation = conversationRef(ctx.sources.get(ref.source), ref.conversation);
        return liveHub(ctx.app).subscribe(ctx, conversation, after ?? null);
      },
      resolve: (edge: MessageEdge) => edge,
    }),
  );
}
