/**
 * The AIRUDDER chatbot wire format of `POST /api/v1/session/messages`, read leniently: only what
 * paging needs is required (the envelope's `code`, each message's `msg_id` and `timestamp`);
 * everything else is optional and typed loosely, because the vendor's data does not follow its own
 * documentation (the sample has `status: "send"` and `sender_type: "chatbot"`, neither documented).
 *
 * Content is read here too, and every odd shape is resolved here: blank strings for "none", numbers
 * as strings, media under `media` or under a header's type (Meta's shape), quotes flattened or
 * nested in `content`, Line's all-blank `default_action`. The content schemas read any value and
 * never fail a page: content nobody documented comes out as `kind: 'unsupported'` with its raw
 * value, for the normalizer to keep. See `../shared/vendors/airudder.md` ("*Query message list")
 * and its sample response.
 */
import { z } from 'zod';
import { isRecord } from '../../normalize/context.js';
import { looseId, looseInt, MAX_EPOCH_SECONDS } from '../../normalize/wire.js';

// ---------------------------------------------------------------------------------------------
// Lenient fields: each reads any value, and is null when the value is not what the field holds.

/** An optional field that becomes null when absent or of a type nobody expected. */
const lenient = <S extends z.ZodType>(schema: S) =>
  schema
    .nullish()
    .transform((value) => value ?? null)
    .catch(null);

/** "" and blanks are how the vendor leaves a field out: null then. */
export const blankToNull = (value: string | null) => (value?.trim() ? value : null);

/** A string with something in it. */
const textOrNull = lenient(z.string()).transform(blankToNull);

/** A finite number, sent as a number or as a numeric string (`"12"`, `"1.5"`, `"1e3"`). */
const numberOrNull = lenient(
  z
    .union([
      z.number(),
      z
        .string()
        .refine((value) => value.trim() !== '')
        .transform(Number),
    ])
    .pipe(z.number()),
);

/** A quoted message's epoch seconds; null when it is not a time a `DateTime` can hold. */
const quotedTime = numberOrNull.transform((value) =>
  value !== null && Math.abs(value) <= MAX_EPOCH_SECONDS ? value : null,
);

/** An id the vendor sends as a string or as a number (WhatsApp template ids are numbers). */
const idOrNull = lenient(z.union([z.number().transform(String), z.string()])).transform(blankToNull);

/** A text sent as `{text}` (WhatsApp's shape) or as a plain string. */
const wrappedText = lenient(
  z.union([z.object({ text: textOrNull }).transform((value) => value.text), z.string()]),
).transform(blankToNull);

const present = <T>(item: T | null): item is T => item !== null;

/** The objects of a list, each read by `item`; [] when absent or not a list at all. */
const list = <S extends z.ZodType>(item: S) =>
  lenient(z.array(lenient(item)).transform((items) => items.filter(present))).transform(
    (items) => items ?? [],
  );

/** Like `list`, but null when absent or null, so that another field can stand in for it. */
const listOrAbsent = <S extends z.ZodType>(item: S) =>
  z.union([z.null().transform(() => null), z.undefined().transform(() => null), list(item)]);

/** An object read by `schema`, or `schema`'s reading of `{}` when the value is not an object. */
const objectOrEmpty = <S extends z.ZodType>(schema: S) =>
  lenient(schema).transform((value): z.output<S> => value ?? schema.parse({}));

/** A type compared without case: the vendor writes `WhatsApp`, Meta's shapes `IMAGE`. */
const caseless = <const T extends readonly [string, ...string[]]>(...names: T) =>
  z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(names));

// ---------------------------------------------------------------------------------------------
// Media and headers

/** A media object; the vendor's and Meta's names for the same thing are read as one. */
const Media = z
  .object({
    origin_url: textOrNull,
    url: textOrNull,
    link: textOrNull,
    thumbnail_url: textOrNull,
    cover_url: textOrNull,
    name: textOrNull,
    filename: textOrNull,
    duration: numberOrNull,
    width: numberOrNull,
    height: numberOrNull,
    size: numberOrNull,
  })
  .transform((media) => ({
    url: media.origin_url ?? media.url ?? media.link,
    thumbnail_url: media.thumbnail_url ?? media.cover_url,
    name: media.name ?? media.filename,
    duration: media.duration,
    width: media.width,
    height: media.height,
    size: media.size,
  }));
