/**
 * The fast path of `./wire.ts`: plain functions that read the common, well-formed shape of a
 * `session/messages` answer (`../shared/vendors/airudder.md`, "*Query message list", and its sample
 * response) and return exactly what the zod schemas return for it, or `undefined` as soon as
 * anything is unusual: a number sent as a string, a field of an unexpected type, a list holding a
 * non-object, Meta's own answer shapes, a template of no known channel. Then the zod schemas read
 * the value as before: they stay the one definition of what is tolerated and how; this file only
 * saves their cost on the pages the vendor normally sends (zod's `.catch`/`.transform` per field
 * made this vendor the slowest to read). `test/sources/airudder/fast-wire.test.ts` checks it
 * against zod on generated records.
 *
 * Each reader returns the field's value, null where zod reads null, and `undefined` for "not the
 * common shape": every caller passes `undefined` on.
 */
import { isRecord } from '../../normalize/context.js';
import { MAX_EPOCH_SECONDS, parseWire } from '../../normalize/wire.js';
import {
  AirudderSessionMessage,
  AirudderSessionMessagesResponse,
  type AirudderWireContent,
  type AirudderWireHeader,
  type AirudderWireLineAction,
  type AirudderWireMedia,
  type AirudderWireQuote,
  type AirudderWireWhatsappButton,
  blankToNull,
  unsupportedContent,
} from './wire.js';

type Value = Record<string, unknown>;
type ContentOf<K extends AirudderWireContent['kind']> = Extract<AirudderWireContent, { kind: K }>;
type Prompt = ContentOf<'prompt'>;
type PromptButton = Prompt['action']['buttons'][number];
type PromptSection = Prompt['action']['sections'][number];
type Whatsapp = ContentOf<'whatsapp'>;
type WhatsappCard = Whatsapp['carousel'][number];
type Instagram = ContentOf<'instagram'>;
type InstagramElement = Instagram['elements'][number];
type Line = ContentOf<'line'>;
type LineColumn = Line['columns'][number];

/**
 * How many records the fast path read, and how many it left to zod: a well-formed page must not
 * fall back (asserted by the tests, so that the fast path cannot rot into always falling back).
 */
export const airudderWireCounters = { fast: 0, fallbacks: 0 };

// ---------------------------------------------------------------------------------------------
// Fields (`textOrNull`, `numberOrNull`, `idOrNull`, `wrappedText`, `list`, `listOrAbsent`)

function text(value: unknown): string | null | undefined {
  if (typeof value === 'string') return blankToNull(value);
  return value === undefined || value === null ? null : undefined;
}

function number(value: unknown): number | null | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return value === undefined || value === null ? null : undefined;
}

function id(value: unknown): string | null | undefined {
  if (typeof value === 'string') return blankToNull(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return value === undefined || value === null ? null : undefined;
}

function wrappedText(value: unknown): string | null | undefined {
  if (typeof value === 'string') return blankToNull(value);
  if (isRecord(value)) return text(value.text);
  return value === undefined || value === null ? null : undefined;
}

function list<T>(value: unknown, item: (value: Value) => T | undefined): T[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const element of value) {
    if (!isRecord(element)) return undefined;
    const read = item(element);
    if (read === undefined) return undefined;
    out.push(read);
  }
  return out;
}

function listOrAbsent<T>(value: unknown, item: (value: Value) => T | undefined): T[] | null | undefined {
  return value === undefined || value === null ? null : list(value, item);
}

// ---------------------------------------------------------------------------------------------
// Media and headers

function media(value: Value): AirudderWireMedia | undefined {
  const originUrl = text(value.origin_url);
  const url = text(value.url);
  const link = text(value.link);
  const thumbnailUrl = text(value.thumbnail_url);
  const coverUrl = text(value.cover_url);
  const name = text(value.name);
  const filename = text(value.filename);
  const duration = number(value.duration);
  const width = number(value.width);
  const height = number(value.height);
  const size = number(value.size);
  if (
    originUrl === undefined ||
    url === undefined ||
    link === undefined ||
    thumbnailUrl === undefined ||
    coverUrl === undefined ||
    name === undefined ||
    filename === undefined ||
    duration === undefined ||
    width === undefined ||
    height === undefined ||
    size === undefined
  ) {
    return undefined;
  }
  return {
    url: originUrl ?? url ?? link,
    thumbnail_url: thumbnailUrl ?? coverUrl,
    name: name ?? filename,
    duration,
    width,
    height,
    size,
  };
}

