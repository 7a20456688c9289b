/**
 * AIRUDDER chatbot sessions (WhatsApp, Instagram, Line): sessions, their messages, and the
 * content only this vendor has. Field names shared by several union members keep one type across
 * them (`body`, `footer`: String; `header`: AirudderHeader; `buttons`: a non-null list;
 * `templateType`: String; `text`: String! as in TextContent), so clients can select them together.
 */

import type { VendorSchemaKit } from '../../schema/kit.js';
import type {
  AirudderContent,
  AirudderHeader,
  AirudderInstagramButton,
  AirudderInstagramElement,
  AirudderInstagramTemplate,
  AirudderInteractivePrompt,
  AirudderLineAction,
  AirudderLineColumn,
  AirudderLineTemplate,
  AirudderMessage,
  AirudderPromptAnswer,
  AirudderPromptButton,
  AirudderPromptRow,
  AirudderPromptSection,
  AirudderReply,
  AirudderWhatsappButton,
  AirudderWhatsappCard,
  AirudderWhatsappTemplate,
} from './normalize.js';

/** The vendor's GraphQL types (see `VendorDefinition.graphql`). */
export function airudderTypes(kit: VendorSchemaKit): void {
  const { builder, content } = kit;

  kit.conversationType(
    'An AIRUDDER chatbot session (`call_id`) on WhatsApp, Instagram or Line; the vendor keeps its last 24 hours.',
  );

  const HeaderUnion = kit.contentUnion<AirudderHeader>(
    'AirudderHeader',
    'The header of a WhatsApp template, a carousel card or an interactive prompt.',
    [
      content.TextContentRef,
      content.ImageContentRef,
      content.VideoContentRef,
      content.FileContentRef,
      content.LocationContentRef,
      content.UnsupportedContentRef,
    ],
  );

  const PromptButtonRef = builder.objectRef<AirudderPromptButton>('AirudderPromptButton').implement({
    description: 'A reply button of an interactive prompt.',
    fields: (t) => ({
      type: t.exposeString('type', { nullable: true, description: 'As sent, e.g. "reply".' }),
      id: t.exposeString('id', {
        nullable: true,
        description: 'What the vendor gets back when it is picked.',
      }),
      title: t.exposeString('title', { nullable: true }),
    }),
  });

  const PromptRowRef = builder.objectRef<AirudderPromptRow>('AirudderPromptRow').implement({
    description: 'A choice of a list prompt.',
    fields: (t) => ({
      id: t.exposeString('id', { nullable: true }),
      title: t.exposeString('title', { nullable: true }),
      description: t.exposeString('description', { nullable: true }),
    }),
  });

  const PromptSectionRef = builder.objectRef<AirudderPromptSection>('AirudderPromptSection').implement({
    description: 'A group of choices of a list prompt.',
    fields: (t) => ({
      title: t.exposeString('title', { nullable: true }),
      rows: t.field({ type: [PromptRowRef], resolve: (section) => section.rows }),
    }),
  });

  const InteractivePromptRef = builder
    .objectRef<AirudderInteractivePrompt>('AirudderInteractivePrompt')
    .implement({
      description: 'A question the bot asks with choices: reply buttons, or a list of sections with rows.',
      fields: (t) => ({
        promptType: t.exposeString('promptType', {
          nullable: true,
          description: 'As sent: "button" or "list".',
        }),
        header: t.field({ type: HeaderUnion, nullable: true, resolve: (prompt) => prompt.header }),
        body: t.exposeString('body', { nullable: true }),
        footer: t.exposeString('footer', { nullable: true }),
        listButtonText: t.exposeString('listButtonText', {
          nullable: true,
          description: 'The label of the button that opens a list prompt.',
        }),
        buttons: t.field({ type: [PromptButtonRef], resolve: (prompt) => prompt.buttons }),
        sections: t.field({ type: [PromptSectionRef], resolve: (prompt) => prompt.sections }),
      }),
    });

  const PromptAnswerRef = builder.objectRef<AirudderPromptAnswer>('AirudderPromptAnswer').implement({
    description: "The user's answer to an interactive prompt; the prompt is the message's `reply`.",
    fields: (t) => ({ text: t.exposeString('text', { description: 'The choice, as the user sees it.' }) }),
  });

  const WhatsappButtonRef = builder.objectRef<AirudderWhatsappButton>('AirudderWhatsappButton').implement({
    description: 'A button of a WhatsApp template or carousel card.',
    fields: (t) => ({
      type: t.exposeString('type', { nullable: true, description: 'As sent: "quick_reply", "url", …' }),
      text: t.exposeString('text', { nullable: true }),
      url: t.exposeString('url', { nullable: true }),
      phoneNumber: t.exposeString('phoneNumber', { nullable: true }),
    }),
  });

  const WhatsappCardRef = builder.objectRef<AirudderWhatsappCard>('AirudderWhatsappCard').implement({
    description: 'A card of a WhatsApp carousel template.',
    fields: (t) => ({
      header: t.field({ type: HeaderUnion, nullable: true, resolve: (card) => card.header }),
      body: t.exposeString('body', { nullable: true }),
      footer: t.exposeString('footer', { nullable: true }),
      buttons: t.field({ type: [WhatsappButtonRef], resolve: (card) => card.buttons }),
    }),
  });

  const WhatsappTemplateRef = builder
    .objectRef<AirudderWhatsappTemplate>('AirudderWhatsappTemplate')
    .implement({
      description: 'A WhatsApp message template: header of any kind, body, footer, buttons, carousel cards.',
      fields: (t) => ({
        templateId: t.exposeString('templateId', { nullable: true }),
        templateName: t.exposeString('templateName', { nullable: true }),
        language: t.exposeString('language', { nullable: true }),
        category: t.exposeString('category', { nullable: true, description: 'As sent, e.g. "marketing".' }),
        subcategory: t.exposeString('subcategory', {
          nullable: true,
          description: 'The vendor\'s `subcate`, e.g. "blank", "carousel".',
        }),
        header: t.field({ type: HeaderUnion, nullable: true, resolve: (template) => template.header }),
        body: t.exposeString('body', { nullable: true }),
        footer: t.exposeString('footer', { nullable: true }),
        buttons: t.field({ type: [WhatsappButtonRef], resolve: (template) => template.buttons }),
        cards: t.field({ type: [WhatsappCardRef], resolve: (template) => template.cards }),
      }),
    });

  const InstagramButtonRef = builder.objectRef<AirudderInstagramButton>('AirudderInstagramButton').implement({
    description: 'A button of an Instagram template element.',
    fields: (t) => ({
      type: t.exposeString('type', { nullable: true, description: 'As sent: "postback", "web_url", …' }),
      title: t.exposeString('title', { nullable: true }),
      payload: t.exposeString('payload', { nullable: true }),
      url: t.exposeString('url', { nullable: true }),
    }),
  });

  const InstagramElementRef = builder
    .objectRef<AirudderInstagramElement>('AirudderInstagramElement')
    .implement({
      description: 'An element of an Instagram generic template.',
      fields: (t) => ({
        title: t.exposeString('title', { nullable: true }),
        subtitle: t.exposeString('subtitle', { nullable: true }),
        imageUrl: t.exposeString('imageUrl', { nullable: true }),
        buttons: t.field({ type: [InstagramButtonRef], resolve: (element) => element.buttons }),
      }),
    });

  const InstagramTemplateRef = builder
    .objectRef<AirudderInstagramTemplate>('AirudderInstagramTemplate')
    .implement({
      description: 'An Instagram template (generic template elements with buttons).',
      fields: (t) => ({
        templateType: t.exposeString('templateType', {
          nullable: true,
          description: 'As sent, e.g. "generic".',
        }),
        elements: t.field({ type: [InstagramElementRef], resolve: (template) => template.elements }),
      }),
    });

  const LineActionRef = builder.objectRef<AirudderLineAction>('AirudderLineAction').implement({
    description: 'An action of a Line template.',
    fields: (t) => ({
      type: t.exposeString('type', { nullable: true, description: 'As sent: "postback", "uri", …' }),
      label: t.exposeString('label', { nullable: true }),
      data: t.exposeString('data', { nullable: true }),
      displayText: t.exposeString('displayText', { nullable: true }),
      uri: t.exposeString('uri', { nullable: true }),
    }),
  });

  const LineColumnRef = builder.objectRef<AirudderLineColumn>('AirudderLineColumn').implement({
    description: 'A column of a Line carousel template.',
    fields: (t) => ({
      title: t.exposeString('title', { nullable: true }),
      body: t.exposeString('body', { nullable: true, description: "Line's `text`." }),
      imageUrl: t.exposeString('imageUrl', { nullable: true }),
      defaultAction: t.field({
        type: LineActionRef,
        nullable: true,
        resolve: (column) => column.defaultAction,
      }),
      actions: t.field({ type: [LineActionRef], resolve: (column) => column.actions }),
    }),
  });

  const LineTemplateRef = builder.objectRef<AirudderLineTemplate>('AirudderLineTemplate').implement({
    description: 'A Line template: buttons (text with actions) or a carousel of columns.',
    fields: (t) => ({
      templateType: t.exposeString('templateType', {
        nullable: true,
        description: 'As sent: "buttons", "carousel", …',
      }),
      title: t.exposeString('title', { nullable: true }),
      body: t.exposeString('body', { nullable: true, description: "Line's `text`." }),
      imageUrl: t.exposeString('imageUrl', { nullable: true }),
      defaultAction: t.field({
        type: LineActionRef,
        nullable: true,
        resolve: (template) => template.defaultAction,
      }),
      actions: t.field({ type: [LineActionRef], resolve: (template) => template.actions }),
      columns: t.field({ type: [LineColumnRef], resolve: (template) => template.columns }),
    }),
  });

  const AirudderContentUnion = kit.contentUnion<AirudderContent>(
    'AirudderContent',
    'What an AIRUDDER message holds.',
    [
      content.TextContentRef,
      content.ImageContentRef,
      content.VideoContentRef,
      content.AudioContentRef,
      content.FileContentRef,
      InteractivePromptRef,
      PromptAnswerRef,
      WhatsappTemplateRef,
      InstagramTemplateRef,
      LineTemplateRef,
      content.UnsupportedContentRef,
    ],
  );

  const MessageStatusEnum = builder.enumType('AirudderMessageStatus', {
    description: 'Delivery state of a message, as far as the vendor says.',
    values: {
      READ: { description: 'Vendor "read".' },
      DELIVERED: { description: 'Vendor "delivery".' },
      SENT: { description: 'Vendor "sent".' },
      FAILED: { description: 'Vendor "failed".' },
      UNKNOWN: { description: 'A value the vendor does not document (e.g. "send"): see `statusRaw`.' },
    } as const,
  });

  const ReplyRef = builder.objectRef<AirudderReply>('AirudderReply').implement({
    description: 'The message a message quotes (for an answer to a prompt: the prompt).',
    fields: (t) => ({
      msgId: t.exposeString('msgId', {
        nullable: true,
        description: "The quoted message's `msg_id`, when the vendor sends it.",
      }),
      sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
      content: t.expose('content', { type: AirudderContentUnion }),
      text: t.exposeString('text', { nullable: true, description: 'A plain-text rendering of the quote.' }),
    }),
  });

  kit.messageType<AirudderMessage>({
    description: 'A message of an AIRUDDER chatbot session.',
    fields: (t) => ({
      content: t.expose('content', { type: AirudderContentUnion }),
      status: t.expose('status', { type: MessageStatusEnum }),
      statusRaw: t.exposeString('statusRaw', {
        nullable: true,
        description: "The vendor's `status` as received.",
      }),
      senderType: t.exposeString('senderType', {
        nullable: true,
        description: 'The vendor\'s `sender_type` as received, e.g. "robot", "chatbot", "user".',
      }),
      turnId: t.exposeString('turnId', {
        description: '`msg_id` without its `-N` suffix: the bot turn a split message belongs to.',
      }),
      part: t.exposeInt('part', { nullable: true, description: 'Which part of a split bot turn (the `N`).' }),
      reply: t.expose('reply', { type: ReplyRef, nullable: true }),
    }),
  });
}