export type AirudderWireMedia = z.output<typeof Media>;

const media = lenient(Media);
const mediaOrNone = objectOrEmpty(Media);
const noMedia = () => mediaOrNone.parse(undefined);

const Location = z.object({
  latitude: numberOrNull,
  longitude: numberOrNull,
  name: textOrNull,
  address: textOrNull,
});

const HeaderTag = lenient(z.object({ type: textOrNull }));

/**
 * A header of a WhatsApp template, carousel card or interactive prompt. Its media sits in `media`
 * (AIRUDDER's shape) or under the header's type (Meta's shape). Null when it is not an object, has
 * no type, or is a text header without text; a type not read here is `unknown`, kept raw.
 */
const Header = z
  .union([
    z
      .object({ type: caseless('text'), text: wrappedText })
      .transform(({ text }) => (text === null ? null : { kind: 'text' as const, text })),
    z
      .object({ type: caseless('image'), media, image: media })
      .transform((header) => ({ kind: 'image' as const, media: header.media ?? header.image ?? noMedia() })),
    z
      .object({ type: caseless('video'), media, video: media })
      .transform((header) => ({ kind: 'video' as const, media: header.media ?? header.video ?? noMedia() })),
    z
      .object({ type: caseless('document', 'file'), media, document: media, file: media })
      .transform((header) => ({
        kind: 'file' as const,
        media: header.media ?? header[header.type] ?? noMedia(),
      })),
    z
      .object({ type: caseless('location'), location: objectOrEmpty(Location) })
      .transform((header) => ({ kind: 'location' as const, location: header.location })),
    // Anything else: nothing, or a type not read here.
    z.unknown().transform((raw) => {
      const type = HeaderTag.parse(raw)?.type ?? null;
      return type === null ? null : { kind: 'unknown' as const, type, raw };
    }),
  ])
  // An absent header is no header.
  .default(null);
export type AirudderWireHeader = NonNullable<z.output<typeof Header>>;

// ---------------------------------------------------------------------------------------------
// Interactive prompts and the answers to them

const PromptButton = z
  .object({
    type: textOrNull,
    reply: lenient(z.object({ id: idOrNull, title: textOrNull })),
    id: idOrNull,
    title: textOrNull,
  })
  // The button's id and title sit in `reply` (WhatsApp's shape) or on the button itself.
  .transform((button) => ({
    type: button.type,
    ...(button.reply ?? { id: button.id, title: button.title }),
  }));

const PromptSection = z.object({
  title: textOrNull,
  rows: list(z.object({ id: idOrNull, title: textOrNull, description: textOrNull })),
});

/** A prompt the bot sends: buttons (`type: "button"`) or list sections (`type: "list"`). */
const Prompt = z
  .object({
    type: textOrNull,
    header: Header,
    body: wrappedText,
    footer: wrappedText,
    action: objectOrEmpty(
      z.object({ button: textOrNull, buttons: list(PromptButton), sections: list(PromptSection) }),
    ),
  })
  .transform((prompt) => ({ kind: 'prompt' as const, ...prompt }));

/** Meta's own answer shape (`{type: "button_reply", button_reply: {title}}`), should it pass through. */
const MetaAnswer = z
  .union([
    z
      .object({ type: z.literal('button_reply'), button_reply: z.object({ title: z.string() }) })
      .transform((answer) => answer.button_reply.title),
    z
      .object({ type: z.literal('list_reply'), list_reply: z.object({ title: z.string() }) })
      .transform((answer) => answer.list_reply.title),
  ])
  .transform((text) => ({ kind: 'answer' as const, text }));

// ---------------------------------------------------------------------------------------------
// Templates, one shape per channel (`template.type`)

/** The channel a template names, compared without case. */
const channel = (name: string) => z.string().refine((value) => value.toLowerCase() === name);

const WhatsappButton = z.object({
  type: textOrNull,
  text: textOrNull,
  url: textOrNull,
  phone_number: textOrNull,
});
export type AirudderWireWhatsappButton = z.output<typeof WhatsappButton>;

const WhatsappCard = z
  .object({
    header: Header,
    body: wrappedText,
    footer: wrappedText,
    buttons: listOrAbsent(WhatsappButton),
    button: listOrAbsent(WhatsappButton),
  })
  .transform(({ button, buttons, ...card }) => ({ ...card, buttons: buttons ?? button ?? [] }));

