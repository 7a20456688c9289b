/**
 * Fuzzing the myscrm wire schema and normalizer with generated and mutated `chat-record/pull`
 * records: every record either becomes a message that keeps the model's promises, or the page is
 * refused with a `VENDOR_BAD_RESPONSE` naming the field. Never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { Message } from '../../../src/model/index.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type MyscrmMessage, normalizeMyscrmMessage } from '../../../src/sources/myscrm/normalize.js';
import { generateMyscrmChat, myscrmSampleRecords } from '../../../src/sources/myscrm/sandbox/data.js';
import { MyscrmSource } from '../../../src/sources/myscrm/source.js';
import { MyscrmChatRecord } from '../../../src/sources/myscrm/wire.js';
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

const SOURCE = 'scrm';
const CHAT = 'sandbox-sample';
const FETCHED_AT = 1_700_000_000_000;
const CONTENT_TYPES = [
  'TextContent',
  'ImageContent',
  'VideoContent',
  'AudioContent',
  'FileContent',
  'StickerContent',
  'LinkContent',
  'LocationContent',
  'MyscrmConsent',
  'MyscrmMiniProgram',
  'MyscrmRedPacket',
  'MyscrmContactCard',
  'MyscrmSharedDocument',
  'UnsupportedContent',
] as const;
type Typename = (typeof CONTENT_TYPES)[number];
const BLOCKS = [
  'text',
  'image',
  'video',
  'voice',
  'agree',
  'disagree',
  'file',
  'miniprogram',
  'redpacket',
  'link',
  'card',
  'location',
  'docmsg',
  'emotion',
];
const FOCUS = [
  'chat_record_id',
  'qw_chat_record_id',
  'sender_id',
  'receiver_ids',
  'send_time',
  'type',
  'hit_keyword_rules',
  'is_recall',
  'recall_time',
  ...BLOCKS,
];
/** Parts of link, location and mini-program texts are joined by line breaks. */
const WORDING = ['\n'];

const ctx = { source: SOURCE, conversation: CHAT, fetchedAt: FETCHED_AT, warn: () => {} };
const expectations = (raw: unknown, rawIdentity = true): MessageExpectations => ({
  vendor: 'MYSCRM',
  source: SOURCE,
  conversation: CHAT,
  contentTypes: CONTENT_TYPES,
  raw,
  rawIdentity,
  wording: WORDING,
});

const read = (raw: unknown) => () => parseWire(MyscrmChatRecord, raw, SOURCE, 'chat-record/pull record 0');
const normalize = (raw: unknown) => (record: MyscrmChatRecord) =>
  normalizeMyscrmMessage(record, raw, ctx) as Message;

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
// Generated records, one arbitrary per documented type (and some undocumented ones)

const num = fc.oneof(fc.nat(100_000), fc.nat(100_000).map(String));
const url = fc.webUrl();
const block = (type: string, fields: Record<string, fc.Arbitrary<unknown>>, typename: Typename) =>
  fc.record(fields, { requiredKeys: [] }).map((value) => ({ type, value, typename }));

const generatedContent: fc.Arbitrary<{ type: string; value: unknown; typename: Typename }> = fc.oneof(
  messageText.map((content) => ({ type: 'text', value: { content }, typename: 'TextContent' as const })),
  block('image', { oss_url: url, thumb_url: url }, 'ImageContent'),
  block('video', { oss_url: url, length: num }, 'VideoContent'),
  block('voice', { oss_url: url, length: num }, 'AudioContent'),
  block('file', { oss_url: url, filename: messageText, size: num }, 'FileContent'),
  block('emotion', { type: num, width: num, height: num, oss_url: url, thumb_url: url }, 'StickerContent'),
  block('link', { title: messageText, description: messageText, url, image_url: url }, 'LinkContent'),
  block(
    'location',
    {
      longitude: fc.double({ min: -180, max: 180 }),
      latitude: fc.double({ min: -90, max: 90 }),
      address: messageText,
      title: messageText,
      zoom: num,
    },
    'LocationContent',
  ),
  block('agree', { user_id: messageText, agree_time: num }, 'MyscrmConsent'),
  block('disagree', { user_id: messageText, disagree_time: num }, 'MyscrmConsent'),
  block(
    'miniprogram',
    { title: messageText, description: messageText, username: messageText, miniprogram_name: messageText },
    'MyscrmMiniProgram',
  ),
  block('redpacket', { type: num, wish: messageText, count: num, total_amount: num }, 'MyscrmRedPacket'),
  block('card', { corp_name: messageText, user_id: messageText }, 'MyscrmContactCard'),
  block('docmsg', { title: messageText, link_url: url, doc_creator: messageText }, 'MyscrmSharedDocument'),
  fc
    .tuple(
      fc.constantFrom('revoke', 'chatrecord', 'todo', 'vote', 'markdown', 'mixed', ''),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([type, value]) => ({ type, value, typename: 'UnsupportedContent' as const })),
);

