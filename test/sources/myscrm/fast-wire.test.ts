/**
 * The myscrm fast wire path against its zod schemas: on records, keyword-rule hits and content
 * blocks generated from the real sample and the emulator's data, field by field mutated, whatever
 * the fast path returns zod returns too, and a page read through fast path and fallback is the
 * page zod alone reads. And well-formed pages do take the fast path: zod is not called for them.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import {
  fastChatRecord,
  fastKeywordRuleHit,
  fastLenientBlockOf,
  fastPullResponse,
  fastTextBlock,
  LENIENT_BLOCK_FIELDS,
  readBlock,
  readChatRecord,
  readKeywordRuleHit,
  readPullResponse,
} from '../../../src/sources/myscrm/fast-wire.js';
import {
  generateMyscrmChat,
  MYSCRM_SAMPLE_CHAT,
  myscrmSampleRecords,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmEmulator } from '../../../src/sources/myscrm/sandbox/emulator.js';
import { MyscrmSource } from '../../../src/sources/myscrm/source.js';
import * as wire from '../../../src/sources/myscrm/wire.js';
import { editedRecords, expectAgreement, outcomeOf } from '../../helpers/wire-differential.js';

const SOURCE = 'scrm';
const samples = myscrmSampleRecords();
const generated = generateMyscrmChat({ chatId: 'diff', seed: 9, count: 300, start: 1_760_000_000_000 });
const records = [...samples, ...generated] as Array<Record<string, unknown>>;
const RECORD_KEYS = Object.keys(wire.MyscrmChatRecord.shape);

const record = editedRecords(records, RECORD_KEYS);
const envelope = fc
  .tuple(fc.array(record, { maxLength: 6 }), fc.array(fc.constantFrom(...records), { maxLength: 4 }))
  .map(([edited, plain]) => ({ errcode: 0, errmsg: 'ok', list: [...plain, ...edited], next_cursor: 'c1' }));
const page = editedRecords(
  fc.sample(envelope, { numRuns: 40, seed: 3 }) as Array<Record<string, unknown>>,
  Object.keys(wire.MyscrmChatRecordPullResponse.shape),
);

/** Every block of every real record, under its type, and each hit of every rule list. */
const blocksOf = (type: string) =>
  records.flatMap((r) =>
    r[type] && typeof r[type] === 'object' ? [r[type] as Record<string, unknown>] : [],
  );
const hits = [
  ...records.flatMap((r) => (Array.isArray(r.hit_keyword_rules) ? r.hit_keyword_rules : [])),
  { rule_id: 7, rule_name: 'x', keywords: ['a', 1, null] },
] as Array<Record<string, unknown>>;

const readPage =
  (
    envelopeOf: (body: unknown) => { list?: unknown[] | null },
    recordOf: (raw: unknown, index: number) => unknown,
  ) =>
  (body: unknown) =>
  () =>
    (envelopeOf(body).list ?? []).map((raw, index) => recordOf(raw, index));
const fastRead = readPage(
  (body) => readPullResponse(body, SOURCE),
  (raw, index) => readChatRecord(raw, SOURCE, `chat-record/pull record ${index}`),
);
const zodRead = readPage(
  (body) => parseWire(wire.MyscrmChatRecordPullResponse, body, SOURCE, 'chat-record/pull'),
  (raw, index) => parseWire(wire.MyscrmChatRecord, raw, SOURCE, `chat-record/pull record ${index}`),
);

const BLOCK_SCHEMAS = {
  image: wire.MyscrmImageBlock,
  video: wire.MyscrmVideoBlock,
  voice: wire.MyscrmVoiceBlock,
  agree: wire.MyscrmAgreeBlock,
  disagree: wire.MyscrmDisagreeBlock,
  file: wire.MyscrmFileBlock,
  miniprogram: wire.MyscrmMiniProgramBlock,
  redpacket: wire.MyscrmRedPacketBlock,
  link: wire.MyscrmLinkBlock,
  card: wire.MyscrmCardBlock,
  location: wire.MyscrmLocationBlock,
  docmsg: wire.MyscrmDocMsgBlock,
  emotion: wire.MyscrmEmotionBlock,
} as const;