const Whatsapp = z
  .object({
    type: channel('whatsapp'),
    wa_content: z
      .object({
        category: textOrNull,
        subcate: textOrNull,
        header: Header,
        body: wrappedText,
        footer: wrappedText,
        // The sample sends `button`; Meta's own templates say `buttons`.
        button: listOrAbsent(WhatsappButton),
        buttons: listOrAbsent(WhatsappButton),
        carousel: list(WhatsappCard),
      })
      .transform(({ button, buttons, ...wa }) => ({ ...wa, buttons: button ?? buttons ?? [] })),
    info: objectOrEmpty(z.object({ id: idOrNull, name: textOrNull, language: textOrNull })),
  })
  .transform((template) => ({ kind: 'whatsapp' as const, ...template.wa_content, info: template.info }));

const InstagramElement = z.object({
  title: textOrNull,
  subtitle: textOrNull,
  image_url: textOrNull,
  buttons: list(z.object({ type: textOrNull, title: textOrNull, payload: textOrNull, url: textOrNull })),
});

const Instagram = z
  .object({
    type: channel('instagram'),
    ins_content: z.object({
      payload: objectOrEmpty(z.object({ template_type: textOrNull, elements: list(InstagramElement) })),
    }),
  })
  .transform((template) => ({ kind: 'instagram' as const, ...template.ins_content.payload }));

const LineAction = z.object({
  type: textOrNull,
  label: textOrNull,
  data: textOrNull,
  display_text: textOrNull,
  uri: textOrNull,
});
export type AirudderWireLineAction = z.output<typeof LineAction>;

/** Line's `default_action` arrives as all-empty strings when there is none: null then. */
const LineDefaultAction = lenient(LineAction).transform((action) =>
  action !== null && Object.values(action).some(present) ? action : null,
);

/** Line's columns and templates show `image_url`, or `thumbnail_image_url` (Line's own name). */
const lineCardShape = {
  title: textOrNull,
  text: textOrNull,
  image_url: textOrNull,
  thumbnail_image_url: textOrNull,
  default_action: LineDefaultAction,
  actions: list(LineAction),
};
const imageUrl = <T extends { image_url: string | null; thumbnail_image_url: string | null }>({
  image_url,
  thumbnail_image_url,
  ...rest
}: T) => ({ ...rest, image_url: image_url ?? thumbnail_image_url });

const Line = z
  .object({
    type: channel('line'),
    line_content: z
      .object({
        ...lineCardShape,
        type: textOrNull,
        columns: list(z.object(lineCardShape).transform(imageUrl)),
      })
      .transform(imageUrl),
  })
  .transform((template) => ({ kind: 'line' as const, ...template.line_content }));

// ---------------------------------------------------------------------------------------------
// Content

/**
 * What is known of content the schemas above could not read: why, its `type` (null when blank or
 * absent), a template's channel, its own `text` (shown rather than nothing), and the value as sent.
 */
export interface AirudderWireUnsupported {
  kind: 'unsupported';
  /**
   * `absent`: not an object at all; `unknown-type`: a type nobody documented; `unreadable`: a
   * documented type without the fields it needs; `unknown-template`: a template of another channel.
   */
  reason: 'absent' | 'unknown-type' | 'unreadable' | 'unknown-template';
  type: string | null;
  channel: string | null;
  text: string | null;
  raw: unknown;
}

const ContentTag = lenient(
  z.object({ type: textOrNull, text: textOrNull, template: objectOrEmpty(z.object({ type: textOrNull })) }),
);

export function unsupportedContent(raw: unknown): AirudderWireUnsupported {
  const tag = ContentTag.parse(raw);
  if (tag === null) {
    return { kind: 'unsupported', reason: 'absent', type: null, channel: null, text: null, raw: raw ?? null };
  }
  const { type, text } = tag;
  const reason =
    type === 'text' || type === 'interactive'
      ? 'unreadable'
      : type === 'template'
        ? 'unknown-template'
        : 'unknown-type';
  const templateChannel = reason === 'unknown-template' ? tag.template.type : null;
  return { kind: 'unsupported', reason, type, channel: templateChannel, text, raw };
}

