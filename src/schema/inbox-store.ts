/**
 * What the store adds to the schema: listing conversations (`Query.conversations`,
 * `Source.conversations`, `Conversation.summary`) and searching messages
 * (`Query.searchMessages`). Every field here is answered by the store alone, with no vendor call.
 */
import { engineOf } from '../context.js';
import {
  type ConversationSummary,
  conversationSummary,
  type ListedConversation,
  listConversations,
} from '../resolvers/conversations.js';
import { type SearchEdge, searchMessages, type TextRange } from '../resolvers/search.js';
import type { Enums } from './enums.js';
import type { SchemaRefs } from './kit.js';

export function defineInboxStore(refs: SchemaRefs, enums: Enums): void {
  const { builder, ConversationInterface, MessageInterface, SourceRef } = refs;
  const { ContentKindEnum, SenderRoleEnum, VendorEnum } = enums;

  const ConversationFilterInput = builder.inputType('ConversationFilter', {
    description: 'Narrows the conversations listed; cursors are bound to the filter they were issued under.',
    fields: (t) => ({
      sources: t.stringList({ description: 'Only these sources (by name).' }),
      vendors: t.field({ type: [VendorEnum], description: 'Only these vendors.' }),
      activeSince: t.field({ type: 'DateTime', description: 'Last activity at or after this instant.' }),
      activeUntil: t.field({ type: 'DateTime', description: 'Last activity before this instant.' }),
      participant: t.string({
        description:
          "A participant's display name (or vendor id when it has none), exactly as shown in `summary.participants`.",
      }),
      flagged: t.boolean({
        description:
          'Only conversations with (true) or without (false) a compliance flag a vendor reported (a rule hit, a spam mark).',
      }),
    }),
  });

  const ConversationSummaryRef = builder.objectRef<ConversationSummary>('ConversationSummary').implement({
    description: 'What chatgraph has seen of a conversation, from the store.',
    fields: (t) => ({
      lastActivityAt: t.field({
        type: 'DateTime',
        description: 'When the newest message seen was sent.',
        resolve: (s) => s.lastActivityAt,
      }),
      lastMessageId: t.exposeString('lastMessageId', { nullable: true }),
      preview: t.exposeString('preview', {
        nullable: true,
        description: "The newest message's plain text, cut to 200 characters; null when it has none.",
      }),
      title: t.exposeString('title', {
        nullable: true,
        description: 'A name the vendor gives the conversation.',
      }),
      participants: t.exposeStringList('participants', {
        description: "Senders' display names (or vendor ids) seen, sorted; system senders left out.",
      }),
      flagged: t.exposeBoolean('flagged', { description: 'A message seen carried a compliance flag.' }),
      flags: t.exposeStringList('flags', { description: 'The compliance flags seen (rule names), sorted.' }),
    }),
  });

  builder.interfaceField(ConversationInterface, 'summary', (t) =>
    t.field({
      type: ConversationSummaryRef,
      nullable: true,
      description:
        'What chatgraph has seen of the conversation (its store); null when it has not seen it, or runs without a store.',
      resolve: (conversation, _args, ctx) =>
        conversationSummary(engineOf(ctx), conversation as ListedConversation),
    }),
  );

  const ConversationConnectionRef = builder.connectionObject(
    { type: ConversationInterface, name: 'ConversationConnection' },
    { name: 'ConversationEdge' },
  );

  const conversationsDescription =
    'Conversations chatgraph has seen (through reads, and vendor listings where a source has one), most recent activity first: `first`/`after` walk toward less recent ones, `last`/`before` toward more recent ones. Needs a store (`STORE_NOT_CONFIGURED` otherwise).';

  builder.queryField('conversations', (t) =>
    t.connection(
      {
        type: ConversationInterface,
        description: conversationsDescription,
        args: { filter: t.arg({ type: ConversationFilterInput }) },
        resolve: (_root, args, ctx) => listConversations(engineOf(ctx), args),
      },
      ConversationConnectionRef,
    ),
  );

  builder.objectField(SourceRef, 'conversations', (t) =>
    t.connection(
      {
        type: ConversationInterface,
        description: `${conversationsDescription} Only this source's (\`filter.sources\` is ignored).`,
        args: { filter: t.arg({ type: ConversationFilterInput }) },
        resolve: (source, args, ctx) => listConversations(engineOf(ctx), args, source.name),
      },
      ConversationConnectionRef,
    ),
  );

  const MessageSearchFilterInput = builder.inputType('MessageSearchFilter', {
    description: 'Narrows a message search.',
    fields: (t) => ({
      sources: t.stringList({ description: 'Only these sources (by name).' }),
      vendors: t.field({ type: [VendorEnum] }),
      since: t.field({ type: 'DateTime', description: 'Sent at or after this instant.' }),
      until: t.field({ type: 'DateTime', description: 'Sent before this instant.' }),
      senderRoles: t.field({ type: [SenderRoleEnum] }),
      kinds: t.field({ type: [ContentKindEnum] }),
    }),
  });

  const TextRangeRef = builder.objectRef<TextRange>('TextRange').implement({
    description: 'A range of a string, in UTF-16 code units: `start` inclusive, `end` exclusive.',
    fields: (t) => ({ start: t.exposeInt('start'), end: t.exposeInt('end') }),
  });

  builder.queryField('searchMessages', (t) =>
    t.connection(
      {
        type: MessageInterface,
        description:
          'Stored messages (sources configured to archive) whose text contains `query`, case-insensitively, in any script (Chinese included; one- and two-character queries too; on PostgreSQL each page of those looks through at most 100,000 stored messages of the filter from where it starts, else SEARCH_TOO_BROAD), newest first: `first`/`after` walk toward older ones, `last`/`before` toward newer ones. Needs a store.',
        args: {
          query: t.arg.string({
            required: true,
            description: '1 to 200 characters, matched as a substring.',
          }),
          filter: t.arg({ type: MessageSearchFilterInput }),
        },
        resolve: (_root, args, ctx) => searchMessages(engineOf(ctx), args),
      },
      { name: 'MessageSearchConnection' },
      {
        name: 'MessageSearchEdge',
        fields: (e) => ({
          snippet: e.string({
            description:
              'The text around the first match (cut with "…"); `highlights` marks the matches in it.',
            resolve: (edge) => (edge as unknown as SearchEdge).snippet,
          }),
          highlights: e.field({
            type: [TextRangeRef],
            description: 'Where the query matches in `snippet`.',
            resolve: (edge) => (edge as unknown as SearchEdge).highlights,
          }),
          messageCursor: e.string({
            description:
              "The message's cursor in its conversation's `messages` connection (without a filter): `conversation { messages(around: messageCursor) }` opens the conversation at the hit.",
            resolve: (edge) => (edge as unknown as SearchEdge).messageCursor,
          }),
        }),
      },
    ),
  );
}
