/**
 * The WeChat Shop fast wire path against its zod schemas: on records generated from the real
 * sample and the emulator's data, field by field mutated, whatever the fast path returns zod
 * returns too, and a page read through fast path and fallback is the page zod alone reads. And the
 * well-formed records do take the fast path: zod is not called for them.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import {
  fastExtraInfo,
  fastGetRoomMsgResponse,
  fastRoomMsg,
  readExtraInfo,
  readGetRoomMsgResponse,
  readRoomMsg,
} from '../../../src/sources/wechat-store/fast-wire.js';
import {
  generateWechatStoreRoom,
  WECHAT_STORE_SAMPLE_ROOM,
  wechatStoreSampleRecords,
} from '../../../src/sources/wechat-store/sandbox/data.js';
import { wechatStoreEmulator } from '../../../src/sources/wechat-store/sandbox/emulator.js';
import { WechatStoreSource } from '../../../src/sources/wechat-store/source.js';
import {
  NEWEST_MSG_ID,
  WechatStoreExtraInfo,
  WechatStoreGetRoomMsgResponse,
  WechatStoreRoomMsg,
} from '../../../src/sources/wechat-store/wire.js';
import { editedRecords, expectAgreement, oddValue, outcomeOf } from '../../helpers/wire-differential.js';

const SOURCE = 'shop';
const samples = wechatStoreSampleRecords();
const sandbox = generateWechatStoreRoom({ roomId: 'diff', seed: 5, count: 120, start: 1_760_000_000_000 });
const records = [...samples, ...sandbox] as Array<Record<string, unknown>>;
const RECORD_KEYS = Object.keys(WechatStoreRoomMsg.shape);
const extraDocs = records.flatMap((record) => {
  const doc = JSON.parse(String(record.extra_info)) as Record<string, unknown>;
  return [doc, { ...doc, qa_info_list: [{ q: 'x' }] }, { ...doc, qa_info_list: null }];
});

const record = editedRecords(records, RECORD_KEYS);
const envelope = fc
  .tuple(fc.array(record, { maxLength: 6 }), fc.array(fc.constantFrom(...records), { maxLength: 4 }))
  .map(([edited, plain]) => ({
    base_resp: { ret: 0, err_msg: 'ok' },
    kf_openid: 'o9cq80ztvAW8w_SVw40KSmh1XYqM',
    list: [...plain, ...edited],
  }));
const page = editedRecords(fc.sample(envelope, { numRuns: 40, seed: 7 }) as Array<Record<string, unknown>>, [
  'base_resp',
  'kf_openid',
  'list',
]).chain((body) =>
  // The envelope's own fields too: `ret` and `err_msg` retyped, dropped, flipped.
  fc.oneof(
    fc.constant(body),
    fc
      .tuple(fc.constantFrom('ret', 'err_msg'), oddValue)
      .map(([key, value]) =>
        typeof body === 'object' && body !== null && 'base_resp' in body
          ? { ...body, base_resp: { ...(body.base_resp as object), [key]: value } }
          : body,
      ),
  ),
);

/** The client's read of one answer: envelope, then each record. */
const readPage =
  (
    envelopeOf: (body: unknown) => { list?: unknown[] | null },
    recordOf: (raw: unknown, index: number) => unknown,
  ) =>
  (body: unknown) =>
  () =>
    (envelopeOf(body).list ?? []).map((raw, index) => recordOf(raw, index));
const fastRead = readPage(
  (body) => readGetRoomMsgResponse(body, SOURCE),
  (raw, index) => readRoomMsg(raw, SOURCE, `get_room_msg record ${index}`),
);
const zodRead = readPage(
  (body) => parseWire(WechatStoreGetRoomMsgResponse, body, SOURCE, 'get_room_msg'),
  (raw, index) => parseWire(WechatStoreRoomMsg, raw, SOURCE, `get_room_msg record ${index}`),
);

