import type { ObjectFieldsShape } from '@pothos/core';
import { encodeMessageId } from '../ids.js';
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
      role: t.expose('role', { type: SenderRoleEnum }),
      externalId: t.exposeString('externalId', {
        nullable: true,
        description: "The vendor's id of the sender.",
      }),
      displayName: t.exposeString('displayName', { nullable: true }),
      avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
    }),
  });

  // Fields that are the model's own are exposed, not resolved: graphql-jit reads an exposed field
  // inline, where a resolver costs a call, an args object and a resolve-info object per message.
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
          encodeMessageId(message.source, message.conversation, message.externalId, message.sentAt),
      }),
      externalId: t.exposeString('externalId', { description: "The vendor's own id of the message." }),
      vendor: t.expose('vendor', { type: VendorEnum }),
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
      sentAt: t.expose('sentAt', { type: 'DateTime' }),
      sender: t.expose('sender', { type: SenderRef }),
      kind: t.expose('kind', { type: ContentKindEnum }),
      text: t.exposeString('text', {
        nullable: true,
        description: 'A plain-text rendering for previews and search; null where the content has none.',
      }),
      recalled: t.exposeBoolean('recalled', { description: 'The sender recalled (unsent) the message.' }),
      raw: t.expose('raw', { type: 'JSON', description: 'The vendor record as received.' }),
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
