/**
 * Fuzzing the WeChat Shop wire schema and normalizer with generated and mutated `get_room_msg`
 * records: every record either becomes a message that keeps the model's promises, or the page is
 * refused with a `VENDOR_BAD_RESPONSE` naming the field. Never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import type { Message } from '../../../src/model/index.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { normalizeWechatStoreMessage } from '../../../src/sources/wechat-store/normalize.js';
import {
  generateWechatStoreRoom,
  wechatStoreSampleRecords,
} from '../../../src/sources/wechat-store/sandbox/data.js';
import { WechatStoreSource } from '../../../src/sources/wechat-store/source.js';
import { NEWEST_MSG_ID, WechatStoreRoomMsg } from '../../../src/sources/wechat-store/wire.js';
import { pageFuzzTest, recordFuzzTests } from '../../helpers/fuzz-suites.js';
import {
  asJson,
  expectRefusal,
  type MessageExpectations,
  messageText,
  outcomes,
  sometimes,
} from '../../helpers/mutate.js';

const SOURCE = 'shop';
const ROOM = '4370405345218887686';
const CONTENT_TYPES = [
  'TextContent',
  'ImageContent',
  'VideoContent',
  'AudioContent',
  'WechatStoreSystemNotice',
  'WechatStoreProductCard',
  'WechatStoreOrderCard',
  'UnsupportedContent',
] as const;
/** The fields the wire schema and the normalizer read: mutated more often than the rest. */
const FOCUS = [
  'msg_id',
  'session_id',
  'msg_type',
  'msg_direction',
  'create_time',
  'create_time_ms',
  'msg_kf_content',
  'extra_info',
  'send_openid',
  'is_revoked',
];
/** Separators of card texts. */
const WORDING = [' · '];

const ctx = { source: SOURCE, conversation: ROOM, warn: () => {} };
const expectations = (raw: unknown, rawIdentity = true): MessageExpectations => ({
  vendor: 'WECHAT_STORE',
  source: SOURCE,
  conversation: ROOM,
  contentTypes: CONTENT_TYPES,
  raw,
  rawIdentity,
  wording: WORDING,
});

/** The production path for one record: `parseWire` with the record schema, then the normalizer. */
const read = (raw: unknown) => () => parseWire(WechatStoreRoomMsg, raw, SOURCE, 'get_room_msg record 0');
const normalize = (raw: unknown) => (record: WechatStoreRoomMsg) =>
  normalizeWechatStoreMessage(record, raw, ctx) as Message;

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

const url = fc.webUrl();
const imgUri = fc.oneof(
  url.map((value) => ({ url: value })),
  url,
);
const imgSize = fc.record({ img_uri: imgUri, width: fc.nat(5000), height: fc.nat(5000) });
const looseInt = (arb: fc.Arbitrary<number>) => fc.oneof(arb, arb.map(String));

interface Generated {
  msgType: number | string;
  direction: number;
  doc: unknown;
  /** The content the normalizer must produce for it. */
  typename: (typeof CONTENT_TYPES)[number];
}

const product = fc.record({
  product_id: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 15n }).map(String), fc.nat()),
  product_title: messageText,
  product_img: url,
  price_wording: fc.constantFrom('¥59.00', '¥0.01', ''),
});

const generatedContent: fc.Arbitrary<Generated> = fc.oneof(
  fc.record({
    msgType: looseInt(fc.constant(1)),
    direction: fc.constantFrom(1, 2),
    doc: messageText.map((content) => ({ content })),
    typename: fc.constant('TextContent' as const),
  }),
  fc.record({
    msgType: looseInt(fc.constant(3)),
    direction: fc.constantFrom(1, 2),
    doc: fc.record({ ld_img: sometimes(imgSize), hd_img: sometimes(imgSize), ori_img: sometimes(imgSize) }),
    typename: fc.constant('ImageContent' as const),
  }),
  fc.record({
    msgType: looseInt(fc.constant(34)),
    direction: fc.constantFrom(1, 2),
    doc: fc.record({
      voice_uri: sometimes(imgUri),
      play_length: sometimes(fc.nat(60)),
      translated_word: sometimes(messageText),
    }),
    typename: fc.constant('AudioContent' as const),
  }),
  fc.record({
    msgType: looseInt(fc.constant(43)),
    direction: fc.constantFrom(1, 2),
    doc: fc.record({
      video_uri: sometimes(imgUri),
      cover_uri: sometimes(imgUri),
      play_length: sometimes(fc.nat(600)),
    }),
    typename: fc.constant('VideoContent' as const),
  }),
  fc.record({
    msgType: looseInt(fc.constantFrom(5, 24)),
    direction: fc.constant(3),
    doc: fc.record({
      type: fc.constantFrom('EndRoom', 'SessionTimeoutRedDot', 'TransferRoom', 'BrandNewNotice'),
      content: sometimes(messageText),
    }),
    typename: fc.constant('WechatStoreSystemNotice' as const),
  }),
  fc.record({
    msgType: looseInt(fc.nat(60)),
    direction: fc.constantFrom(1, 2),
    doc: fc
      .tuple(fc.constantFrom(13, '13'), product, fc.boolean())
      .map(([type, card, nested]) => (nested ? { type, content: JSON.stringify(card) } : { type, ...card })),
    typename: fc.constant('WechatStoreProductCard' as const),
  }),
  fc.record({
    msgType: looseInt(fc.nat(60)),
    direction: fc.constantFrom(1, 2),
    doc: fc
      .record({
        order_id: fc.bigInt({ min: 1n, max: 10n ** 18n }).map(String),
        state_wording: fc.constantFrom('待付款', '待发货', '已完成'),
        price_wording: fc.constantFrom('¥59.00', ''),
        products: fc.array(
          fc.record({ product_id: fc.nat(), product_title: messageText, product_cnt: looseInt(fc.nat(9)) }),
          { maxLength: 3 },
        ),
      })
      .map((card) => ({ type: 14, content: JSON.stringify(card) })),
    typename: fc.constant('WechatStoreOrderCard' as const),
  }),
  fc.record({
    // msg_types the normalizer does not know: shown, never dropped.
    msgType: looseInt(fc.constantFrom(10000, 49, 47, 0, 999)),
    direction: fc.constantFrom(1, 2),
    doc: fc.dictionary(fc.constantFrom('content', 'url', 'foo', 'emoji'), fc.jsonValue({ maxDepth: 2 })),
    typename: fc.constant('UnsupportedContent' as const),
  }),
);