describe('WeChat Shop fast wire path, differential against zod', () => {
  it('reads every record zod reads the same, or leaves it to zod', () => {
    let fast = 0;
    fc.assert(
      fc.property(record, (raw) => {
        if (expectAgreement(fastRoomMsg, WechatStoreRoomMsg, raw)) fast++;
      }),
      { numRuns: 3000 },
    );
    // The generated records are mostly odd, but not all: the comparison is not vacuous.
    expect(fast).toBeGreaterThan(300);
  });

  it('reads every envelope and extra_info document zod reads the same, or leaves it to zod', () => {
    fc.assert(
      fc.property(page, (body) => {
        expectAgreement(fastGetRoomMsgResponse, WechatStoreGetRoomMsgResponse, body);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(editedRecords(extraDocs, Object.keys(WechatStoreExtraInfo.shape)), (doc) => {
        expectAgreement(fastExtraInfo, WechatStoreExtraInfo, doc);
        expect(readExtraInfo(doc)).toStrictEqual(WechatStoreExtraInfo.safeParse(doc).data);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads every page as zod alone reads it: the same records, or the same refusal', () => {
    fc.assert(
      fc.property(page, (body) => {
        expect(outcomeOf(fastRead(body))).toStrictEqual(outcomeOf(zodRead(body)));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with zod at the edges of numbers, ids and times', () => {
    const base = samples[1] as Record<string, unknown>;
    const cases: Array<[string, unknown]> = [
      ['create_time_ms', '8640000000000000'],
      ['create_time_ms', '8640000000000001'],
      ['create_time_ms', '-8640000000000000'],
      ['create_time', 8_640_000_000_000],
      ['create_time', 8_640_000_000_001],
      ['msg_type', '9007199254740991'],
      ['msg_type', '9007199254740992'],
      ['msg_type', '-0'],
      ['msg_type', -0],
      ['msg_type', '007'],
      ['msg_type', 1.5],
      ['is_revoked', true],
      ['is_revoked', '1'],
      ['is_revoked', 'true'],
      ['msg_id', '12345678901234567890'],
      ['msg_id', '123456789012345678901'],
      ['msg_id', 4370569330493079],
      ['qa_info_list', null],
      ['qa_info_list', { 0: 'x' }],
    ];
    for (const [key, value] of cases) {
      const raw = { ...base, [key]: value };
      const zod = WechatStoreRoomMsg.safeParse(raw);
      const fast = fastRoomMsg(raw);
      expect({ key, value, fast: fast !== undefined }).toEqual({ key, value, fast: zod.success });
      if (fast) expect(fast).toStrictEqual(zod.data);
    }
    // Either time alone is enough; neither is a refusal, left to zod to word.
    const { create_time: _s, create_time_ms: _ms, ...timeless } = base;
    expect(fastRoomMsg({ ...timeless, create_time: '1770097832' })?.create_time).toBe(1_770_097_832);
    expect(fastRoomMsg(timeless)).toBeUndefined();
    expect(fastRoomMsg({ ...base, send_openid: undefined })).toBeUndefined();
  });
});

describe('WeChat Shop well-formed pages take the fast path', () => {
  let emulator: RunningEmulator;
  let source: WechatStoreSource;

  beforeAll(async () => {
    emulator = await startEmulator(
      wechatStoreEmulator({
        rooms: new Map([
          [WECHAT_STORE_SAMPLE_ROOM, samples],
          ['diff', sandbox],
        ]),
        cookie: 'c',
        bizMagic: 'b',
      }),
    );
    source = new WechatStoreSource(
      {
        vendor: 'WECHAT_STORE',
        name: SOURCE,
        baseUrl: emulator.baseUrl,
        cookie: 'c',
        bizMagic: 'b',
        pageSize: 50,
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
    const zodCalls = [
      vi.spyOn(WechatStoreGetRoomMsgResponse, 'safeParse'),
      vi.spyOn(WechatStoreRoomMsg, 'safeParse'),
      vi.spyOn(WechatStoreExtraInfo, 'safeParse'),
    ];
    const sample = await source.fetchPage({
      roomId: WECHAT_STORE_SAMPLE_ROOM,
      msgId: NEWEST_MSG_ID,
      limit: 50,
    });
    const generated = await source.fetchPage({ roomId: 'diff', msgId: NEWEST_MSG_ID, limit: 50 });
    expect(sample).toHaveLength(samples.length);
    expect(generated).toHaveLength(50);
    expect(zodCalls.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    // The spies do see the fallback: an unusual record (a key present but undefined) goes through zod.
    expect(readRoomMsg({ ...samples[0], send_openid: undefined }, SOURCE, 'record 0').msg_id).toBe(
      samples[0]?.msg_id,
    );
    expect(zodCalls[1]?.mock.calls.length).toBe(1);
  });
});
