/**
 * Fuzzing the weizhipin wire schema and normalizer with generated and mutated `im/v2/messages`
 * records: every record either becomes a message that keeps the model's promises, or the page is
 * refused with a `VENDOR_BAD_RESPONSE` naming the field. Never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { Message } from '../../../src/model/index.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { normalizeWeizhipinMessage } from '../../../src/sources/weizhipin/normalize.js';
import {
  WEIZHIPIN_LONG_CHAT,
  weizhipinSampleRecords,
  weizhipinSandboxChats,
} from '../../../src/sources/weizhipin/sandbox/data.js';
import { WeizhipinSource } from '../../../src/sources/weizhipin/source.js';
import { WeizhipinImMessage } from '../../../src/sources/weizhipin/wire.js';
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

const SOURCE = 'im';
const CHAT = 'open_id:ou_7dab8a3d3cdcc9da365777c7ad535d62';
const CONTENT_TYPES = [
  'WeizhipinText',
  'WeizhipinImage',
  'WeizhipinRichText',
  'WeizhipinSystemCard',
  'UnsupportedContent',
] as const;
type Typename = (typeof CONTENT_TYPES)[number];
const FOCUS = [
  'message_id',
  'root_id',
  'parent_id',
  'msg_type',
  'create_time',
  'update_time',
  'deleted',
  'updated',
  'sender',
  'body',
  'mentions',
  'upper_message_id',
];
/** Mentions written out as `@name` (`@所有人` for everyone), paragraphs, `title · text`. */
const WORDING = ['@', '所有人', '\n', ' · '];

const ctx = { source: SOURCE, conversation: CHAT, warn: () => {} };
const expectations = (raw: unknown, rawIdentity = true): MessageExpectations => ({
  vendor: 'WEIZHIPIN',
  source: SOURCE,
  conversation: CHAT,
  contentTypes: CONTENT_TYPES,
  raw,
  rawIdentity,
  wording: WORDING,
});

const read = (raw: unknown) => () => parseWire(WeizhipinImMessage, raw, SOURCE, 'im/v2/messages record 0');
const normalize = (raw: unknown) => (record: WeizhipinImMessage) =>
  normalizeWeizhipinMessage(record, raw, ctx) as Message;

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

const openId = fc.stringMatching(/^ou_[0-9a-f]{32}$/);
const element = fc.oneof(
  fc.record({
    tag: fc.constant('text'),
    text: messageText,
    style: sometimes(fc.array(fc.constantFrom('bold', 'italic'))),
  }),
  fc.record({ tag: fc.constant('a'), text: sometimes(messageText), href: fc.webUrl() }),
  fc.record({
    tag: fc.constant('at'),
    user_id: fc.oneof(openId, fc.constant('-1')),
    user_name: sometimes(messageText),
  }),
  fc.record({ tag: fc.constant('img'), image_key: fc.uuid() }),
  fc.record({ tag: fc.constantFrom('hr', 'code_block', 'emotion'), text: sometimes(messageText) }),
);
const richBody = fc.record({
  title: sometimes(messageText),
  content: fc.array(fc.array(element, { maxLength: 4 }), { maxLength: 3 }),
});
const richDoc = fc.oneof(
  richBody,
  richBody.map((body) => ({ zh_cn: body })),
  richBody.map((body) => ({ content: body })),
);

const generatedContent: fc.Arbitrary<{ msgType: string; doc: unknown; typename: Typename }> = fc.oneof(
  fc.tuple(messageText, fc.array(openId, { maxLength: 2 })).map(([words, ids]) => ({
    msgType: 'text',
    doc: { text: `${ids.map((_, index) => `@n${index} `).join('')}${words}`, atIdList: ids },
    typename: 'WeizhipinText' as const,
  })),
  fc
    .uuid()
    .map((key) => ({ msgType: 'image', doc: { image_key: key }, typename: 'WeizhipinImage' as const })),
  fc
    .tuple(fc.constantFrom('rich_text', 'new_rich_text', 'post'), richDoc)
    .map(([msgType, doc]) => ({ msgType, doc, typename: 'WeizhipinRichText' as const })),
  fc
    .record({ title: sometimes(messageText), text: sometimes(messageText), template: sometimes(messageText) })
    .map((doc) => ({ msgType: 'system_card', doc, typename: 'WeizhipinSystemCard' as const })),
  fc
    .tuple(
      fc.constantFrom('compressive_card', 'file', 'audio', 'sticker'),
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
    )
    .map(([msgType, doc]) => ({ msgType, doc, typename: 'UnsupportedContent' as const })),
);

