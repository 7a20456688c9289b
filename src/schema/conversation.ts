import { engineOf } from '../context.js';
import { invalidId } from '../errors.js';
import { decodeNodeId, encodeNodeId } from '../ids.js';
import type { ConversationRef, Vendor } from '../model/index.js';
import { pageAround } from '../resolvers/around.js';
import { conversationRef } from '../resolvers/nodes.js';
import { type MessageEdge, pageMessages } from '../resolvers/paging.js';
import type { Enums } from './enums.js';
import { asNodeEntity } from './federation.js';
import type { SchemaRefs } from './kit.js';

/** `Conversation`, `Query.conversation` and `MessageConnection`; returns the edge `messageAdded` shares. */
export function defineConversation(refs: SchemaRefs, enums: Enums) {
  const { builder, typenames, ConversationInterface, MessageInterface, SourceRef } = refs;
  const { ContentKindEnum, SenderRoleEnum, VendorEnum } = enums;

  const MessageFilterInput = builder.inputType('MessageFilter', {
    description:
      "Narrows a conversation's messages. Pushed down to the vendor where it can filter (see `Source.capabilities`), applied by the gateway otherwise; cursors are bound to the filter they were issued under.",
    fields: (t) => ({
      since: t.field({ type: 'DateTime', description: 'Sent at or after this instant.' }),
      until: t.field({ type: 'DateTime', description: 'Sent before this instant.' }),
      senderRoles: t.field({ type: [SenderRoleEnum], description: 'Sent by any of these roles.' }),
      kinds: t.field({ type: [ContentKindEnum], description: 'Content of any of these kinds.' }),
      text: t.string({
        description: 'Text containing this, case-insensitively (vendor search semantics where pushed down).',
      }),
    }),
  });

  /** Shared with `messageAdded`, whose edges carry the same cursors as `messages`. */
  // What `builder.edgeObject` declares (node, then cursor), with `node` exposed: Pothos' edge
  // resolves it through a resolver, a call and a resolve-info object per edge under graphql-jit.
  const MessageEdgeRef = builder.objectRef<MessageEdge>('MessageEdge').implement({
    fields: (t) => ({
      node: t.expose('node', { type: MessageInterface }),
      cursor: t.exposeString('cursor'),
    }),
  });

  ConversationInterface.implement({
    description: 'One conversation of one source: a room, a session or a chat, depending on the vendor.',
    interfaces: [builder.nodeInterfaceRef()],
    resolveType: (conversation) => typenames.conversation(conversation.vendor),
    fields: (t) => ({
      // Synchronously, as `Message.id` is (see there).
      id: t.id({
        nullable: false,
        resolve: (conversation) =>
          encodeNodeId({
            kind: 'Conversation',
            source: conversation.source,
            conversation: conversation.externalId,
          }),
      }),
      externalId: t.exposeString('externalId', { description: "The vendor's own id of the conversation." }),
      vendor: t.field({ type: VendorEnum, resolve: (conversation) => conversation.vendor }),
      source: t.field({
        type: SourceRef,
        resolve: (conversation, _args, ctx) => ctx.sources.get(conversation.source),
      }),
      messages: t.connection(
        {
          type: MessageInterface,
          description:
            'The messages, newest first: `first`/`after` walk toward older messages, `last`/`before` toward newer ones. Page sizes default to 20, at most 100.',
          args: {
            filter: t.arg({ type: MessageFilterInput }),
            around: t.arg.string({
              description:
                "A cursor of this connection (e.g. a search hit's `messageCursor`): the page holding that message, with about as many newer messages before it as older ones after it (`first` or `last` sizes it, and near either end of the history the other side fills it); page on from its start and end cursors as from any page.",
            }),
          },
          resolve: (conversation, args, ctx) =>
            args.around != null
              ? pageAround(engineOf(ctx), conversation, { ...args, around: args.around })
              : pageMessages(engineOf(ctx), conversation, args),
        },
        {
          name: 'MessageConnection',
          fields: (c) => ({
            scannedUntil: c.field({
              type: 'DateTime',
              nullable: true,
              description:
                'How far toward the end of its walk this page looked: nothing sent beyond it was read. Null when the page reached the end of the history (or of its `after`/`before` range). A page that spent its vendor-call budget returns what it found, possibly nothing, with `hasNextPage` (or `hasPreviousPage`) true and a cursor resuming from here, so an empty page with `scannedUntil` set is "empty so far", not "empty". Where a source searches only back to a default lookback (`SourceCapabilities.defaultLookbackSeconds`) and the walk ends there, this is that bound: pass `filter.since` to search further.',
              resolve: (connection) => (connection as { scannedUntil: number | null }).scannedUntil,
            }),
          }),
        },
        MessageEdgeRef,
      ),
    }),
  });

  asNodeEntity(builder, ConversationInterface, 'Conversation', null);

  builder.queryField('conversation', (t) =>
    t.field({
      type: ConversationInterface,
      nullable: true,
      description: 'A conversation by its chatgraph id.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, { id }, ctx) => {
        const ref = decodeNodeId(String(id));
        if (ref.kind !== 'Conversation') throw invalidId('The id is not a conversation id.');
        return conversationRef(ctx.sources.get(ref.source), ref.conversation);
      },
    }),
  );

  return { MessageEdgeRef };
}

export type ConversationRefs = ReturnType<typeof defineConversation>;

/** Declares a vendor's conversation type: the `Conversation` fields, plus any of its own. */
export function conversationType(refs: SchemaRefs, vendor: Vendor, description: string) {
  const { builder, typenames, ConversationInterface } = refs;
  const ref = builder.objectRef<ConversationRef>(typenames.conversation(vendor)).implement({
    description,
    interfaces: [builder.nodeInterfaceRef(), ConversationInterface],
    isTypeOf: (value) => (value as ConversationRef).vendor === vendor && !('sentAt' in (value as object)),
  });
  asNodeEntity(builder, ref, 'Conversation', typenames);
  return ref;
}
