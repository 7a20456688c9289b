/**
 * AIRUDDER chatbot session messages → the unified model. Pure functions, field by field.
 *
 * What decides the content: `content.type` (text, image, file, video, audio, interactive,
 * template). `interactive` is two things: a prompt the bot sends (an `interactive` object with
 * buttons or list sections) or the user's answer to one (a flat `text`, the prompt quoted in
 * `reply`). `template` is per channel (`template.type`: WhatsApp, Instagram, Line), each in that
 * channel's own shape. Anything else is `UnsupportedContent`.
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
import { finite, isRecord, joinText, type NormalizeContext, nonEmpty } from '../../normalize/context.js';
import type { AirudderSessionMessage } from './wire.js';

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
  const seatId = nonEmpty(record.seat_id);
  const senderType = record.sender_type ?? null;
  let role = senderType === null ? undefined : lookUp(ROLE_BY_SENDER_TYPE, senderType.toLowerCase());
  if (!role) {
    ctx.warn('unknown AIRUDDER sender_type', { msgId, senderType });
    // Only agents (seats) have a seat id: it says who sent it when sender_type does not.
    role = seatId ? 'AGENT' : 'UNKNOWN';
  }
  const statusRaw = record.status ?? null;
  let status = statusRaw === null ? undefined : lookUp(STATUS_BY_VENDOR, statusRaw.toLowerCase());
  if (!status) {
    ctx.warn('unknown AIRUDDER status', { msgId, status: statusRaw });
    status = 'UNKNOWN';
  }
  const content = airudderContent(record.content, (message, details) =>
    ctx.warn(message, { msgId, ...details }),
  );
  const part = PART_SUFFIX.exec(msgId);
  const contentReply = isRecord(record.content) ? record.content.reply : undefined;
  return {
    vendor: 'AIRUDDER',
    source: ctx.source,
    conversation: ctx.conversation,
    externalId: msgId,
    sentAt: record.timestamp * 1000,
    sender: { role, externalId: seatId, displayName: null, avatarUrl: null },
    kind: KIND_BY_TYPENAME[content.__typename],
    text: airudderText(content),
    // AIRUDDER has no recall.
    recalled: false,
    content,
    raw,
    status,
    statusRaw,
    senderType,
    turnId: part ? (part[1] as string) : msgId,
    part: part ? Number(part[2]) : null,
    // Documented on the message; the sample also quotes inside `content`.
    reply: airudderReply(record.reply, ctx, msgId) ?? airudderReply(contentReply, ctx, msgId),
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

/** The quoted message, documented as a message object but sent as content fields beside `msg_id`. */
export function airudderReply(value: unknown, ctx: NormalizeContext, msgId: string): AirudderReply | null {
  if (!isRecord(value)) return null;
  const doc = isRecord(value.content) ? value.content : value;
  const replyId = nonEmpty(value.msg_id);
  if (nonEmpty(doc.type) === null && replyId === null) return null;
  const content = airudderContent(doc, (message, details) =>
    ctx.warn(message, { msgId, replyMsgId: replyId, ...details }),
  );
  const seconds = finite(value.timestamp);
  return {
    msgId: replyId,
    sentAt: seconds === null ? null : seconds * 1000,
    content,
    text: airudderText(content),
  };
}

export function airudderContent(value: unknown, warn: Warn): AirudderContent {
  if (!isRecord(value)) {
    warn('AIRUDDER message without content', {});
    return unsupported('missing', value ?? null);
  }
  // A blank type names nothing: shown as "missing", like an absent one.
  const type = nonEmpty(value.type);
  switch (type) {
    case 'text':
      return typeof value.text === 'string'
        ? { __typename: 'TextContent', text: value.text }
        : unsupported(type, value);
    case 'image':
      return imageOf(value.media);
    case 'video': {
      const media = isRecord(value.media) ? value.media : {};
      const url = mediaUrl(media);
      return {
        __typename: 'VideoContent',
        url,
        thumbnailUrl: nonEmpty(media.thumbnail_url) ?? nonEmpty(media.cover_url),
        durationSeconds: finite(media.duration),
        expiresAt: signedUrlExpiry(url),
      };
    }
    case 'audio': {
      const media = isRecord(value.media) ? value.media : {};
      const url = mediaUrl(media);
      return {
        __typename: 'AudioContent',
        url,
        durationSeconds: finite(media.duration),
        transcript: null,
        expiresAt: signedUrlExpiry(url),
      };
    }
    case 'file':
    case 'document':
      return fileOf(value.media);
    case 'interactive':
      return interactive(value, warn);
    case 'template':
      return template(value, warn);
    default:
      warn('unknown AIRUDDER content type', { contentType: type });
      return unsupported(type ?? 'missing', value);
  }
}

