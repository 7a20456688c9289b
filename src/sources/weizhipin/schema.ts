/** weizhipin IM: one-to-one chats with the app's bot, their messages, and the content only they have. */

import type { VendorSchemaKit } from '../../schema/kit.js';
import type {
  WeizhipinContent,
  WeizhipinImage,
  WeizhipinMention,
  WeizhipinMessage,
  WeizhipinRichText,
  WeizhipinRichTextElement,
  WeizhipinRichTextLink,
  WeizhipinRichTextParagraph,
  WeizhipinRichTextText,
  WeizhipinRichTextUnknown,
  WeizhipinSystemCard,
  WeizhipinText,
} from './normalize.js';

/** The vendor's GraphQL types (see `VendorDefinition.graphql`). */
export function weizhipinTypes(kit: VendorSchemaKit): void {
  const { builder, content } = kit;

  const ChatRef = kit.conversationType(
    "A weizhipin IM one-to-one chat between a user and the app's bot; its externalId is <user_id_type>:<user_id>.",
  );

  builder.objectFields(ChatRef, (t) => ({
    userIdType: t.string({
      description: 'How the user is identified: open_id, union_id or user_id.',
      resolve: (chat) => chat.externalId.slice(0, chat.externalId.indexOf(':')),
    }),
    userId: t.string({ resolve: (chat) => chat.externalId.slice(chat.externalId.indexOf(':') + 1) }),
  }));

  const MentionRef = builder.objectRef<WeizhipinMention>('WeizhipinMention').implement({
    description: 'Somebody mentioned with @; `isAll` for @所有人 (everyone, vendor id "-1").',
    fields: (t) => ({
      id: t.exposeString('id', { description: 'Usually an open_id; "-1" for everyone.' }),
      idType: t.exposeString('idType', { nullable: true }),
      name: t.exposeString('name', {
        nullable: true,
        description: 'The name as written in the message; null when it cannot be told.',
      }),
      isAll: t.exposeBoolean('isAll'),
    }),
  });

  const TextRef = builder.objectRef<WeizhipinText>('WeizhipinText').implement({
    description: 'Text, with the people it mentions resolved.',
    fields: (t) => ({
      text: t.exposeString('text', { description: 'As received; mentions are written `@name`.' }),
      mentions: t.expose('mentions', { type: [MentionRef] }),
    }),
  });

  const ImageRef = builder.objectRef<WeizhipinImage>('WeizhipinImage').implement({
    description:
      "A picture, known by its vendor key only (the vendor's image API serves it; messages carry no URL).",
    fields: (t) => ({ imageKey: t.exposeString('imageKey') }),
  });

  const RichTextTextRef = builder.objectRef<WeizhipinRichTextText>('WeizhipinRichTextText').implement({
    description: 'A run of text in a rich-text paragraph.',
    fields: (t) => ({
      text: t.exposeString('text'),
      styles: t.exposeStringList('styles', { description: 'e.g. bold, italic, underline.' }),
    }),
  });

  const RichTextLinkRef = builder.objectRef<WeizhipinRichTextLink>('WeizhipinRichTextLink').implement({
    description: 'A link in a rich-text paragraph.',
    fields: (t) => ({
      text: t.exposeString('text'),
      href: t.exposeString('href', { nullable: true }),
    }),
  });

  const RichTextUnknownRef = builder
    .objectRef<WeizhipinRichTextUnknown>('WeizhipinRichTextUnknown')
    .implement({
      description: 'A rich-text element of a kind chatgraph does not know yet, as received.',
      fields: (t) => ({
        tag: t.exposeString('tag', { description: "The vendor's tag, e.g. hr, code_block." }),
        raw: t.field({ type: 'JSON', resolve: (element) => element.raw }),
      }),
    });

  const RichTextElementUnion = kit.contentUnion<WeizhipinRichTextElement>(
    'WeizhipinRichTextElement',
    'One element of a rich-text paragraph.',
    [RichTextTextRef, RichTextLinkRef, MentionRef, ImageRef, RichTextUnknownRef],
  );

  const ParagraphRef = builder.objectRef<WeizhipinRichTextParagraph>('WeizhipinRichTextParagraph').implement({
    description: 'One line of a rich text.',
    fields: (t) => ({
      elements: t.field({ type: [RichTextElementUnion], resolve: (paragraph) => paragraph.elements }),
    }),
  });

  const RichTextRef = builder.objectRef<WeizhipinRichText>('WeizhipinRichText').implement({
    description: 'Rich text (rich_text or new_rich_text): paragraphs of text, links, mentions and images.',
    fields: (t) => ({
      format: t.exposeString('format', { description: 'rich_text or new_rich_text.' }),
      title: t.exposeString('title', { nullable: true }),
      paragraphs: t.expose('paragraphs', { type: [ParagraphRef] }),
    }),
  });

  const SystemCardRef = builder.objectRef<WeizhipinSystemCard>('WeizhipinSystemCard').implement({
    description: 'A card the platform writes into the chat.',
    fields: (t) => ({
      title: t.exposeString('title', { nullable: true }),
      text: t.exposeString('text', { description: "The card's wording; empty when it has none." }),
      card: t.field({
        type: 'JSON',
        description: 'The card as received.',
        resolve: (content) => content.card,
      }),
    }),
  });

  const WeizhipinContentUnion = kit.contentUnion<WeizhipinContent>(
    'WeizhipinContent',
    'What a weizhipin IM message holds.',
    [TextRef, ImageRef, RichTextRef, SystemCardRef, content.UnsupportedContentRef],
  );

  kit.messageType<WeizhipinMessage>({
    description: 'A message of a weizhipin IM chat; its externalId is the vendor message_id.',
    fields: (t) => ({
      content: t.expose('content', { type: WeizhipinContentUnion }),
      msgType: t.exposeString('msgType', {
        nullable: true,
        description: 'The vendor message type as received, e.g. text, new_rich_text.',
      }),
      rootId: t.exposeString('rootId', { nullable: true }),
      parentId: t.exposeString('parentId', { nullable: true }),
      upperMessageId: t.exposeString('upperMessageId', {
        nullable: true,
        description: 'Within a merged forward, the message one level up.',
      }),
      updated: t.exposeBoolean('updated', { description: 'The sender edited the message.' }),
      updatedAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When it was last updated, as the vendor says (its creation time when never edited).',
        resolve: (message) => message.updatedAt,
      }),
      chatId: t.exposeString('chatId', {
        nullable: true,
        description:
          "The vendor's chat_id (documented as the group the message belongs to; null in one-to-one chats).",
      }),
      senderIdType: t.exposeString('senderIdType', {
        nullable: true,
        description:
          "What kind of id the sender's externalId is (sender.id_type: open_id, union_id, user_id).",
      }),
      senderTenantKey: t.exposeString('senderTenantKey', {
        nullable: true,
        description: 'The tenant the sender belongs to (sender.tenant_key).',
      }),
    }),
  });
}