const noMedia = (): AirudderWireMedia => ({
  url: null,
  thumbnail_url: null,
  name: null,
  duration: null,
  width: null,
  height: null,
  size: null,
});

/** `lenient(Media)`: null when absent. */
function mediaOrNull(value: unknown): AirudderWireMedia | null | undefined {
  if (isRecord(value)) return media(value);
  return value === undefined || value === null ? null : undefined;
}

/** A header's media: in `media`, else under the header's type (`image`, `document`, …). */
function headerMedia(value: Value, typeKey: string): AirudderWireMedia | undefined {
  const own = mediaOrNull(value.media);
  const typed = mediaOrNull(value[typeKey]);
  if (own === undefined || typed === undefined) return undefined;
  return own ?? typed ?? noMedia();
}

function header(value: unknown): AirudderWireHeader | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const type = value.type.toLowerCase();
  switch (type) {
    case 'text': {
      const headerText = wrappedText(value.text);
      if (headerText === undefined) return undefined;
      return headerText === null ? null : { kind: 'text', text: headerText };
    }
    case 'image':
    case 'video': {
      const read = headerMedia(value, type);
      return read && { kind: type, media: read };
    }
    case 'document':
    case 'file': {
      // zod reads both names and uses the one the type says.
      const other = mediaOrNull(value[type === 'file' ? 'document' : 'file']);
      const read = headerMedia(value, type);
      return other === undefined ? undefined : read && { kind: 'file', media: read };
    }
    case 'location': {
      const location = value.location;
      if (location === undefined || location === null) {
        return { kind: 'location', location: { latitude: null, longitude: null, name: null, address: null } };
      }
      if (!isRecord(location)) return undefined;
      const latitude = number(location.latitude);
      const longitude = number(location.longitude);
      const name = text(location.name);
      const address = text(location.address);
      if (latitude === undefined || longitude === undefined || name === undefined || address === undefined) {
        return undefined;
      }
      return { kind: 'location', location: { latitude, longitude, name, address } };
    }
    default: {
      // A type not read here: kept raw; a blank type is no header.
      const unknownType = blankToNull(value.type);
      return unknownType === null ? null : { kind: 'unknown', type: unknownType, raw: value };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Interactive prompts

function promptButton(value: Value): PromptButton | undefined {
  const type = text(value.type);
  if (type === undefined) return undefined;
  // The id and title sit in `reply` (WhatsApp's shape) or on the button itself.
  const reply = value.reply;
  const holder = reply === undefined || reply === null ? value : isRecord(reply) ? reply : undefined;
  if (holder === undefined) return undefined;
  const buttonId = id(holder.id);
  const title = text(holder.title);
  if (buttonId === undefined || title === undefined) return undefined;
  return { type, id: buttonId, title };
}

function promptRow(value: Value): PromptSection['rows'][number] | undefined {
  const rowId = id(value.id);
  const title = text(value.title);
  const description = text(value.description);
  if (rowId === undefined || title === undefined || description === undefined) return undefined;
  return { id: rowId, title, description };
}

function promptSection(value: Value): PromptSection | undefined {
  const title = text(value.title);
  const rows = list(value.rows, promptRow);
  if (title === undefined || rows === undefined) return undefined;
  return { title, rows };
}

function prompt(value: Value): Prompt | undefined {
  const type = text(value.type);
  const promptHeader = header(value.header);
  const body = wrappedText(value.body);
  const footer = wrappedText(value.footer);
  if (type === undefined || promptHeader === undefined || body === undefined || footer === undefined) {
    return undefined;
  }
  const action = value.action;
  if (action === undefined || action === null) {
    return {
      kind: 'prompt',
      type,
      header: promptHeader,
      body,
      footer,
      action: { button: null, buttons: [], sections: [] },
    };
  }
  if (!isRecord(action)) return undefined;
  const button = text(action.button);
  const buttons = list(action.buttons, promptButton);
  const sections = list(action.sections, promptSection);
  if (button === undefined || buttons === undefined || sections === undefined) return undefined;
  return { kind: 'prompt', type, header: promptHeader, body, footer, action: { button, buttons, sections } };
}

// ---------------------------------------------------------------------------------------------
// Templates

function whatsappButton(value: Value): AirudderWireWhatsappButton | undefined {
  const type = text(value.type);
  const buttonText = text(value.text);
  const url = text(value.url);
  const phoneNumber = text(value.phone_number);
  if (type === undefined || buttonText === undefined || url === undefined || phoneNumber === undefined) {
    return undefined;
  }
  return { type, text: buttonText, url, phone_number: phoneNumber };
}

function whatsappCard(value: Value): WhatsappCard | undefined {
  const cardHeader = header(value.header);
  const body = wrappedText(value.body);
  const footer = wrappedText(value.footer);
  const buttons = listOrAbsent(value.buttons, whatsappButton);
  const button = listOrAbsent(value.button, whatsappButton);
  if (
    cardHeader === undefined ||
    body === undefined ||
    footer === undefined ||
    buttons === undefined ||
    button === undefined
  ) {
    return undefined;
  }
  return { header: cardHeader, body, footer, buttons: buttons ?? button ?? [] };
}

function whatsapp(wa: Value, info: unknown): Whatsapp | undefined {
  const category = text(wa.category);
  const subcate = text(wa.subcate);
  const waHeader = header(wa.header);
  const body = wrappedText(wa.body);
  const footer = wrappedText(wa.footer);
  const button = listOrAbsent(wa.button, whatsappButton);
  const buttons = listOrAbsent(wa.buttons, whatsappButton);
  const carousel = list(wa.carousel, whatsappCard);
  if (
    category === undefined ||
    subcate === undefined ||
    waHeader === undefined ||
    body === undefined ||
    footer === undefined ||
    button === undefined ||
    buttons === undefined ||
    carousel === undefined
  ) {
    return undefined;
  }
  let templateInfo: Whatsapp['info'];
  if (info === undefined || info === null) {
    templateInfo = { id: null, name: null, language: null };
  } else {
    if (!isRecord(info)) return undefined;
    const infoId = id(info.id);
    const name = text(info.name);
    const language = text(info.language);
    if (infoId === undefined || name === undefined || language === undefined) return undefined;
    templateInfo = { id: infoId, name, language };
  }
  return {
    kind: 'whatsapp',
    category,
    subcate,
    header: waHeader,
    body,
    footer,
    carousel,
    buttons: button ?? buttons ?? [],
    info: templateInfo,
  };
}

function instagramButton(value: Value): InstagramElement['buttons'][number] | undefined {
  const type = text(value.type);
  const title = text(value.title);
  const payload = text(value.payload);
  const url = text(value.url);
  if (type === undefined || title === undefined || payload === undefined || url === undefined)
    return undefined;
  return { type, title, payload, url };
}

function instagramElement(value: Value): InstagramElement | undefined {
  const title = text(value.title);
  const subtitle = text(value.subtitle);
  const imageUrl = text(value.image_url);
  const buttons = list(value.buttons, instagramButton);
  if (title === undefined || subtitle === undefined || imageUrl === undefined || buttons === undefined) {
    return undefined;
  }
  return { title, subtitle, image_url: imageUrl, buttons };
}

function instagram(ins: Value): Instagram | undefined {
  const payload = ins.payload;
  if (payload === undefined || payload === null)
    return { kind: 'instagram', template_type: null, elements: [] };
  if (!isRecord(payload)) return undefined;
  const templateType = text(payload.template_type);
  const elements = list(payload.elements, instagramElement);
  if (templateType === undefined || elements === undefined) return undefined;
  return { kind: 'instagram', template_type: templateType, elements };
}

function lineAction(value: Value): AirudderWireLineAction | undefined {
  const type = text(value.type);
  const label = text(value.label);
  const data = text(value.data);
  const displayText = text(value.display_text);
  const uri = text(value.uri);
  if (
    type === undefined ||
    label === undefined ||
    data === undefined ||
    displayText === undefined ||
    uri === undefined
  ) {
    return undefined;
  }
  return { type, label, data, display_text: displayText, uri };
}

/** Line's all-blank `default_action` is none. */
function lineDefaultAction(value: unknown): AirudderWireLineAction | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) return undefined;
  const action = lineAction(value);
  if (action === undefined) return undefined;
  return action.type !== null ||
    action.label !== null ||
    action.data !== null ||
    action.display_text !== null ||
    action.uri !== null
    ? action
    : null;
}

