/**
 * What a person sees in a message, whatever the vendor: each vendor's content union (read
 * through its fragment) becomes a few display blocks. The terminal transcript and the /inbox
 * viewer both render these, so the two never disagree about what a message shows.
 */
import type {
  AirudderContentPartsFragment,
  AirudderHeaderPartsFragment,
  AirudderLineActionPartsFragment,
  AirudderWhatsappButtonPartsFragment,
  AudioPartsFragment,
  FilePartsFragment,
  ImagePartsFragment,
  LocationPartsFragment,
  MyscrmContentPartsFragment,
  SenderRole,
  TranscriptMessageFragment,
  VideoPartsFragment,
  WechatStoreContentPartsFragment,
  WeizhipinContentPartsFragment,
} from './gql/graphql.js';

export interface Action {
  label: string;
  /** Where a link button goes; null for reply buttons. */
  url: string | null;
}

export type Inline =
  | { kind: 'text'; text: string; styles: string[] }
  | { kind: 'link'; text: string; href: string | null }
  | { kind: 'mention'; name: string }
  | { kind: 'image'; imageKey: string }
  | { kind: 'unknown'; tag: string };

export type CardKind =
  | 'product'
  | 'order'
  | 'mini-program'
  | 'contact'
  | 'red-packet'
  | 'link'
  | 'document'
  | 'location'
  | 'consent';

export interface TemplateCard {
  header: Block | null;
  title: string | null;
  body: string | null;
  footer: string | null;
  buttons: Action[];
}

export type Block =
  | { type: 'text'; text: string }
  | { type: 'rich-text'; title: string | null; paragraphs: Inline[][] }
  | {
      type: 'image';
      url: string | null;
      thumbnailUrl: string | null;
      width: number | null;
      height: number | null;
      sticker: boolean;
      /** For vendors that only name the picture (weizhipin): no URL to show. */
      imageKey: string | null;
    }
  | { type: 'video'; url: string | null; thumbnailUrl: string | null; durationSeconds: number | null }
  | { type: 'audio'; url: string | null; durationSeconds: number | null; transcript: string | null }
  | { type: 'file'; url: string | null; name: string; sizeBytes: number | null }
  | {
      type: 'card';
      card: CardKind;
      title: string;
      lines: string[];
      imageUrl: string | null;
      url: string | null;
    }
  | {
      type: 'prompt';
      header: Block | null;
      body: string | null;
      footer: string | null;
      buttons: Action[];
      /** The button that opens a list prompt's choices. */
      listButtonText: string | null;
      sections: Array<{ title: string | null; rows: Array<{ title: string; description: string | null }> }>;
    }
  | {
      type: 'template';
      template: 'whatsapp' | 'instagram' | 'line';
      name: string | null;
      header: Block | null;
      body: string | null;
      footer: string | null;
      buttons: Action[];
      cards: TemplateCard[];
    }
  | { type: 'notice'; text: string }
  | { type: 'unsupported'; vendorType: string };

export type Side = 'incoming' | 'outgoing' | 'system';

export interface MessageView {
  id: string;
  sentAt: string;
  side: Side;
  role: SenderRole;
  /** Who to show as the sender: the display name, else the vendor id, else the role. */
  sender: string;
  avatarUrl: string | null;
  recalled: boolean;
  blocks: Block[];
  /** The text of the message this one answers or quotes. */
  quote: string | null;
  /** Small print under the message: edits, compliance rules hit. */
  notes: string[];
}

export function messageView(message: TranscriptMessageFragment): MessageView {
  const blocks = contentBlocks(message);
  const notes: string[] = [];
  let quote: string | null = null;
  switch (message.__typename) {
    case 'AirudderMessage':
      quote = message.reply?.text ?? null;
      break;
    case 'WeizhipinMessage':
      if (message.updated) notes.push('edited');
      break;
    case 'MyscrmMessage':
      for (const flag of message.complianceFlags) {
        notes.push(`rule hit: ${flag.ruleName ?? 'unnamed rule'} (${flag.keywords.join(', ')})`);
      }
      break;
    case 'WechatStoreMessage':
      break;
  }
  const onlyNotices = blocks.length > 0 && blocks.every((block) => block.type === 'notice');
  return {
    id: message.id,
    sentAt: message.sentAt,
    side: message.sender.role === 'SYSTEM' || onlyNotices ? 'system' : sideOf(message.sender.role),
    role: message.sender.role,
    sender: message.sender.displayName ?? message.sender.externalId ?? message.sender.role.toLowerCase(),
    avatarUrl: message.sender.avatarUrl,
    recalled: message.recalled,
    blocks,
    quote,
    notes,
  };
}

