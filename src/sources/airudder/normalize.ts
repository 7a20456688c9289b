/**
 * AIRUDDER chatbot session messages → the unified model. Pure functions, field by field, of the
 * values `./wire.ts` has read: every odd shape the vendor sends is resolved there, and content it
 * cannot read arrives as `unsupported`, with its raw value, to become `UnsupportedContent`.
 *
 * Content: text, image, video, audio, file; an interactive prompt the bot sends (buttons or list
 * sections), or the user's answer to one (the prompt quoted in `reply`); a template in its
 * channel's own shape (WhatsApp, Instagram, Line).
 *
 * The vendor does not follow its documented enums (the sample has `status: "send"`,
 * `sender_type: "chatbot"`): a value not mapped here becomes UNKNOWN with the raw value kept and a
 * warning, never a failed page. `send` stays UNKNOWN on purpose: it could mean "sending" as well
 * as "sent".
 *
 * Kinds: prompts and prompt answers are both INTERACTIVE (a client filtering on INTERACTIVE gets
 * the whole exchange); templates are TEMPLATE.
 */
import type {
  AudioContent,
  FileContent,
  ImageContent,
  LocationContent,
  Message,
  SenderRole,
  TextContent,
  UnsupportedContent,
  VideoContent,
} from '../../model/index.js';
import { unsupported } from '../../model/index.js';
import { joinText, type NormalizeContext } from '../../normalize/context.js';
import type {
  AirudderSessionMessage,
  AirudderWireContent,
  AirudderWireHeader,
  AirudderWireLineAction,
  AirudderWireMedia,
  AirudderWireQuote,
  AirudderWireUnsupported,
  AirudderWireWhatsappButton,
} from './wire.js';

/** A header of a WhatsApp template, carousel card or interactive prompt: any of these kinds. */
export type AirudderHeader =
  | TextContent
  | ImageContent
  | VideoContent
  | FileContent
  | LocationContent
  | UnsupportedContent;

export interface AirudderPromptButton {
  /** The vendor's button type, e.g. `reply`. */
  type: string | null;
  /** What the vendor gets back when the user picks it. */
  id: string | null;
  title: string | null;
}

export interface AirudderPromptRow {
  id: string | null;
  title: string | null;
  description: string | null;
}

export interface AirudderPromptSection {
  title: string | null;
  rows: AirudderPromptRow[];
}

export interface AirudderInteractivePrompt {
  __typename: 'AirudderInteractivePrompt';
  /** As sent: `button` or `list`. */
  promptType: string | null;
  header: AirudderHeader | null;
  body: string | null;
  footer: string | null;
  /** The label of the button that opens a list prompt. */
  listButtonText: string | null;
  buttons: AirudderPromptButton[];
  sections: AirudderPromptSection[];
}

/** The user's answer to an interactive prompt; the prompt itself is the message's `reply`. */
export interface AirudderPromptAnswer {
  __typename: 'AirudderPromptAnswer';
  text: string;
}

export interface AirudderWhatsappButton {
  /** As sent: `quick_reply`, `url`, `phone_number`, … */
  type: string | null;
  text: string | null;
  url: string | null;
  phoneNumber: string | null;
}

export interface AirudderWhatsappCard {
  header: AirudderHeader | null;
  body: string | null;
  footer: string | null;
  buttons: AirudderWhatsappButton[];
}

export interface AirudderWhatsappTemplate {
  __typename: 'AirudderWhatsappTemplate';
  templateId: string | null;
  templateName: string | null;
  language: string | null;
  /** As sent, e.g. `marketing`, `utility`. */
  category: string | null;
  /** The vendor's `subcate`, e.g. `blank`, `carousel`. */
  subcategory: string | null;
  header: AirudderHeader | null;
  body: string | null;
  footer: string | null;
  buttons: AirudderWhatsappButton[];
  cards: AirudderWhatsappCard[];
}

export interface AirudderInstagramButton {
  /** As sent: `postback`, `web_url`, … */
  type: string | null;
  title: string | null;
  payload: string | null;
  url: string | null;
}

export interface AirudderInstagramElement {
  title: string | null;
  subtitle: string | null;
  imageUrl: string | null;
  buttons: AirudderInstagramButton[];
}

export interface AirudderInstagramTemplate {
  __typename: 'AirudderInstagramTemplate';
  /** As sent, e.g. `generic`. */
  templateType: string | null;
  elements: AirudderInstagramElement[];
}

export interface AirudderLineAction {
  /** As sent: `postback`, `uri`, `message`, … */
  type: string | null;
  label: string | null;
  data: string | null;
  displayText: string | null;
  uri: string | null;
}

