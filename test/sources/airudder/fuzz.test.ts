/**
 * Fuzzing the AIRUDDER wire schema and normalizer with generated and mutated `session/messages`
 * records: every record either becomes a message that keeps the model's promises, or the page is
 * refused with a `VENDOR_BAD_RESPONSE` naming the field. Never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { Message } from '../../../src/model/index.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type AirudderMessage, normalizeAirudderMessage } from '../../../src/sources/airudder/normalize.js';
import {
  airudderSampleRecords,
  generateAirudderSession,
} from '../../../src/sources/airudder/sandbox/data.js';
import { AirudderSource } from '../../../src/sources/airudder/source.js';
import { AirudderSessionMessage } from '../../../src/sources/airudder/wire.js';
import { pageFuzzTest, recordFuzzTests } from '../../helpers/fuzz-suites.js';
import {
  asJson,
  expectRefusal,
  type MessageExpectations,
  messageText,
  optional,
  outcomes,
  sometimes,
} from '../../helpers/mutate.js';

const SOURCE = 'bot';
const SESSION = '7738ff156ad12075578af25c84908567';
const CONTENT_TYPES = [
  'TextContent',
  'ImageContent',
  'VideoContent',
  'AudioContent',
  'FileContent',
  'AirudderInteractivePrompt',
  'AirudderPromptAnswer',
  'AirudderWhatsappTemplate',
  'AirudderInstagramTemplate',
  'AirudderLineTemplate',
  'UnsupportedContent',
] as const;
type Typename = (typeof CONTENT_TYPES)[number];
const FOCUS = ['msg_id', 'seat_id', 'timestamp', 'sender_type', 'status', 'content', 'reply'];
/** Line breaks between parts, `A | B` choices, `Section: rows`, `title · subtitle`. */
const WORDING = ['\n', ' | ', ': ', ' · '];

const ctx = { source: SOURCE, conversation: SESSION, warn: () => {} };
const expectations = (raw: unknown, rawIdentity = true): MessageExpectations => ({
  vendor: 'AIRUDDER',
  source: SOURCE,
  conversation: SESSION,
  contentTypes: CONTENT_TYPES,
  raw,
  rawIdentity,
  wording: WORDING,
});

const read = (raw: unknown) => () =>
  parseWire(AirudderSessionMessage, raw, SOURCE, 'session/messages record 0');
const normalize = (raw: unknown) => (record: AirudderSessionMessage) =>
  normalizeAirudderMessage(record, raw, ctx) as Message;

/** The field a refusal names, or null when the record was read. */
function refusedField(raw: unknown): string | null {
  try {
    read(raw)();
    return null;
  } catch (error) {
    expectRefusal(error, SOURCE, outcomes());
    return String((error as { details: { field: string } }).details.field);
  }
}

// ---------------------------------------------------------------------------------------------
// Generated records, one arbitrary per content the normalizer knows (and some it does not)

const signedUrl = fc
  .tuple(fc.webUrl(), fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }), fc.boolean())
  .map(([url, expires, signed]) => (signed ? `${url}?Expires=${expires}&Signature=abc%3D` : url));