/** The fields a Line template shares with its columns, `image_url` read from either name. */
function lineCard(value: Value): LineColumn | undefined {
  const title = text(value.title);
  const cardText = text(value.text);
  const imageUrl = text(value.image_url);
  const thumbnailImageUrl = text(value.thumbnail_image_url);
  const defaultAction = lineDefaultAction(value.default_action);
  const actions = list(value.actions, lineAction);
  if (
    title === undefined ||
    cardText === undefined ||
    imageUrl === undefined ||
    thumbnailImageUrl === undefined ||
    defaultAction === undefined ||
    actions === undefined
  ) {
    return undefined;
  }
  return {
    title,
    text: cardText,
    default_action: defaultAction,
    actions,
    image_url: imageUrl ?? thumbnailImageUrl,
  };
}

function line(value: Value): Line | undefined {
  const card = lineCard(value);
  const type = text(value.type);
  const columns = list(value.columns, lineCard);
  if (card === undefined || type === undefined || columns === undefined) return undefined;
  return {
    kind: 'line',
    title: card.title,
    text: card.text,
    default_action: card.default_action,
    actions: card.actions,
    type,
    columns,
    image_url: card.image_url,
  };
}

function template(value: unknown): AirudderWireContent | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type.toLowerCase()) {
    case 'whatsapp':
      return isRecord(value.wa_content) ? whatsapp(value.wa_content, value.info) : undefined;
    case 'instagram':
      return isRecord(value.ins_content) ? instagram(value.ins_content) : undefined;
    case 'line':
      return isRecord(value.line_content) ? line(value.line_content) : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Content, quotes, messages

function mediaContent(
  kind: 'image' | 'video' | 'audio' | 'file',
  value: unknown,
): AirudderWireContent | undefined {
  if (value === undefined || value === null) return { kind, media: noMedia() };
  if (!isRecord(value)) return undefined;
  const read = media(value);
  return read && { kind, media: read };
}

/** `AirudderContent`, for an object. */
function content(value: unknown): AirudderWireContent | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'text':
      return typeof value.text === 'string' ? { kind: 'text', text: value.text } : undefined;
    case 'image':
      return mediaContent('image', value.media);
    case 'video':
      return mediaContent('video', value.media);
    case 'audio':
      return mediaContent('audio', value.media);
    case 'file':
    case 'document':
      return mediaContent('file', value.media);
    case 'interactive': {
      const interactive = value.interactive;
      if (isRecord(interactive)) {
        // Meta's own answer shapes are left to zod.
        return interactive.type === 'button_reply' || interactive.type === 'list_reply'
          ? undefined
          : prompt(interactive);
      }
      // The user's answer: a flat `text`, the prompt quoted in `reply`.
      return (interactive === undefined || interactive === null) && typeof value.text === 'string'
        ? { kind: 'answer', text: value.text }
        : undefined;
    }
    case 'template':
      return template(value.template);
    default:
      // A type nobody documented: no schema above reads it.
      return unsupportedContent(value);
  }
}

