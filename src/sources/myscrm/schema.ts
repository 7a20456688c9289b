/** myscrm WeCom chat archive: chats, their messages, compliance flags and the content only it has. */

import type { VendorSchemaKit } from '../../schema/kit.js';
import type {
  MyscrmComplianceFlag,
  MyscrmConsent,
  MyscrmContactCard,
  MyscrmContent,
  MyscrmMessage,
  MyscrmMiniProgram,
  MyscrmRedPacket,
  MyscrmSharedDocument,
  MyscrmStickerDetails,
} from './normalize.js';

/** The vendor's GraphQL types (see `VendorDefinition.graphql`). */
export function myscrmTypes(kit: VendorSchemaKit): void {
  const { builder, content } = kit;

  kit.conversationType(
    'A WeCom chat (one-to-one or group) from the myscrm chat archive; `externalId` is its `chat_id`.',
  );

  const ConsentRef = builder.objectRef<MyscrmConsent>('MyscrmConsent').implement({
    description: 'An external contact agreed or refused to have the chat archived (`agree` / `disagree`).',
    fields: (t) => ({
      agreed: t.exposeBoolean('agreed', { description: 'True for `agree`, false for `disagree`.' }),
      userId: t.exposeString('userId', { nullable: true, description: 'WeCom userid of who answered.' }),
      at: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When they answered.',
        resolve: (consent) => consent.at,
      }),
    }),
  });

  const MiniProgramRef = builder.objectRef<MyscrmMiniProgram>('MyscrmMiniProgram').implement({
    description: 'A WeChat mini program, shared as a card.',
    fields: (t) => ({
      title: t.exposeString('title', { nullable: true }),
      description: t.exposeString('description', { nullable: true }),
      username: t.exposeString('username', {
        nullable: true,
        description: 'The mini program\'s original id, e.g. "gh_…@app".',
      }),
      appName: t.exposeString('appName', { nullable: true, description: "The mini program's name." }),
    }),
  });

  const RedPacketRef = builder.objectRef<MyscrmRedPacket>('MyscrmRedPacket').implement({
    description: 'A WeCom red packet.',
    fields: (t) => ({
      packetType: t.exposeInt('packetType', {
        nullable: true,
        description: "WeCom's red-packet type: 1 ordinary, 2 lucky draw, 3 incentive.",
      }),
      wish: t.exposeString('wish', { nullable: true }),
      count: t.exposeInt('count', { nullable: true, description: 'How many packets.' }),
      totalAmountFen: t.exposeInt('totalAmountFen', {
        nullable: true,
        description: 'The total in fen (0.01 CNY).',
      }),
    }),
  });

  const ContactCardRef = builder.objectRef<MyscrmContactCard>('MyscrmContactCard').implement({
    description: "A person's contact card.",
    fields: (t) => ({
      corpName: t.exposeString('corpName', { nullable: true }),
      userId: t.exposeString('userId', { nullable: true, description: 'WeCom userid of the person.' }),
    }),
  });

  const SharedDocumentRef = builder.objectRef<MyscrmSharedDocument>('MyscrmSharedDocument').implement({
    description: 'An online document (WeCom docs) shared into the chat (`docmsg`).',
    fields: (t) => ({
      title: t.exposeString('title', { nullable: true }),
      url: t.exposeString('url', {
        nullable: true,
        description: "The document's own address; it does not expire.",
      }),
      creatorId: t.exposeString('creatorId', { nullable: true, description: 'WeCom userid of its creator.' }),
    }),
  });

  const StickerFormatEnum = builder.enumType('MyscrmStickerFormat', {
    description: "A sticker's picture format (`emotion.type`).",
    values: {
      GIF: { description: '`type` 1.' },
      PNG: { description: '`type` 2.' },
      UNKNOWN: { description: 'Absent, or a value WeCom does not document: see `formatCode`.' },
    } as const,
  });

  const StickerDetailsRef = builder.objectRef<MyscrmStickerDetails>('MyscrmStickerDetails').implement({
    description: 'What an `emotion` record says beyond its picture (`StickerContent`).',
    fields: (t) => ({
      format: t.field({ type: StickerFormatEnum, resolve: (details) => details.format }),
      formatCode: t.exposeInt('formatCode', { nullable: true, description: '`emotion.type` as sent.' }),
      sizeBytes: t.exposeFloat('sizeBytes', {
        nullable: true,
        description: 'The picture file size; null when the vendor sent none (or 0).',
      }),
    }),
  });

  const ComplianceFlagRef = builder.objectRef<MyscrmComplianceFlag>('MyscrmComplianceFlag').implement({
    description: 'A keyword rule of the archive that the message hit (`hit_keyword_rules`).',
    fields: (t) => ({
      ruleId: t.exposeString('ruleId', { nullable: true, description: 'Null when the vendor sent none.' }),
      ruleName: t.exposeString('ruleName', { nullable: true }),
      keywords: t.exposeStringList('keywords', { description: "The rule's keywords the message hit." }),
    }),
  });

  const MyscrmContentUnion = kit.contentUnion<MyscrmContent>(
    'MyscrmContent',
    'What a myscrm message holds. Archive types the pull API does not document (revoke, chatrecord, todo, vote, meeting, markdown, news, calendar, mixed, …) are `UnsupportedContent` with the whole record.',
    [
      content.TextContentRef,
      content.ImageContentRef,
      content.VideoContentRef,
      content.AudioContentRef,
      content.FileContentRef,
      content.StickerContentRef,
      content.LinkContentRef,
      content.LocationContentRef,
      ConsentRef,
      MiniProgramRef,
      RedPacketRef,
      ContactCardRef,
      SharedDocumentRef,
      content.UnsupportedContentRef,
    ],
  );

  kit.messageType<MyscrmMessage>({
    description:
      'A message of a myscrm WeCom chat; `externalId` is its `chat_record_id`. Media URLs are temporary: see `expiresAt` on the content.',
    fields: (t) => ({
      content: t.expose('content', { type: MyscrmContentUnion }),
      qwChatRecordId: t.exposeString('qwChatRecordId', {
        nullable: true,
        description: "WeCom's own msgid of the record.",
      }),
      receiverIds: t.exposeStringList('receiverIds', { description: 'WeCom userids the message went to.' }),
      complianceFlags: t.field({
        type: [ComplianceFlagRef],
        description: 'The keyword rules the message hit; empty when none.',
        resolve: (message) => message.complianceFlags,
      }),
      recalledAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When the sender recalled the message; null when not recalled.',
        resolve: (message) => message.recalledAt,
      }),
      action: t.exposeString('action', {
        nullable: true,
        description: "The record's `action` as the vendor sends it (e.g. `send`); null when absent.",
      }),
      sticker: t.field({
        type: StickerDetailsRef,
        nullable: true,
        description: "A sticker's format and size (`emotion.type`, `emotion.size`); null for other records.",
        resolve: (message) => message.sticker,
      }),
    }),
  });
}