export interface AirudderLineColumn {
  title: string | null;
  body: string | null;
  imageUrl: string | null;
  defaultAction: AirudderLineAction | null;
  actions: AirudderLineAction[];
}

export interface AirudderLineTemplate {
  __typename: 'AirudderLineTemplate';
  /** As sent: `buttons`, `carousel`, `confirm`, … */
  templateType: string | null;
  title: string | null;
  /** Line's `text`. */
  body: string | null;
  imageUrl: string | null;
  defaultAction: AirudderLineAction | null;
  actions: AirudderLineAction[];
  columns: AirudderLineColumn[];
}

export type AirudderContent =
  | TextContent
  | ImageContent
  | VideoContent
  | AudioContent
  | FileContent
  | AirudderInteractivePrompt
  | AirudderPromptAnswer
  | AirudderWhatsappTemplate
  | AirudderInstagramTemplate
  | AirudderLineTemplate
  | UnsupportedContent;

/** The message a message quotes. */
export interface AirudderReply {
  msgId: string | null;
  /** Epoch ms, when the vendor sends the quoted message's time (the documented shape). */
  sentAt: number | null;
  content: AirudderContent;
  text: string | null;
}

export type AirudderMessageStatus = 'READ' | 'DELIVERED' | 'SENT' | 'FAILED' | 'UNKNOWN';

export interface AirudderMessage extends Message<AirudderContent> {
  vendor: 'AIRUDDER';
  status: AirudderMessageStatus;
  /** `status` as received. */
  statusRaw: string | null;
  /** `sender_type` as received. */
  senderType: string | null;
  /** `msg_id` without its `-N` part suffix: the bot turn the message belongs to. */
  turnId: string;
  /** The `N` of a `-N` suffix: which part of a split bot turn; null when not split. */
  part: number | null;
  reply: AirudderReply | null;
}

const ROLE_BY_SENDER_TYPE: Record<string, SenderRole> = {
  user: 'CUSTOMER',
  agent: 'AGENT',
  seat: 'AGENT',
  robot: 'BOT',
  chatbot: 'BOT',
  system: 'SYSTEM',
};

const STATUS_BY_VENDOR: Record<string, AirudderMessageStatus> = {
  read: 'READ',
  delivery: 'DELIVERED',
  sent: 'SENT',
  failed: 'FAILED',
};

/**
 * A vendor value looked up in one of the tables above: own keys only, so that `constructor` or
 * `__proto__` from the vendor is an unknown value, not a function from Object.prototype.
 */