function sideOf(role: SenderRole): Side {
  switch (role) {
    case 'AGENT':
    case 'BOT':
      return 'outgoing';
    case 'SYSTEM':
      return 'system';
    case 'CUSTOMER':
    case 'UNKNOWN':
      return 'incoming';
  }
}

function contentBlocks(message: TranscriptMessageFragment): Block[] {
  switch (message.__typename) {
    case 'WechatStoreMessage':
      return wechatStoreBlocks(message.content);
    case 'AirudderMessage':
      return airudderBlocks(message.content);
    case 'WeizhipinMessage':
      return weizhipinBlocks(message.content);
    case 'MyscrmMessage':
      return myscrmBlocks(message.content);
  }
}

const image = (c: Omit<ImagePartsFragment, '__typename'>, sticker = false): Block => ({
  type: 'image',
  url: c.url,
  thumbnailUrl: c.thumbnailUrl,
  width: c.width,
  height: c.height,
  sticker,
  imageKey: null,
});
const video = (c: VideoPartsFragment): Block => ({
  type: 'video',
  url: c.url,
  thumbnailUrl: c.thumbnailUrl,
  durationSeconds: c.durationSeconds,
});
const audio = (c: AudioPartsFragment): Block => ({
  type: 'audio',
  url: c.url,
  durationSeconds: c.durationSeconds,
  transcript: c.transcript,
});
const file = (c: FilePartsFragment): Block => ({
  type: 'file',
  url: c.url,
  name: c.name ?? 'file',
  sizeBytes: c.sizeBytes,
});
const location = (c: LocationPartsFragment): Block => ({
  type: 'card',
  card: 'location',
  title: c.name ?? 'Location',
  // Vendors often send the address as the name too.
  lines: present([
    c.address === c.name ? null : c.address,
    c.latitude !== null && c.longitude !== null ? `${c.latitude}, ${c.longitude}` : null,
  ]),
  imageUrl: null,
  url:
    c.latitude !== null && c.longitude !== null
      ? `https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}`
      : null,
});
const unsupported = (vendorType: string): Block => ({ type: 'unsupported', vendorType });
const present = (values: Array<string | null | undefined>): string[] =>
  values.filter((value): value is string => typeof value === 'string' && value !== '');

export function wechatStoreBlocks(content: WechatStoreContentPartsFragment): Block[] {
  switch (content.__typename) {
    case 'TextContent':
      return [{ type: 'text', text: content.text }];
    case 'ImageContent':
      return [image(content)];
    case 'VideoContent':
      return [video(content)];
    case 'AudioContent':
      return [audio(content)];
    case 'WechatStoreProductCard':
      return [
        {
          type: 'card',
          card: 'product',
          title: content.title ?? 'Product',
          lines: present([content.priceText]),
          imageUrl: content.imageUrl,
          url: null,
        },
      ];
    case 'WechatStoreOrderCard':
      return [
        {
          type: 'card',
          card: 'order',
          title: `Order ${content.orderId ?? ''}`.trim(),
          lines: [
            ...present([content.stateText, content.priceText]),
            ...content.products.map((p) => `${p.quantity ?? 1} × ${p.title ?? p.productId ?? 'item'}`),
          ],
          imageUrl: content.products[0]?.imageUrl ?? null,
          url: null,
        },
      ];
    case 'WechatStoreSystemNotice':
      return [{ type: 'notice', text: content.text || content.noticeType }];
    case 'UnsupportedContent':
      return [unsupported(content.vendorType)];
  }
}

function airudderHeader(header: AirudderHeaderPartsFragment | null): Block | null {
  if (!header) return null;
  switch (header.__typename) {
    case 'TextContent':
      return { type: 'text', text: header.text };
    case 'ImageContent':
      return image(header);
    case 'VideoContent':
      return video(header);
    case 'FileContent':
      return file(header);
    case 'LocationContent':
      return location(header);
    case 'UnsupportedContent':
      return unsupported(header.vendorType);
  }
}

const whatsappButton = (b: AirudderWhatsappButtonPartsFragment): Action => ({
  label: b.text ?? b.phoneNumber ?? b.url ?? b.type ?? 'button',
  url: b.url ?? (b.phoneNumber ? `tel:${b.phoneNumber}` : null),
});
const lineAction = (a: AirudderLineActionPartsFragment): Action => ({
  label: a.label ?? a.type ?? 'action',
  url: a.uri,
});