const generatedRecord = fc
  .record({
    content: generatedContent,
    asString: fc.boolean(),
    messageId: fc.stringMatching(/^[0-9a-f]{17}[0-9A-Za-z]{14}~$/),
    time: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    senderType: optional(fc.constantFrom('IM机器人', 'app', 'user', '用户', 'system', 'alien')),
    camel: fc.boolean(),
    deleted: optional(fc.boolean()),
    mentionKeys: fc.boolean(),
  })
  .map(({ content, asString, messageId, time, senderType, camel, deleted, mentionKeys }) => {
    const ids = content.msgType === 'text' ? ((content.doc as { atIdList: string[] }).atIdList ?? []) : [];
    return {
      typename: content.typename,
      raw: asJson({
        message_id: messageId,
        root_id: null,
        parent_id: null,
        msg_type: content.msgType,
        create_time: String(time),
        update_time: String(time),
        deleted,
        updated: false,
        chat_id: null,
        sender: camel
          ? { id: null, idType: null, senderType }
          : { id: 'cli_1', id_type: 'app_id', sender_type: senderType },
        body: { content: asString ? JSON.stringify(content.doc) : content.doc },
        mentions: ids.map((id, index) =>
          mentionKeys
            ? { id, id_type: 'open_id', key: `@_user_${index}`, name: `n${index}` }
            : { id, id_type: 'open_id' },
        ),
        upper_message_id: null,
      }),
    };
  });

const samples = weizhipinSampleRecords();
const sandbox = (weizhipinSandboxChats(20_400).get(WEIZHIPIN_LONG_CHAT) ?? []).slice(0, 300);
/** Swept field by field: the sample and a few sandbox records of other types. */
const SWEPT = [...samples, ...sandbox.filter((_, index) => index % 30 === 0)] as Array<
  Record<string, unknown>
>;
const realRecord = fc.constantFrom<unknown>(...samples, ...sandbox);
const anyRecord = fc.oneof(
  realRecord,
  generatedRecord.map((generated) => generated.raw),
);

describe('weizhipin records, fuzzed', () => {
  it('refuses times beyond a double instead of answering Infinity (found by fuzzing)', () => {
    const sample = samples[0] as Record<string, unknown>;
    expect(refusedField({ ...sample, create_time: '9'.repeat(400) })).toBe('create_time');
    expect(refusedField({ ...sample, update_time: '9'.repeat(400) })).toBe('update_time');
    expect(refusedField({ ...sample, create_time: 1e308 })).toBe('create_time');
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
    idField: 'message_id',
    generatedRuns: 300,
  });
});

// ---------------------------------------------------------------------------------------------
// Whole pages through the source, its client (token included) and HTTP, against an emulator

describe('weizhipin pages, fuzzed over HTTP', () => {
  pageFuzzTest({
    source: SOURCE,
    makeSource: (baseUrl) =>
      new WeizhipinSource(
        {
          vendor: 'WEIZHIPIN',
          name: SOURCE,
          baseUrl,
          appId: 'app',
          appSecret: 'secret',
          lookbackDays: 7,
          windowConcurrency: 1,
          pageSize: 50,
        },
        { logger: silentLogger() },
      ),
    otherCall: (url) =>
      url.pathname.endsWith('/tenant_access_token/internal')
        ? { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: 't-1', expire: 7140 } }
        : undefined,
    anyRecord,
    focus: FOCUS,
    shapes: ['data', 'items', 'null-data', 'string-data'],
    envelope: (list, shape) => ({
      code: 0,
      msg: 'success',
      data:
        shape === 'data'
          ? list
          : shape === 'items'
            ? { items: list }
            : shape === 'null-data'
              ? null
              : 'nothing',
    }),
    listed: (shape) => shape === 'data' || shape === 'items',
    unreadableShape: (shape) => shape === 'string-data',
    readable: (raw) => WeizhipinImMessage.safeParse(raw).success,
    fetch: async (source) =>
      (
        await source.fetchPage({
          userIdType: 'open_id',
          userId: 'ou_7dab8a3d3cdcc9da365777c7ad535d62',
          startTime: 1_680_566_400,
          endTime: 1_680_652_799,
          messageId: null,
          pageSize: 50,
        })
      ).messages,
    expectations: (raw) => expectations(raw, false),
    sample: samples[0] as Record<string, unknown>,
    idField: 'message_id',
  });
});