/**
 * A message's content, by its `type` (exact: `TEXT` is not `text`): text, image, video, audio, file
 * (or `document`), interactive and template. `interactive` is two things: a prompt the bot sends
 * (an `interactive` object) or the user's answer to one (a flat `text`, the prompt quoted in
 * `reply`). A template's shape is its channel's (`template.type`, any case). Reads any value.
 */
export const AirudderContent = z.union([
  z
    .object({ type: z.literal('text'), text: z.string() })
    .transform(({ text }) => ({ kind: 'text' as const, text })),
  z
    .object({ type: z.enum(['image', 'video', 'audio', 'file', 'document']), media: mediaOrNone })
    .transform((content) => ({
      kind: content.type === 'document' ? ('file' as const) : content.type,
      media: content.media,
    })),
  z
    .object({ type: z.literal('interactive'), interactive: z.union([MetaAnswer, Prompt]) })
    .transform((content) => content.interactive),
  // The user's answer: flat `{type: "interactive", text}`, the prompt quoted in `reply`.
  z
    .object({ type: z.literal('interactive'), text: z.string() })
    .transform(({ text }) => ({ kind: 'answer' as const, text })),
  z
    .object({ type: z.literal('template'), template: z.union([Whatsapp, Instagram, Line]) })
    .transform((content) => content.template),
  // Anything else, kept as sent.
  z.unknown().transform(unsupportedContent),
]);
export type AirudderWireContent = z.output<typeof AirudderContent>;

/**
 * The quoted message: documented as a message object (`msg_id`, `timestamp`, `content`), sent
 * flattened (its content's fields beside `msg_id`), which is read as the documented shape. Null
 * when it names neither a message nor a content type.
 */
const Quote = z
  .preprocess(
    (value) =>
      isRecord(value) && !isRecord(value.content)
        ? { msg_id: value.msg_id, timestamp: value.timestamp, content: value }
        : value,
    lenient(z.object({ msg_id: textOrNull, timestamp: quotedTime, content: AirudderContent })),
  )
  .transform((quote) =>
    quote === null ||
    (quote.msg_id === null && quote.content.kind === 'unsupported' && quote.content.type === null)
      ? null
      : quote,
  );
export type AirudderWireQuote = NonNullable<z.output<typeof Quote>>;

/** `content` read as the message's content, and as the quote the sample nests inside it. */
const ContentAndQuote = z.preprocess(
  (value) => ({ content: value, quote: isRecord(value) ? value.reply : undefined }),
  z.object({ content: AirudderContent, quote: Quote }),
);

export const AirudderSessionMessagesResponse = z.object({
  request_id: looseId.nullish(),
  code: looseInt,
  message: z.string().nullish(),
  /** Documented as required; error envelopes send null or leave it out. */
  data: z.array(z.unknown()).nullish(),
});
export type AirudderSessionMessagesResponse = z.output<typeof AirudderSessionMessagesResponse>;

/** One message of `data`. */
export const AirudderSessionMessage = z
  .object({
    msg_id: z.string().min(1),
    /** The sample sends "" for messages no agent sent: null then. */
    seat_id: z
      .string()
      .nullish()
      .transform((value) => (value?.trim() ? value : null)),
    /** Epoch seconds; refused when not a time at all (see `MAX_EPOCH_SECONDS`). */
    timestamp: looseInt.refine((value) => Math.abs(value) <= MAX_EPOCH_SECONDS, 'not an epoch time'),
    sender_type: z
      .string()
      .nullish()
      .transform((value) => value ?? null),
    status: z
      .string()
      .nullish()
      .transform((value) => value ?? null),
    content: ContentAndQuote,
    /** The quoted message: documented as a message object, sent flattened (content fields + msg_id). */
    reply: Quote,
  })
  .transform(({ content, reply, ...message }) => ({
    ...message,
    content: content.content,
    // Documented on the message; the sample also quotes inside `content`.
    reply: reply ?? content.quote,
  }));
export type AirudderSessionMessage = z.output<typeof AirudderSessionMessage>;

/** Request body of `/api/v1/session/messages`. */
export interface AirudderSessionMessagesRequest {
  /** The session id. */
  call_id: string;
  /** Messages older than this one; "" for the newest. */
  last_msg_id: string;
  size: number;
  /** The only documented retrieval method. */
  type: 'single';
}

export const SESSION_MESSAGES_PATH = '/api/v1/session/messages';
/** The envelope's `code` on success. */
export const CODE_OK = 200;