const media = fc.record(
  { origin_url: signedUrl, name: messageText, duration: fc.nat(600), width: fc.nat(4000), size: fc.nat() },
  { requiredKeys: [] },
);
const textObject = messageText.map((text) => ({ text }));
const header = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.oneof(messageText, textObject) }),
  fc.record({ type: fc.constantFrom('image', 'video', 'document', 'IMAGE'), media }),
  fc.record({
    type: fc.constant('location'),
    location: fc.record({
      latitude: fc.double({ min: -90, max: 90 }),
      longitude: fc.double({ min: -180, max: 180 }),
      name: messageText,
    }),
  }),
  fc.record({ type: fc.constantFrom('sticker', 'product'), sticker: media }),
);
const button = fc.record({
  type: fc.constant('reply'),
  reply: fc.record({ id: fc.oneof(fc.uuid(), fc.nat()), title: messageText }),
});
const prompt = fc.oneof(
  fc.record({
    type: fc.constant('button'),
    header: sometimes(header),
    body: sometimes(textObject),
    footer: sometimes(textObject),
    action: fc.record({ buttons: fc.array(button, { maxLength: 3 }) }),
  }),
  fc.record({
    type: fc.constant('list'),
    body: sometimes(textObject),
    action: fc.record({
      button: messageText,
      sections: fc.array(
        fc.record({
          title: sometimes(messageText),
          rows: fc.array(fc.record({ id: fc.uuid(), title: messageText, description: messageText }), {
            maxLength: 3,
          }),
        }),
        { maxLength: 3 },
      ),
    }),
  }),
);
const waButton = fc.record({
  type: fc.constantFrom('quick_reply', 'url', 'phone_number'),
  text: messageText,
  url: fc.webUrl(),
  phone_number: fc.constant('+6560000000'),
});
const whatsapp = fc.record({
  category: fc.constantFrom('marketing', 'utility'),
  subcate: fc.constantFrom('blank', 'carousel'),
  header: sometimes(header),
  body: fc.oneof(messageText, textObject),
  footer: sometimes(messageText),
  button: fc.array(waButton, { maxLength: 3 }),
  carousel: sometimes(
    fc.array(
      fc.record({
        header: sometimes(header),
        body: messageText,
        buttons: fc.array(waButton, { maxLength: 2 }),
      }),
      {
        maxLength: 3,
      },
    ),
  ),
});
const instagram = fc.record({
  payload: fc.record({
    template_type: fc.constant('generic'),
    elements: fc.array(
      fc.record({
        title: messageText,
        subtitle: sometimes(messageText),
        image_url: sometimes(fc.webUrl()),
        buttons: fc.array(
          fc.record({ type: fc.constant('postback'), title: messageText, payload: fc.uuid() }),
          {
            maxLength: 3,
          },
        ),
      }),
      { maxLength: 4 },
    ),
  }),
});
const lineAction = fc.record({
  type: fc.constantFrom('postback', 'uri', ''),
  label: messageText,
  data: fc.uuid(),
  display_text: sometimes(messageText),
});
const line = fc.record({
  type: fc.constantFrom('buttons', 'carousel', 'confirm'),
  title: sometimes(messageText),
  text: messageText,
  default_action: sometimes(lineAction),
  actions: sometimes(fc.array(lineAction, { maxLength: 3 })),
  columns: sometimes(
    fc.array(
      fc.record({ title: messageText, text: messageText, actions: fc.array(lineAction, { maxLength: 2 }) }),
      {
        maxLength: 3,
      },
    ),
  ),
});

const generatedContent: fc.Arbitrary<{ content: unknown; typename: Typename }> = fc.oneof(
  messageText.map((text) => ({ content: { type: 'text', text }, typename: 'TextContent' as const })),
  media.map((value) => ({ content: { type: 'image', media: value }, typename: 'ImageContent' as const })),
  media.map((value) => ({ content: { type: 'video', media: value }, typename: 'VideoContent' as const })),
  media.map((value) => ({ content: { type: 'audio', media: value }, typename: 'AudioContent' as const })),
  fc
    .tuple(fc.constantFrom('file', 'document'), media)
    .map(([type, value]) => ({ content: { type, media: value }, typename: 'FileContent' as const })),
  prompt.map((value) => ({
    content: { type: 'interactive', interactive: value },
    typename: 'AirudderInteractivePrompt' as const,
  })),
  fc.tuple(messageText, prompt).map(([text, quoted]) => ({
    content: {
      type: 'interactive',
      text,
      reply: { msg_id: 'q-1', type: 'interactive', interactive: quoted },
    },
    typename: 'AirudderPromptAnswer' as const,
  })),
  whatsapp.map((wa) => ({
    content: {
      type: 'template',
      template: { type: 'WhatsApp', wa_content: wa, info: { id: 96, name: 'c', language: 'en' } },
    },
    typename: 'AirudderWhatsappTemplate' as const,
  })),
  instagram.map((ins) => ({
    content: { type: 'template', template: { type: 'Instagram', ins_content: ins } },
    typename: 'AirudderInstagramTemplate' as const,
  })),
  line.map((value) => ({
    content: { type: 'template', template: { type: 'Line', line_content: value } },
    typename: 'AirudderLineTemplate' as const,
  })),
  fc
    .tuple(fc.constantFrom('sticker', 'contacts', 'reaction', 'location'), fc.jsonValue({ maxDepth: 2 }))
    .map(([type, extra]) => ({ content: { type, extra }, typename: 'UnsupportedContent' as const })),
);