export function airudderBlocks(content: AirudderContentPartsFragment): Block[] {
  switch (content.__typename) {
    case 'TextContent':
    case 'AirudderPromptAnswer':
      return [{ type: 'text', text: content.text }];
    case 'ImageContent':
      return [image(content)];
    case 'VideoContent':
      return [video(content)];
    case 'AudioContent':
      return [audio(content)];
    case 'FileContent':
      return [file(content)];
    case 'AirudderInteractivePrompt':
      return [
        {
          type: 'prompt',
          header: airudderHeader(content.header),
          body: content.body,
          footer: content.footer,
          buttons: content.buttons.map((b) => ({ label: b.title ?? b.id ?? 'button', url: null })),
          listButtonText: content.listButtonText,
          sections: content.sections.map((section) => ({
            title: section.title,
            rows: section.rows.map((row) => ({
              title: row.title ?? row.id ?? '',
              description: row.description,
            })),
          })),
        },
      ];
    case 'AirudderWhatsappTemplate':
      return [
        {
          type: 'template',
          template: 'whatsapp',
          name: content.templateName,
          header: airudderHeader(content.header),
          body: content.body,
          footer: content.footer,
          buttons: content.buttons.map(whatsappButton),
          cards: content.cards.map((card) => ({
            header: airudderHeader(card.header),
            title: null,
            body: card.body,
            footer: card.footer,
            buttons: card.buttons.map(whatsappButton),
          })),
        },
      ];
    case 'AirudderInstagramTemplate':
      return [
        {
          type: 'template',
          template: 'instagram',
          name: content.templateType,
          header: null,
          body: null,
          footer: null,
          buttons: [],
          cards: content.elements.map((element) => ({
            header: element.imageUrl
              ? image({ url: element.imageUrl, thumbnailUrl: null, width: null, height: null })
              : null,
            title: element.title,
            body: element.subtitle,
            footer: null,
            buttons: element.buttons.map((b) => ({ label: b.title ?? b.type ?? 'button', url: b.url })),
          })),
        },
      ];
    case 'AirudderLineTemplate':
      return [
        {
          type: 'template',
          template: 'line',
          name: content.title ?? content.templateType,
          header: content.imageUrl
            ? image({ url: content.imageUrl, thumbnailUrl: null, width: null, height: null })
            : null,
          body: content.body,
          footer: null,
          buttons: content.actions.map(lineAction),
          cards: content.columns.map((column) => ({
            header: column.imageUrl
              ? image({ url: column.imageUrl, thumbnailUrl: null, width: null, height: null })
              : null,
            title: column.title,
            body: column.body,
            footer: null,
            buttons: column.actions.map(lineAction),
          })),
        },
      ];
    case 'UnsupportedContent':
      return [unsupported(content.vendorType)];
  }
}

export function weizhipinBlocks(content: WeizhipinContentPartsFragment): Block[] {
  switch (content.__typename) {
    case 'WeizhipinText':
      return [{ type: 'text', text: content.text }];
    case 'WeizhipinImage':
      return [
        {
          type: 'image',
          url: null,
          thumbnailUrl: null,
          width: null,
          height: null,
          sticker: false,
          imageKey: content.imageKey,
        },
      ];
    case 'WeizhipinRichText':
      return [
        {
          type: 'rich-text',
          title: content.title,
          paragraphs: content.paragraphs.map((paragraph) => paragraph.elements.map(richTextInline)),
        },
      ];
    case 'WeizhipinSystemCard':
      return [{ type: 'notice', text: present([content.title, content.text]).join(': ') || 'system card' }];
    case 'UnsupportedContent':
      return [unsupported(content.vendorType)];
  }
}

type RichTextElement = Extract<
  WeizhipinContentPartsFragment,
  { __typename: 'WeizhipinRichText' }
>['paragraphs'][number]['elements'][number];

function richTextInline(element: RichTextElement): Inline {
  switch (element.__typename) {
    case 'WeizhipinRichTextText':
      return { kind: 'text', text: element.text, styles: element.styles };
    case 'WeizhipinRichTextLink':
      return { kind: 'link', text: element.text, href: element.href };
    case 'WeizhipinMention':
      return { kind: 'mention', name: element.isAll ? 'all' : (element.name ?? element.id) };
    case 'WeizhipinImage':
      return { kind: 'image', imageKey: element.imageKey };
    case 'WeizhipinRichTextUnknown':
      return { kind: 'unknown', tag: element.tag };
  }
}

