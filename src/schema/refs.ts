/**
 * References to the schema's central types, declared before any is implemented so that the type
 * files can point at each other without import cycles.
 */
import type { ConversationRef, Message, Sender } from '../model/index.js';
import type { AnySource, SourceCapabilities } from '../sources/source.js';
import { builder } from './builder.js';

export const SourceRef = builder.objectRef<AnySource>('Source');
export const CapabilitiesRef = builder.objectRef<SourceCapabilities>('SourceCapabilities');
export const ConversationInterface = builder.interfaceRef<ConversationRef>('Conversation');
export const MessageInterface = builder.interfaceRef<Message>('Message');
export const SenderRef = builder.objectRef<Sender>('Sender');