/** `Quote`: documented as a message object, sent flattened (content fields beside `msg_id`). */
function quote(value: unknown): AirudderWireQuote | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) return undefined;
  const msgId = text(value.msg_id);
  const timestamp = number(value.timestamp);
  const quoted = content(isRecord(value.content) ? value.content : value);
  if (msgId === undefined || timestamp === undefined || quoted === undefined) return undefined;
  if (msgId === null && quoted.kind === 'unsupported' && quoted.type === null) return null;
  return {
    msg_id: msgId,
    timestamp: timestamp !== null && Math.abs(timestamp) <= MAX_EPOCH_SECONDS ? timestamp : null,
    content: quoted,
  };
}

/** A string field read as sent (`z.string().nullish()`). */
function stringOrNull(value: unknown): string | null | undefined {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? null : undefined;
}

/**
 * `AirudderSessionMessage` for a message of the common shape; `undefined` for anything else,
 * which zod then reads (or refuses).
 */
export function fastAirudderSessionMessage(raw: unknown): AirudderSessionMessage | undefined {
  if (!isRecord(raw)) return undefined;
  const msgId = raw.msg_id;
  const timestamp = raw.timestamp;
  if (
    typeof msgId !== 'string' ||
    msgId.length === 0 ||
    typeof timestamp !== 'number' ||
    !Number.isInteger(timestamp) ||
    Math.abs(timestamp) > MAX_EPOCH_SECONDS
  ) {
    return undefined;
  }
  const seatId = stringOrNull(raw.seat_id);
  const senderType = stringOrNull(raw.sender_type);
  const status = stringOrNull(raw.status);
  const rawContent = raw.content;
  const messageContent = content(rawContent);
  // The sample also quotes inside `content`.
  const contentQuote = quote(isRecord(rawContent) ? rawContent.reply : undefined);
  const reply = quote(raw.reply);
  if (
    seatId === undefined ||
    senderType === undefined ||
    status === undefined ||
    messageContent === undefined ||
    contentQuote === undefined ||
    reply === undefined
  ) {
    return undefined;
  }
  return {
    msg_id: msgId,
    seat_id: seatId === null ? null : blankToNull(seatId),
    timestamp,
    sender_type: senderType,
    status,
    content: messageContent,
    reply: reply ?? contentQuote,
  };
}