export function myscrmBlocks(content: MyscrmContentPartsFragment): Block[] {
  switch (content.__typename) {
    case 'TextContent':
      return [{ type: 'text', text: content.text }];
    case 'ImageContent':
      return [image(content)];
    case 'StickerContent':
      return [image(content, true)];
    case 'VideoContent':
      return [video(content)];
    case 'AudioContent':
      return [audio(content)];
    case 'FileContent':
      return [file(content)];
    case 'LocationContent':
      return [location(content)];
    case 'LinkContent':
      return [
        {
          type: 'card',
          card: 'link',
          title: content.title ?? content.url ?? 'Link',
          lines: present([content.description]),
          imageUrl: content.imageUrl,
          url: content.url,
        },
      ];
    case 'MyscrmContactCard':
      return [
        {
          type: 'card',
          card: 'contact',
          title: content.userId ?? 'Contact',
          lines: present([content.corpName]),
          imageUrl: null,
          url: null,
        },
      ];
    case 'MyscrmMiniProgram':
      return [
        {
          type: 'card',
          card: 'mini-program',
          title: content.title ?? content.appName ?? 'Mini program',
          lines: present([content.description, content.appName]),
          imageUrl: null,
          url: null,
        },
      ];
    case 'MyscrmRedPacket':
      return [
        {
          type: 'card',
          card: 'red-packet',
          title: content.wish ?? 'Red packet',
          lines: present([
            content.totalAmountFen !== null ? `¥${(content.totalAmountFen / 100).toFixed(2)}` : null,
            content.count !== null ? `${content.count} packet${content.count === 1 ? '' : 's'}` : null,
          ]),
          imageUrl: null,
          url: null,
        },
      ];
    case 'MyscrmSharedDocument':
      return [
        {
          type: 'card',
          card: 'document',
          title: content.title ?? 'Document',
          lines: [],
          imageUrl: null,
          url: content.url,
        },
      ];
    case 'MyscrmConsent':
      return [
        {
          type: 'notice',
          text: `${content.userId ?? 'The contact'} ${content.agreed ? 'agreed to' : 'refused'} chat archiving`,
        },
      ];
    case 'UnsupportedContent':
      return [unsupported(content.vendorType)];
  }
}

/** One line of plain text for a block, as the terminal transcript prints it. */
export function blockText(block: Block): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'rich-text':
      return [
        ...(block.title ? [block.title] : []),
        ...block.paragraphs.map((paragraph) => paragraph.map(inlineText).join('')),
      ].join(' / ');
    case 'image':
      return block.imageKey
        ? `[image ${block.imageKey}]`
        : `[${block.sticker ? 'sticker' : 'image'}${block.width && block.height ? ` ${block.width}×${block.height}` : ''}${block.url ? ` ${block.url}` : ''}]`;
    case 'video':
      return `[video${block.durationSeconds !== null ? ` ${formatDuration(block.durationSeconds)}` : ''}${block.url ? ` ${block.url}` : ''}]`;
    case 'audio':
      return `[voice${block.durationSeconds !== null ? ` ${formatDuration(block.durationSeconds)}` : ''}]${block.transcript ? ` “${block.transcript}”` : ''}`;
    case 'file':
      return `[file ${block.name}${block.sizeBytes !== null ? ` (${formatBytes(block.sizeBytes)})` : ''}]`;
    case 'card':
      return `[${block.card} card: ${[block.title, ...block.lines].join(' · ')}]`;
    case 'prompt':
      return [
        ...(block.header ? [blockText(block.header)] : []),
        ...present([block.body, block.footer]),
        ...(block.buttons.length ? [block.buttons.map((b) => `[${b.label}]`).join(' ')] : []),
        ...(block.sections.length
          ? [
              `${block.listButtonText ?? 'choices'}: ${block.sections.flatMap((s) => s.rows.map((r) => r.title)).join(', ')}`,
            ]
          : []),
      ].join(' ');
    case 'template':
      return [
        `[${block.template} template${block.name ? ` ${block.name}` : ''}]`,
        ...(block.header ? [blockText(block.header)] : []),
        ...present([block.body, block.footer]),
        ...block.cards.map((card) => `{${present([card.title, card.body]).join(': ')}}`),
        ...(block.buttons.length ? [block.buttons.map((b) => `[${b.label}]`).join(' ')] : []),
      ].join(' ');
    case 'notice':
      return `— ${block.text} —`;
    case 'unsupported':
      return `[unsupported content: ${block.vendorType}]`;
  }
}

function inlineText(inline: Inline): string {
  switch (inline.kind) {
    case 'text':
    case 'link':
      return inline.text;
    case 'mention':
      return `@${inline.name}`;
    case 'image':
      return `[image ${inline.imageKey}]`;
    case 'unknown':
      return `[${inline.tag}]`;
  }
}

export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
