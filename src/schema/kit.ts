/**
 * What the schema's parts are built with. `SchemaRefs` holds the central types, declared before
 * any is implemented so that the parts can point at each other; `VendorSchemaKit` is what a
 * vendor's `graphql()` receives to declare its own types (see `VendorDefinition`).
 */
import type { ObjectFieldsShape, ObjectRef, UnionRef } from '@pothos/core';
import type { Content, ConversationRef, Message, Sender } from '../model/index.js';
import type { AnySource, SourceCapabilities } from '../sources/source.js';
import type { Builder, Types } from './builder.js';
import type { ContentRefs } from './content.js';
import type { TypeNames } from './typenames.js';

export interface VendorSchemaKit {
  builder: Builder;
  /** The content types vendors share (`TextContent`, `ImageContent`, …, `UnsupportedContent`). */
  content: ContentRefs;
  /** A content union typed as the vendor's content model `T`; members told apart by `__typename`. */
  contentUnion<T extends Content>(
    name: string,
    description: string,
    types: ObjectRef<Types, unknown>[],
  ): UnionRef<Types, T>;
  /** The vendor's conversation type: the `Conversation` fields, named by its definition. */
  conversationType(description: string): ObjectRef<Types, ConversationRef>;
  /** The vendor's message type: the `Message` fields plus `fields`, named by its definition. */
  messageType<M extends Message>(options: {
    description: string;
    fields: ObjectFieldsShape<Types, M>;
  }): ObjectRef<Types, M>;
}

export function declareRefs(builder: Builder, typenames: TypeNames) {
  return {
    builder,
    typenames,
    SourceRef: builder.objectRef<AnySource>('Source'),
    CapabilitiesRef: builder.objectRef<SourceCapabilities>('SourceCapabilities'),
    ConversationInterface: builder.interfaceRef<ConversationRef>('Conversation'),
    MessageInterface: builder.interfaceRef<Message>('Message'),
    SenderRef: builder.objectRef<Sender>('Sender'),
  };
}

export type SchemaRefs = ReturnType<typeof declareRefs>;