const generatedRecord = fc
  .record({
    content: generatedContent,
    id: fc.uuid(),
    sender: fc.oneof(
      fc.stringMatching(/^wo[0-9A-Za-z_-]{30}$/),
      fc.constantFrom('zhangwei', 'li.na@corp'),
      fc.constant(''),
    ),
    time: fc.oneof(
      fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }),
      fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }).map(String),
    ),
    recall: optional(fc.constantFrom<unknown>(true, false, 0, 1, 'true', 'false')),
    rules: optional(
      fc.array(
        fc.record({
          rule_id: fc.uuid(),
          rule_name: sometimes(messageText),
          keywords: sometimes(fc.array(messageText)),
        }),
        { maxLength: 2 },
      ),
    ),
    // The vendor's own sample carries every block at once: a stray block must not matter.
    stray: fc.subarray(BLOCKS, { maxLength: 3 }),
  })
  .map(({ content, id, sender, time, recall, rules, stray }) => ({
    typename: content.typename,
    raw: asJson({
      ...Object.fromEntries(stray.map((name) => [name, { oss_url: 'string', content: 'string' }])),
      chat_record_id: id,
      qw_chat_record_id: `${id}_external`,
      action: 'send',
      sender_id: sender,
      receiver_ids: ['woD2JCDwAArHdkBUH9uyILlQs1RTyo9q'],
      send_time: time,
      type: content.type,
      hit_keyword_rules: rules,
      is_recall: recall,
      recall_time: recall ? time : undefined,
      [content.type || 'none']: content.value,
    }),
  }));

const samples = myscrmSampleRecords();
const sandbox = generateMyscrmChat({ chatId: 'fuzz', seed: 3, count: 200, start: 1_760_000_000_000 });
/** Swept field by field: the sample (every block at once) and a few sandbox records. */
const SWEPT = [...samples, ...sandbox.filter((_, index) => index % 40 === 0)] as Array<
  Record<string, unknown>
>;
const realRecord = fc.constantFrom<unknown>(...samples, ...sandbox);
const anyRecord = fc.oneof(
  realRecord,
  generatedRecord.map((generated) => generated.raw),
);

describe('myscrm records, fuzzed', () => {
  it('refuses or drops numbers beyond a double instead of answering Infinity (found by fuzzing)', () => {
    const sample = samples[0] as Record<string, unknown>;
    expect(refusedField({ ...sample, send_time: '9'.repeat(400) })).toBe('send_time');
    expect(refusedField({ ...sample, send_time: 1e308 })).toBe('send_time');
    // Optional numbers are lenient: unreadable becomes null, the message stays.
    const recall = { ...sample, recall_time: '9'.repeat(400) };
    expect((normalize(recall)(read(recall)()) as MyscrmMessage).recalledAt).toBeNull();
    const video = {
      ...sample,
      type: 'video',
      video: { oss_url: 'https://oss.example/v.mp4', length: '9'.repeat(400) },
    };
    expect(normalize(video)(read(video)()).content).toEqual({
      __typename: 'VideoContent',
      url: 'https://oss.example/v.mp4',
      thumbnailUrl: null,
      durationSeconds: null,
      expiresAt: FETCHED_AT + 3_600_000,
    });
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
    idField: 'chat_record_id',
    generatedRuns: 400,
  });
});

// ---------------------------------------------------------------------------------------------
// Whole pages through the source, its client and HTTP, against an emulator serving fuzzed bodies

describe('myscrm pages, fuzzed over HTTP', () => {
  pageFuzzTest({
    source: SOURCE,
    makeSource: (baseUrl) =>
      new MyscrmSource(
        {
          vendor: 'MYSCRM',
          name: SOURCE,
          baseUrl,
          appId: 'app-1',
          auth: { header: 'Authorization', scheme: 'Bearer', token: 't' },
          pageSize: 100,
        },
        { logger: silentLogger(), clock: () => FETCHED_AT },
      ),
    anyRecord,
    focus: FOCUS,
    shapes: ['list', 'no-list', 'null-list', 'object-list'],
    envelope: (list, shape) => ({
      errcode: 0,
      errmsg: 'ok',
      next_cursor: '',
      ...(shape === 'list' ? { list } : {}),
      ...(shape === 'null-list' ? { list: null } : {}),
      ...(shape === 'object-list' ? { list: { 0: list[0] ?? null } } : {}),
    }),
    listed: (shape) => shape === 'list',
    unreadableShape: (shape) => shape === 'object-list',
    readable: (raw) => MyscrmChatRecord.safeParse(raw).success,
    fetch: async (source) => {
      const result = await source.fetchPage({
        chatId: CHAT,
        asc: false,
        startTime: null,
        endTime: null,
        type: null,
        senderType: null,
        keyword: null,
        pageSize: 100,
        cursor: null,
      });
      expect(result.nextCursor).toBeNull();
      return result.messages;
    },
    expectations: (raw) => expectations(raw, false),
    sample: samples[0] as Record<string, unknown>,
    idField: 'chat_record_id',
  });
});