/** `AirudderSessionMessagesResponse` for an envelope of the common shape. */
export function fastAirudderSessionMessagesResponse(
  body: unknown,
): AirudderSessionMessagesResponse | undefined {
  if (!isRecord(body)) return undefined;
  const { request_id: requestId, code, message, data } = body;
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) return undefined;
  const response: AirudderSessionMessagesResponse = { code };
  if (typeof requestId === 'string' || requestId === null) response.request_id = requestId;
  else if (typeof requestId === 'number' && Number.isFinite(requestId))
    response.request_id = String(requestId);
  else if (requestId !== undefined) return undefined;
  if (typeof message === 'string' || message === null) response.message = message;
  else if (message !== undefined) return undefined;
  if (Array.isArray(data)) response.data = data.slice();
  else if (data === null) response.data = null;
  else if (data !== undefined) return undefined;
  return response;
}

/** The envelope of a `session/messages` answer: the fast path, else zod (which refuses what it must). */
export function readAirudderSessionMessagesResponse(
  body: unknown,
  source: string,
): AirudderSessionMessagesResponse {
  return (
    fastAirudderSessionMessagesResponse(body) ??
    parseWire(AirudderSessionMessagesResponse, body, source, 'session/messages')
  );
}

/** One record of `data`: the fast path, else zod (which reads every odd shape, or refuses). */
export function readAirudderSessionMessage(
  raw: unknown,
  source: string,
  index: number,
): AirudderSessionMessage {
  const fast = fastAirudderSessionMessage(raw);
  if (fast !== undefined) {
    airudderWireCounters.fast++;
    return fast;
  }
  airudderWireCounters.fallbacks++;
  return parseWire(AirudderSessionMessage, raw, source, `session/messages record ${index}`);
}
