import { encodeNodeId } from '../ids.js';
import type { Message, Vendor } from '../model/index.js';
import { builder } from './builder.js';
import { ContentKindEnum, SenderRoleEnum, VendorEnum } from './enums.js';
import { asNodeEntity } from './federation.js';
import { ConversationInterface, MessageInterface, SenderRef, SourceRef } from './refs.js';
import { MESSAGE_TYPENAME } from './typenames.js';

SenderRef.implement({
  description: 'Who sent a message.',
  fields: (t) => ({
    role: t.field({ type: SenderRoleEnum, resolve: (sender) => sender.role }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: "The vendor's id of the sender.",
    }),
    displayName: t.exposeString('displayName', { nullable: true }),
    avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
  }),
});

MessageInterface.implement({
  description: 'One message of a conversation, whatever its vendor.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (message) => MESSAGE_TYPENAME[message.vendor],
  fields: (t) => ({
    id: t.globalID({
      nullable: false,
      resolve: (message) => ({
        type: 'Message',
        id: encodeNodeId({
          kind: 'Message',
          source: message.source,
          conversation: message.conversation,
          position: { id: message.externalId, t: message.sentAt },
        }),
      }),
    }),
    externalId: t.exposeString('externalId', { description: "The vendor's own id of the message." }),
    vendor: t.field({ type: VendorEnum, resolve: (message) => message.vendor }),
    source: t.field({
      type: SourceRef,
      resolve: (message, _args, ctx) => ctx.sources.get(message.source),
    }),
    conversation: t.field({
      type: ConversationInterface,
      resolve: (message) => ({
        vendor: message.vendor,
        source: message.source,
        externalId: message.conversation,
      }),
    }),
    sentAt: t.field({ type: 'DateTime', resolve: (message) => message.sentAt }),
    sender: t.field({ type: SenderRef, resolve: (message) => message.sender }),
    kind: t.field({ type: ContentKindEnum, resolve: (message) => message.kind }),
    text: t.exposeString('text', {
      nullable: true,
      description: 'A plain-text rendering for previews and search; null where the content has none.',
    }),
    recalled: t.exposeBoolean('recalled', { description: 'The sender recalled (unsent) the message.' }),
    raw: t.field({
      type: 'JSON',
      description: 'The vendor record as received.',
      resolve: (message) => message.raw,
    }),
  }),
});

asNodeEntity(MessageInterface, 'Message', { concrete: false });

/** `isTypeOf` of a vendor's message type. */
export const isMessageOf = (vendor: Vendor) => (value: unknown) =>
  typeof value === 'object' && value !== null && 'sentAt' in value && (value as Message).vendor === vendor;
