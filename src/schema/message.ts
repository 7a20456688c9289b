import type { ObjectFieldsShape } from '@pothos/core';
import { encodeNodeId } from '../ids.js';
import type { Message, Vendor } from '../model/index.js';
import type { Types } from './builder.js';
import type { Enums } from './enums.js';
import { asNodeEntity } from './federation.js';
import type { SchemaRefs } from './kit.js';

/** `Sender` and the `Message` interface every vendor's message type implements. */
export function defineMessage(refs: SchemaRefs, enums: Enums): void {
  const { builder, typenames, ConversationInterface, MessageInterface, SenderRef, SourceRef } = refs;
  const { ContentKindEnum, SenderRoleEnum, VendorEnum } = enums;

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
    resolveType: (message) => typenames.message(message.vendor),
    fields: (t) => ({
      // `t.id`, not Pothos' `t.globalID`: its resolver is async, a promise and a microtask per
      // edge for a value known at once (ids are our own, `encodeGlobalID` is the identity).
      id: t.id({
        nullable: false,
        resolve: (message) =>
          encodeNodeId({
            kind: 'Message',
            source: message.source,
            conversation: message.conversation,
            position: { id: message.externalId, t: message.sentAt },
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

  asNodeEntity(builder, MessageInterface, 'Message', null);
}

/** Declares a vendor's message type: the `Message` fields, plus `fields` of its own. */
export function messageType<M extends Message>(
  refs: SchemaRefs,
  vendor: Vendor,
  options: { description: string; fields: ObjectFieldsShape<Types, M> },
) {
  const { builder, typenames, MessageInterface } = refs;
  const ref = builder.objectRef<M>(typenames.message(vendor)).implement({
    description: options.description,
    interfaces: [builder.nodeInterfaceRef(), MessageInterface],
    isTypeOf: (value) =>
      typeof value === 'object' &&
      value !== null &&
      'sentAt' in value &&
      (value as Message).vendor === vendor,
    fields: options.fields,
  });
  asNodeEntity(builder, ref, 'Message', typenames);
  return ref;
}