const generatedRecord = fc
  .record({
    content: generatedContent,
    msgId: fc
      .tuple(fc.uuid(), fc.option(fc.nat(9)))
      .map(([id, part]) => (part === null ? id : `${id}-${part}`)),
    timestamp: fc.oneof(
      fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map(String),
    ),
    senderType: optional(fc.constantFrom('user', 'robot', 'chatbot', 'agent', 'seat', 'system', 'alien')),
    status: optional(fc.constantFrom('read', 'delivery', 'sent', 'send', 'failed', 'UNKNOWN')),
    seatId: optional(fc.constantFrom('', 'seat-1')),
  })
  .map(({ content, msgId, timestamp, senderType, status, seatId }) => ({
    typename: content.typename,
    raw: asJson({
      msg_id: msgId,
      seat_id: seatId,
      timestamp,
      sender_type: senderType,
      status,
      content: content.content,
    }),
  }));

const samples = airudderSampleRecords();
const sandbox = generateAirudderSession({ seed: 5, count: 200, start: 1_760_000_000 });
/** Swept field by field: the sample covers every content type it has, with a few sandbox records. */
const SWEPT = [...samples, ...sandbox.filter((_, index) => index % 50 === 0)] as Array<
  Record<string, unknown>
>;
const realRecord = fc.constantFrom<unknown>(...samples, ...sandbox);
const anyRecord = fc.oneof(
  realRecord,
  generatedRecord.map((generated) => generated.raw),
);

describe('AIRUDDER records, fuzzed', () => {
  it('keeps prototype names, blank types and huge times out of the model (found by fuzzing)', () => {
    const text = samples[6] as Record<string, unknown>;
    expect(refusedField({ ...text, timestamp: 1e308 })).toBe('timestamp');
    expect(refusedField({ ...text, timestamp: '9'.repeat(400) })).toBe('timestamp');
    const odd = {
      ...text,
      sender_type: 'constructor',
      status: '__proto__',
      content: { type: '', text: 'hi' },
    };
    const message = normalize(odd)(read(odd)()) as AirudderMessage;
    expect(message.sender.role).toBe('UNKNOWN');
    expect(message.status).toBe('UNKNOWN');
    expect(message.statusRaw).toBe('__proto__');
    expect(message.content).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'missing',
      raw: odd.content,
    });
    expect(message.text).toBe('hi');
  });

  recordFuzzTests({
    read,
    normalize,
    expectations: (raw) => expectations(raw),
    focus: FOCUS,
    swept: SWEPT,
    generated: generatedRecord,
    anyRecord,
    contentTypes: CONTENT_TYPES,
    idField: 'msg_id',
    generatedRuns: 400,
  });
});

// ---------------------------------------------------------------------------------------------
// Whole pages through the source, its client and HTTP, against an emulator serving fuzzed bodies

describe('AIRUDDER pages, fuzzed over HTTP', () => {
  pageFuzzTest({
    source: SOURCE,
    makeSource: (baseUrl) =>
      new AirudderSource(
        { vendor: 'AIRUDDER', name: SOURCE, baseUrl, signKey: 'k', sign: '', pageSize: 50 },
        { logger: silentLogger() },
      ),
    anyRecord,
    focus: FOCUS,
    shapes: ['data', 'no-data', 'null-data', 'object-data'],
    envelope: (list, shape) => ({
      request_id: 'r-1',
      code: 200,
      message: 'success',
      ...(shape === 'data' ? { data: list } : {}),
      ...(shape === 'null-data' ? { data: null } : {}),
      ...(shape === 'object-data' ? { data: { 0: list[0] ?? null } } : {}),
    }),
    listed: (shape) => shape === 'data',
    unreadableShape: (shape) => shape === 'object-data',
    readable: (raw) => AirudderSessionMessage.safeParse(raw).success,
    fetch: (source) => source.fetchPage({ callId: SESSION, lastMsgId: '', size: 50 }),
    expectations: (raw) => expectations(raw, false),
    sample: samples[0] as Record<string, unknown>,
    idField: 'msg_id',
  });
});