function lookUp<V>(table: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const PART_SUFFIX = /^(.+)-(\d{1,4})$/;

export function normalizeAirudderMessage(
  record: AirudderSessionMessage,
  raw: unknown,
  ctx: NormalizeContext,
): AirudderMessage {
  const msgId = record.msg_id;
  const seatId = record.seat_id;
  const senderType = record.sender_type;
  let role = senderType === null ? undefined : lookUp(ROLE_BY_SENDER_TYPE, senderType.toLowerCase());
  if (!role) {
    ctx.warn('unknown AIRUDDER sender_type', { msgId, senderType });
    // Only agents (seats) have a seat id: it says who sent it when sender_type does not.
    role = seatId ? 'AGENT' : 'UNKNOWN';
  }
  const statusRaw = record.status;
  let status = statusRaw === null ? undefined : lookUp(STATUS_BY_VENDOR, statusRaw.toLowerCase());
  if (!status) {
    ctx.warn('unknown AIRUDDER status', { msgId, status: statusRaw });
    status = 'UNKNOWN';
  }
  const content = airudderContent(record.content, (message, details) =>
    ctx.warn(message, { msgId, ...details }),
  );
  const part = PART_SUFFIX.exec(msgId);
  return {
    vendor: 'AIRUDDER',
    source: ctx.source,
    conversation: ctx.conversation,
    externalId: msgId,
    sentAt: record.timestamp * 1000,
    sender: { role, externalId: seatId, displayName: null, avatarUrl: null },
    kind: KIND_BY_TYPENAME[content.__typename],
    text: airudderText(content, record.content),
    // AIRUDDER has no recall.
    recalled: false,
    content,
    raw,
    status,
    statusRaw,
    senderType,
    turnId: part ? (part[1] as string) : msgId,
    part: part ? Number(part[2]) : null,
    reply: record.reply === null ? null : airudderReply(record.reply, ctx, msgId),
  };
}

const KIND_BY_TYPENAME = {
  TextContent: 'TEXT',
  ImageContent: 'IMAGE',
  VideoContent: 'VIDEO',
  AudioContent: 'AUDIO',
  FileContent: 'FILE',
  AirudderInteractivePrompt: 'INTERACTIVE',
  AirudderPromptAnswer: 'INTERACTIVE',
  AirudderWhatsappTemplate: 'TEMPLATE',
  AirudderInstagramTemplate: 'TEMPLATE',
  AirudderLineTemplate: 'TEMPLATE',
  UnsupportedContent: 'UNSUPPORTED',
} as const satisfies Record<AirudderContent['__typename'], Message['kind']>;

type Warn = (message: string, details: Record<string, unknown>) => void;

/** The message a message quotes. */
export function airudderReply(quote: AirudderWireQuote, ctx: NormalizeContext, msgId: string): AirudderReply {
  const content = airudderContent(quote.content, (message, details) =>
    ctx.warn(message, { msgId, replyMsgId: quote.msg_id, ...details }),
  );
  return {
    msgId: quote.msg_id,
    sentAt: quote.timestamp === null ? null : quote.timestamp * 1000,
    content,
    text: airudderText(content, quote.content),
  };
}

export function airudderContent(wire: AirudderWireContent, warn: Warn): AirudderContent {
  switch (wire.kind) {
    case 'text':
      return { __typename: 'TextContent', text: wire.text };
    case 'image':
      return imageOf(wire.media);
    case 'video':
      return {
        __typename: 'VideoContent',
        url: wire.media.url,
        thumbnailUrl: wire.media.thumbnail_url,
        durationSeconds: wire.media.duration,
        expiresAt: signedUrlExpiry(wire.media.url),
      };
    case 'audio':
      return {
        __typename: 'AudioContent',
        url: wire.media.url,
        durationSeconds: wire.media.duration,
        transcript: null,
        expiresAt: signedUrlExpiry(wire.media.url),
      };
    case 'file':
      return fileOf(wire.media);
    case 'answer':
      return { __typename: 'AirudderPromptAnswer', text: wire.text };
    case 'prompt':
      return {
        __typename: 'AirudderInteractivePrompt',
        promptType: wire.type,
        header: header(wire.header, warn),
        body: wire.body,
        footer: wire.footer,
        listButtonText: wire.action.button,
        buttons: wire.action.buttons.map((button) => ({
          type: button.type,
          id: button.id,
          title: button.title,
        })),
        sections: wire.action.sections.map((section) => ({
          title: section.title,
          rows: section.rows.map((row) => ({ id: row.id, title: row.title, description: row.description })),
        })),
      };
    case 'whatsapp':
      return {
        __typename: 'AirudderWhatsappTemplate',
        templateId: wire.info.id,
        templateName: wire.info.name,
        language: wire.info.language,
        category: wire.category,
        subcategory: wire.subcate,
        header: header(wire.header, warn),
        body: wire.body,
        footer: wire.footer,
        buttons: wire.buttons.map(whatsappButton),
        cards: wire.carousel.map((card) => ({
          header: header(card.header, warn),
          body: card.body,
          footer: card.footer,
          buttons: card.buttons.map(whatsappButton),
        })),
      };
    case 'instagram':
      return {
        __typename: 'AirudderInstagramTemplate',
        templateType: wire.template_type,
        elements: wire.elements.map((element) => ({
          title: element.title,
          subtitle: element.subtitle,
          imageUrl: element.image_url,
          buttons: element.buttons.map((button) => ({
            type: button.type,
            title: button.title,
            payload: button.payload,
            url: button.url,
          })),
        })),
      };
    case 'line':
      return {
        __typename: 'AirudderLineTemplate',
        templateType: wire.type,
        title: wire.title,
        body: wire.text,
        imageUrl: wire.image_url,
        defaultAction: wire.default_action && lineAction(wire.default_action),
        actions: wire.actions.map(lineAction),
        columns: wire.columns.map((column) => ({
          title: column.title,
          body: column.text,
          imageUrl: column.image_url,
          defaultAction: column.default_action && lineAction(column.default_action),
          actions: column.actions.map(lineAction),
        })),
      };
    case 'unsupported':
      return unsupportedContent(wire, warn);
  }
}

/** Content the wire schemas could not read, kept as sent; a vendor type nobody knows is a warning. */
function unsupportedContent(wire: AirudderWireUnsupported, warn: Warn): UnsupportedContent {
  switch (wire.reason) {
    case 'absent':
      warn('AIRUDDER message without content', {});
      return unsupported('missing', wire.raw);
    case 'unknown-type':
      warn('unknown AIRUDDER content type', { contentType: wire.type });
      return unsupported(wire.type ?? 'missing', wire.raw);
    case 'unknown-template':
      warn('unknown AIRUDDER template', { templateType: wire.channel });
      return unsupported(`template:${wire.channel ?? 'missing'}`, wire.raw);
    case 'unreadable':
      // A documented type without the fields it needs: no new vendor type to warn about.
      return unsupported(wire.type ?? 'missing', wire.raw);
  }
}

/**
 * The vendor hands out OSS-signed links (`?Expires=<epoch s>&Signature=…`): they stop working then.
 */
export function signedUrlExpiry(url: string | null): number | null {
  if (url === null) return null;
  try {
    const expires = new URL(url).searchParams.get('Expires');
    return expires !== null && /^\d{9,11}$/.test(expires) ? Number(expires) * 1000 : null;
  } catch {
    return null;
  }
}

function imageOf(media: AirudderWireMedia): ImageContent {
  return {
    __typename: 'ImageContent',
    url: media.url,
    thumbnailUrl: null,
    width: media.width,
    height: media.height,
    expiresAt: signedUrlExpiry(media.url),
  };
}

function fileOf(media: AirudderWireMedia): FileContent {
  return {
    __typename: 'FileContent',
    url: media.url,
    name: media.name,
    sizeBytes: media.size,
    expiresAt: signedUrlExpiry(media.url),
  };
}

function whatsappButton(button: AirudderWireWhatsappButton): AirudderWhatsappButton {
  return { type: button.type, text: button.text, url: button.url, phoneNumber: button.phone_number };
}

function lineAction(action: AirudderWireLineAction): AirudderLineAction {
  return {
    type: action.type,
    label: action.label,
    data: action.data,
    displayText: action.display_text,
    uri: action.uri,
  };
}

function header(wire: AirudderWireHeader | null, warn: Warn): AirudderHeader | null {
  switch (wire?.kind) {
    case undefined:
      return null;
    case 'text':
      return { __typename: 'TextContent', text: wire.text };
    case 'image':
      return imageOf(wire.media);
    case 'video':
      return {
        __typename: 'VideoContent',
        url: wire.media.url,
        thumbnailUrl: null,
        durationSeconds: null,
        expiresAt: signedUrlExpiry(wire.media.url),
      };
    case 'file':
      return fileOf(wire.media);
    case 'location':
      return {
        __typename: 'LocationContent',
        latitude: wire.location.latitude,
        longitude: wire.location.longitude,
        name: wire.location.name,
        address: wire.location.address,
        zoom: null,
      };
    case 'unknown':
      warn('unknown AIRUDDER header type', { headerType: wire.type });
      return unsupported(`header:${wire.type}`, wire.raw);
  }
}

/** A line of choices, `A | B | C`; null when there are none. */
function choices(labels: Array<string | null>): string | null {
  return joinText(labels, ' | ');
}

function headerText(value: AirudderHeader | null): string | null {
  return value?.__typename === 'TextContent' ? value.text : null;
}

/**
 * The plain-text rendering: what a reader of the transcript should see. Prompts and templates are
 * their text followed by their choices, one line each (`A | B | C`); list sections are
 * `Section: A | B`; cards, elements and columns follow in order. Pictures have none. Unknown
 * content that still carries a text (`wire`, what it was read from) is more readable with it.
 */
export function airudderText(content: AirudderContent, wire: AirudderWireContent): string | null {
  if (wire.kind === 'unsupported') return wire.text;
  switch (content.__typename) {
    case 'TextContent':
    case 'AirudderPromptAnswer':
      return content.text;
    case 'FileContent':
      return content.name;
    case 'AudioContent':
      return content.transcript;
    case 'AirudderInteractivePrompt':
      return joinText([
        headerText(content.header),
        content.body,
        content.footer,
        choices(content.buttons.map((button) => button.title)),
        ...content.sections.map((section) => {
          const rows = choices(section.rows.map((row) => row.title));
          return section.title && rows ? `${section.title}: ${rows}` : (rows ?? section.title);
        }),
      ]);
    case 'AirudderWhatsappTemplate':
      return joinText([
        headerText(content.header),
        content.body,
        content.footer,
        choices(content.buttons.map((button) => button.text)),
        ...content.cards.map((card) =>
          joinText([
            headerText(card.header),
            card.body,
            card.footer,
            choices(card.buttons.map((button) => button.text)),
          ]),
        ),
      ]);
    case 'AirudderInstagramTemplate':
      return joinText(
        content.elements.map((element) =>
          joinText([
            joinText([element.title, element.subtitle], ' · '),
            choices(element.buttons.map((button) => button.title)),
          ]),
        ),
      );
    case 'AirudderLineTemplate':
      return joinText([
        content.title,
        content.body,
        choices(content.actions.map((action) => action.label)),
        ...content.columns.map((column) =>
          joinText([
            joinText([column.title, column.body], ' · '),
            choices(column.actions.map((action) => action.label)),
          ]),
        ),
      ]);
    default:
      return null;
  }
}