describe('myscrm fast wire path, differential against zod', () => {
  it('reads every record zod reads the same, or leaves it to zod', () => {
    let fast = 0;
    fc.assert(
      fc.property(record, (raw) => {
        if (expectAgreement(fastChatRecord, wire.MyscrmChatRecord, raw)) fast++;
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(300);
  });

  it('reads every envelope zod reads the same, and every page as zod alone does', () => {
    fc.assert(
      fc.property(page, (body) => {
        expectAgreement(fastPullResponse, wire.MyscrmChatRecordPullResponse, body);
        expect(outcomeOf(fastRead(body))).toStrictEqual(outcomeOf(zodRead(body)));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads every keyword-rule hit and content block zod reads the same, or leaves it to zod', () => {
    fc.assert(
      fc.property(editedRecords(hits, Object.keys(wire.MyscrmKeywordRuleHit.shape)), (item) => {
        expectAgreement(fastKeywordRuleHit, wire.MyscrmKeywordRuleHit, item);
        expect(readKeywordRuleHit(item)).toStrictEqual(wire.MyscrmKeywordRuleHit.safeParse(item).data);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(editedRecords(blocksOf('text'), ['content']), (block) => {
        expectAgreement(fastTextBlock, wire.MyscrmTextBlock, block);
        expect(readBlock.text(block)).toStrictEqual(wire.MyscrmTextBlock.safeParse(block).data);
      }),
      { numRuns: 300 },
    );
    for (const type of Object.keys(BLOCK_SCHEMAS) as Array<keyof typeof BLOCK_SCHEMAS>) {
      const schema = BLOCK_SCHEMAS[type];
      // The fast path's field list is the schema's, so a field added to one is not missed by the other.
      expect(Object.keys(LENIENT_BLOCK_FIELDS[type]).sort()).toEqual(Object.keys(schema.shape).sort());
      fc.assert(
        fc.property(editedRecords(blocksOf(type), Object.keys(schema.shape)), (block) => {
          expectAgreement((raw) => fastLenientBlockOf(type, raw) as never, schema, block);
          expect(readBlock[type](block)).toStrictEqual(schema.safeParse(block).data);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('agrees with zod at the edges of numbers and times', () => {
    const base = samples[0] as Record<string, unknown>;
    const cases: Array<[string, unknown]> = [
      ['send_time', '8640000000000000'],
      ['send_time', 8_640_000_000_000_001],
      ['send_time', '1689651305443.5'],
      ['send_time', '1689651305'],
      ['send_time', -0],
      ['send_time', '-0'],
      ['send_time', '1.'],
      ['send_time', '.5'],
      ['send_time', '9'.repeat(400)],
      ['recall_time', '9'.repeat(400)],
      ['recall_time', 1_689_651_340],
      ['is_recall', 'true'],
      ['is_recall', 'TRUE'],
      ['is_recall', '1'],
      ['is_recall', 0.5],
      ['receiver_ids', 'x'],
      ['chat_record_id', ''],
      ['chat_record_id', 5],
    ];
    for (const [key, value] of cases) {
      const raw = { ...base, [key]: value };
      const zod = wire.MyscrmChatRecord.safeParse(raw);
      const fast = fastChatRecord(raw);
      expect({ key, value, fast: fast !== undefined }).toEqual({ key, value, fast: zod.success });
      if (fast) expect(fast).toStrictEqual(zod.data);
    }
  });
});

describe('myscrm well-formed pages take the fast path', () => {
  let emulator: RunningEmulator;
  let source: MyscrmSource;

  beforeAll(async () => {
    emulator = await startEmulator(
      myscrmEmulator({
        chats: new Map([
          [MYSCRM_SAMPLE_CHAT, samples],
          ['diff', generated],
        ]),
        appId: 'app',
        auth: { header: 'authorization', value: 'Bearer t0ken-value' },
      }),
    );
    source = new MyscrmSource(
      {
        vendor: 'MYSCRM',
        name: SOURCE,
        baseUrl: emulator.baseUrl,
        appId: 'app',
        auth: { header: 'Authorization', scheme: 'Bearer', token: 't0ken-value' },
        pageSize: 100,
      },
      { logger: silentLogger() },
    );
  });
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the real sample and the emulator data without calling zod', async () => {
    const schemas = [
      wire.MyscrmChatRecordPullResponse,
      wire.MyscrmChatRecord,
      wire.MyscrmKeywordRuleHit,
      wire.MyscrmTextBlock,
      ...Object.values(BLOCK_SCHEMAS),
    ];
    const spies = schemas.map((schema) => vi.spyOn(schema, 'safeParse'));
    const request = {
      asc: true,
      startTime: null,
      endTime: null,
      type: null,
      senderType: null,
      keyword: null,
    };
    const sample = await source.fetchPage({
      ...request,
      chatId: MYSCRM_SAMPLE_CHAT,
      pageSize: 100,
      cursor: null,
    });
    const page = await source.fetchPage({ ...request, chatId: 'diff', pageSize: 100, cursor: null });
    expect(sample.messages).toHaveLength(samples.length);
    expect(page.messages).toHaveLength(100);
    // Every content type of the sandbox is on the page, so every block reader was used.
    expect(new Set(page.messages.map((message) => message.kind)).size).toBeGreaterThan(5);
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual(schemas.map(() => 0));
    // The spies do see the fallback: an unusual record (a key present but undefined) goes through zod.
    expect(readChatRecord({ ...samples[0], action: undefined }, SOURCE, 'record 0').chat_record_id).toBe(
      samples[0]?.chat_record_id,
    );
    expect(spies[1]?.mock.calls.length).toBe(1);
  });
});