const generatedRecord = fc
  .record({
    content: generatedContent,
    msgId: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String),
    timeMs: fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }),
    session: fc.oneof(fc.constant('0'), fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String)),
    openid: fc.stringMatching(/^o9cq80[0-9A-Za-z_-]{22}$/),
    nickname: sometimes(messageText),
    revoked: fc.constantFrom<unknown>(0, 1, true, false, '0', '1'),
  })
  .map(({ content, msgId, timeMs, session, openid, nickname, revoked }) => ({
    typename: content.typename,
    raw: asJson({
      msg_id: msgId,
      room_id: ROOM,
      session_id: session,
      msg_type: content.msgType,
      msg_direction: content.direction,
      create_time: String(Math.floor(timeMs / 1000)),
      create_time_ms: String(timeMs),
      msg_kf_content: JSON.stringify(content.doc),
      extra_info: JSON.stringify({ nickname, head_img: 'http://wx.qlogo.cn/mmhead/x/64' }),
      send_openid: openid,
      is_revoked: revoked,
    }),
  }));

const samples = wechatStoreSampleRecords();
const sandbox = generateWechatStoreRoom({ roomId: 'fuzz', seed: 11, count: 200, start: 1_760_000_000_000 });
/** Swept field by field: the sample's text, notice, card and image records and a few sandbox ones. */
const SWEPT = [...samples.slice(0, 6), ...sandbox.filter((_, index) => index % 40 === 0)] as Array<
  Record<string, unknown>
>;
const realRecord = fc.constantFrom<unknown>(...samples, ...sandbox);
const anyRecord = fc.oneof(
  realRecord,
  generatedRecord.map((generated) => generated.raw),
);

describe('WeChat Shop records, fuzzed', () => {
  it('refuses times beyond what a DateTime holds instead of answering Infinity (found by fuzzing)', () => {
    const { create_time_ms: _, ...secondsOnly } = samples[1] as Record<string, unknown>;
    expect(refusedField({ ...samples[1], create_time_ms: '9'.repeat(400) })).toBe('create_time_ms');
    expect(refusedField({ ...secondsOnly, create_time: 1e306 })).toBe('create_time');
    expect(refusedField({ ...samples[1], msg_type: '9'.repeat(400) })).toBe('msg_type');
    // The largest time a Date (and so a DateTime) holds is read; a millisecond more is not a time.
    const raw = { ...samples[1], create_time_ms: '8640000000000000' };
    expect(normalize(raw)(read(raw)()).sentAt).toBe(8_640_000_000_000_000);
    expect(new Date(8_640_000_000_000_000).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(refusedField({ ...samples[1], create_time_ms: String(Number.MAX_SAFE_INTEGER) })).toBe(
      'create_time_ms',
    );
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
    generatedRuns: 300,
    onGenerated: (message, raw) => {
      if (message?.content.__typename !== 'TextContent') return;
      const doc = JSON.parse(raw.msg_kf_content as string) as { content: string };
      expect(message.text).toBe(doc.content);
    },
  });
});

// ---------------------------------------------------------------------------------------------
// Whole pages through the source, its client and HTTP, against an emulator serving fuzzed bodies

describe('WeChat Shop pages, fuzzed over HTTP', () => {
  pageFuzzTest({
    source: SOURCE,
    makeSource: (baseUrl) =>
      new WechatStoreSource(
        { vendor: 'WECHAT_STORE', name: SOURCE, baseUrl, cookie: 'c', bizMagic: 'b', pageSize: 50 },
        { logger: silentLogger() },
      ),
    anyRecord,
    focus: FOCUS,
    shapes: ['list', 'no-list', 'null-list', 'object-list'],
    envelope: (list, shape) => ({
      base_resp: { ret: 0, err_msg: 'ok' },
      kf_openid: 'o9cq80',
      ...(shape === 'list' ? { list } : {}),
      ...(shape === 'null-list' ? { list: null } : {}),
      ...(shape === 'object-list' ? { list: { 0: list[0] ?? null } } : {}),
    }),
    listed: (shape) => shape === 'list',
    unreadableShape: (shape) => shape === 'object-list',
    readable: (raw) => WechatStoreRoomMsg.safeParse(raw).success,
    fetch: (source) => source.fetchPage({ roomId: ROOM, msgId: NEWEST_MSG_ID, limit: 50 }),
    expectations: (raw) => expectations(raw, false),
    sample: samples[0] as Record<string, unknown>,
    idField: 'msg_id',
  });
});
