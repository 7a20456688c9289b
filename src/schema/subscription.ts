import type { Context } from '../context.js';
import { invalidId } from '../errors.js';
import { decodeNodeId, encodeNodeId } from '../ids.js';
import { liveHub, type SessionEnd } from '../live/hub.js';
import type { ConversationRef } from '../model/index.js';
import { conversationRef } from '../resolvers/nodes.js';
import type { MessageEdge } from '../resolvers/paging.js';
import type { Builder } from './builder.js';
import type { ConversationRefs } from './conversation.js';

/** The conversation a subscription's `conversationId` names (a bad id or source fails here). */
function conversationOf(conversationId: string | number, ctx: Context): ConversationRef {
  const ref = decodeNodeId(String(conversationId));
  if (ref.kind !== 'Conversation') throw invalidId('The id is not a conversation id.');
  return conversationRef(ctx.sources.get(ref.source), ref.conversation);
}

/** `Subscription.messageAdded`, whose edges are `messages`' (`MessageEdge`), and `sessionEnded`. */
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
      subscribe: (_root, { conversationId, after }, ctx) =>
        liveHub(ctx.app).subscribe(ctx, conversationOf(conversationId, ctx), after ?? null),
      resolve: (edge: MessageEdge) => edge,
    }),
  );

  const SessionEndedRef = builder.objectRef<SessionEnd>('SessionEndedEvent').implement({
    description: "A vendor's report that a conversation's session ended.",
    fields: (t) => ({
      conversationId: t.id({
        nullable: false,
        description: 'The conversation whose session ended (its `Conversation.id`).',
        resolve: ({ conversation }) =>
          encodeNodeId({
            kind: 'Conversation',
            source: conversation.source,
            conversation: conversation.externalId,
          }),
      }),
      reportedAt: t.field({
        type: 'DateTime',
        description: 'When chatgraph received the report (the vendor does not say when the session ended).',
        resolve: ({ report }) => report.at,
      }),
      vendorEvent: t.string({
        nullable: true,
        description: "The vendor's own name of the event, as given.",
        resolve: ({ report }) => report.event,
      }),
    }),
  });

  builder.subscriptionField('sessionEnded', (t) =>
    t.field({
      type: SessionEndedRef,
      description:
        "Each time the vendor reports that the conversation's session ended, from the moment of subscribing (an end reported earlier is not replayed). Only a source whose vendor calls back when a session ends, with a webhook configured (`webhooks.<source>`), reports it: the report is the vendor's authenticated callback, not read back from its API. Vendors that are only polled cannot report it, and for their conversations this never fires. The conversation's last messages still arrive through `messageAdded`.",
      args: { conversationId: t.arg.id({ required: true }) },
      subscribe: (_root, { conversationId }, ctx) =>
        liveHub(ctx.app).sessionEnded(ctx, conversationOf(conversationId, ctx)),
      resolve: (event: SessionEnd) => event,
    }),
  );
}