function mediaUrl(media: Record<string, unknown>): string | null {
  return nonEmpty(media.origin_url) ?? nonEmpty(media.url) ?? nonEmpty(media.link);
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

function imageOf(value: unknown): ImageContent {
  const media = isRecord(value) ? value : {};
  const url = mediaUrl(media);
  return {
    __typename: 'ImageContent',
    url,
    thumbnailUrl: null,
    width: finite(media.width),
    height: finite(media.height),
    expiresAt: signedUrlExpiry(url),
  };
}

function fileOf(value: unknown): FileContent {
  const media = isRecord(value) ? value : {};
  const url = mediaUrl(media);
  return {
    __typename: 'FileContent',
    url,
    name: nonEmpty(media.name) ?? nonEmpty(media.filename),
    sizeBytes: finite(media.size),
    expiresAt: signedUrlExpiry(url),
  };
}

/** `{text}` objects (WhatsApp's shape) or plain strings. */
function textOf(value: unknown): string | null {
  return isRecord(value) ? nonEmpty(value.text) : nonEmpty(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function idString(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : nonEmpty(value);
}

function header(value: unknown, warn: Warn): AirudderHeader | null {
  if (!isRecord(value)) return null;
  const type = nonEmpty(value.type)?.toLowerCase() ?? null;
  if (type === null) return null;
  // Media sits in `media` (AIRUDDER's shape) or under the header's type (Meta's shape).
  const media = isRecord(value.media) ? value.media : isRecord(value[type]) ? value[type] : {};
  switch (type) {
    case 'text': {
      const text = textOf(value.text);
      return text === null ? null : { __typename: 'TextContent', text };
    }
    case 'image':
      return imageOf(media);
    case 'video': {
      const url = mediaUrl(media);
      return {
        __typename: 'VideoContent',
        url,
        thumbnailUrl: null,
        durationSeconds: null,
        expiresAt: signedUrlExpiry(url),
      };
    }
    case 'document':
    case 'file':
      return fileOf(media);
    case 'location': {
      const location = isRecord(value.location) ? value.location : {};
      return {
        __typename: 'LocationContent',
        latitude: finite(location.latitude),
        longitude: finite(location.longitude),
        name: nonEmpty(location.name),
        address: nonEmpty(location.address),
        zoom: null,
      };
    }
    default:
      warn('unknown AIRUDDER header type', { headerType: value.type });
      return unsupported(`header:${String(value.type)}`, value);
  }
}

function interactive(value: Record<string, unknown>, warn: Warn): AirudderContent {
  const prompt = value.interactive;
  if (!isRecord(prompt)) {
    // The user's answer: flat `{type: "interactive", text}`, the prompt quoted in `reply`.
    return typeof value.text === 'string'
      ? { __typename: 'AirudderPromptAnswer', text: value.text }
      : unsupported('interactive', value);
  }
  const promptType = nonEmpty(prompt.type);
  // Meta's own answer shape, in case the vendor passes it through.
  const answered = promptType === 'button_reply' || promptType === 'list_reply' ? prompt[promptType] : null;
  if (isRecord(answered) && typeof answered.title === 'string') {
    return { __typename: 'AirudderPromptAnswer', text: answered.title };
  }
  const action = isRecord(prompt.action) ? prompt.action : {};
  return {
    __typename: 'AirudderInteractivePrompt',
    promptType,
    header: header(prompt.header, warn),
    body: textOf(prompt.body),
    footer: textOf(prompt.footer),
    listButtonText: nonEmpty(action.button),
    buttons: records(action.buttons).map((button) => {
      const reply = isRecord(button.reply) ? button.reply : button;
      return { type: nonEmpty(button.type), id: idString(reply.id), title: nonEmpty(reply.title) };
    }),
    sections: records(action.sections).map((section) => ({
      title: nonEmpty(section.title),
      rows: records(section.rows).map((row) => ({
        id: idString(row.id),
        title: nonEmpty(row.title),
        description: nonEmpty(row.description),
      })),
    })),
  };
}

function template(value: Record<string, unknown>, warn: Warn): AirudderContent {
  const doc = isRecord(value.template) ? value.template : {};
  const channel = nonEmpty(doc.type);
  switch (channel?.toLowerCase()) {
    case 'whatsapp':
      if (isRecord(doc.wa_content)) return whatsappTemplate(doc.wa_content, doc.info, warn);
      break;
    case 'instagram':
      if (isRecord(doc.ins_content)) return instagramTemplate(doc.ins_content);
      break;
    case 'line':
      if (isRecord(doc.line_content)) return lineTemplate(doc.line_content);
      break;
  }
  warn('unknown AIRUDDER template', { templateType: channel });
  return unsupported(`template:${channel ?? 'missing'}`, value);
}

function whatsappButtons(value: unknown): AirudderWhatsappButton[] {
  return records(value).map((button) => ({
    type: nonEmpty(button.type),
    text: nonEmpty(button.text),
    url: nonEmpty(button.url),
    phoneNumber: nonEmpty(button.phone_number),
  }));
}

function whatsappTemplate(
  wa: Record<string, unknown>,
  infoValue: unknown,
  warn: Warn,
): AirudderWhatsappTemplate {
  const info = isRecord(infoValue) ? infoValue : {};
  return {
    __typename: 'AirudderWhatsappTemplate',
    templateId: idString(info.id),
    templateName: nonEmpty(info.name),
    language: nonEmpty(info.language),
    category: nonEmpty(wa.category),
    subcategory: nonEmpty(wa.subcate),
    header: header(wa.header, warn),
    body: textOf(wa.body),
    footer: textOf(wa.footer),
    buttons: whatsappButtons(wa.button ?? wa.buttons),
    cards: records(wa.carousel).map((card) => ({
      header: header(card.header, warn),
      body: textOf(card.body),
      footer: textOf(card.footer),
      buttons: whatsappButtons(card.buttons ?? card.button),
    })),
  };
}

function instagramTemplate(ins: Record<string, unknown>): AirudderInstagramTemplate {
  const payload = isRecord(ins.payload) ? ins.payload : {};
  return {
    __typename: 'AirudderInstagramTemplate',
    templateType: nonEmpty(payload.template_type),
    elements: records(payload.elements).map((element) => ({
      title: nonEmpty(element.title),
      subtitle: nonEmpty(element.subtitle),
      imageUrl: nonEmpty(element.image_url),
      buttons: records(element.buttons).map((button) => ({
        type: nonEmpty(button.type),
        title: nonEmpty(button.title),
        payload: nonEmpty(button.payload),
        url: nonEmpty(button.url),
      })),
    })),
  };
}

function lineAction(value: Record<string, unknown>): AirudderLineAction {
  return {
    type: nonEmpty(value.type),
    label: nonEmpty(value.label),
    data: nonEmpty(value.data),
    displayText: nonEmpty(value.display_text),
    uri: nonEmpty(value.uri),
  };
}

/** Line's `default_action` arrives as all-empty strings when there is none. */
function defaultLineAction(value: unknown): AirudderLineAction | null {
  if (!isRecord(value)) return null;
  const action = lineAction(value);
  return Object.values(action).every((field) => field === null) ? null : action;
}

function lineTemplate(line: Record<string, unknown>): AirudderLineTemplate {
  return {
    __typename: 'AirudderLineTemplate',
    templateType: nonEmpty(line.type),
    title: nonEmpty(line.title),
    body: nonEmpty(line.text),
    imageUrl: nonEmpty(line.image_url) ?? nonEmpty(line.thumbnail_image_url),
    defaultAction: defaultLineAction(line.default_action),
    actions: records(line.actions).map(lineAction),
    columns: records(line.columns).map((column) => ({
      title: nonEmpty(column.title),
      body: nonEmpty(column.text),
      imageUrl: nonEmpty(column.image_url) ?? nonEmpty(column.thumbnail_image_url),
      defaultAction: defaultLineAction(column.default_action),
      actions: records(column.actions).map(lineAction),
    })),
  };
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
 * `Section: A | B`; cards, elements and columns follow in order. Pictures have none.
 */
export function airudderText(content: AirudderContent): string | null {
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
    case 'UnsupportedContent':
      // Unknown content that still carries a text is more readable with it than without.
      return isRecord(content.raw) ? nonEmpty(content.raw.text) : null;
    default:
      return null;
  }
}
