/**
 * The weizhipin fast wire path against its zod schemas: on records generated from the real sample
 * and the emulator's data, field by field mutated (the sender's and mentions' two spellings, body
 * content as a string or an object), whatever the fast path returns zod returns too, and a page
 * read through fast path and fallback is the page zod alone reads. And well-formed pages do take
 * the fast path: zod is not called for them.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { createSourceHttp } from '../../../src/sources/http.js';
import { WeizhipinClient } from '../../../src/sources/weizhipin/client.js';
import {
  fastImMessage,
  fastMessagesResponse,
  readImMessage,
  readMessagesResponse,
} from '../../../src/sources/weizhipin/fast-wire.js';
import { normalizeWeizhipinMessage, ROLE_BY_SENT_TYPE } from '../../../src/sources/weizhipin/normalize.js';
import {
  generateWeizhipinLongChat,
  weizhipinSampleRecords,
} from '../../../src/sources/weizhipin/sandbox/data.js';
import { WeizhipinImMessage, WeizhipinImMessagesResponse } from '../../../src/sources/weizhipin/wire.js';
import { editedRecords, expectAgreement, oddValue, outcomeOf } from '../../helpers/wire-differential.js';

const SOURCE = 'zhipin';
const samples = weizhipinSampleRecords();
const generated = generateWeizhipinLongChat({ userId: 'diff', seed: 4, anchorDay: 20_400 }).slice(0, 400);
const records = [...samples, ...generated] as Array<Record<string, unknown>>;
const RECORD_KEYS = Object.keys(WeizhipinImMessage.shape);

/** Records with their nested parts (sender, body, one mention) edited too. */
const nested = (key: 'sender' | 'body', keys: string[]) =>
  fc
    .tuple(fc.constantFrom(...records), fc.constantFrom(...keys), oddValue, fc.boolean())
    .map(([record, field, value, drop]) => {
      const copy = structuredClone(record);
      const part = copy[key];
      if (part && typeof part === 'object') {
        if (drop) delete (part as Record<string, unknown>)[field];
        else (part as Record<string, unknown>)[field] = value;
      }
      return copy;
    });
const mentionEdited = fc
  .tuple(
    fc.constantFrom(...records),
    fc.constantFrom('id', 'id_type', 'idType', 'tenant_key', 'key', 'name'),
    oddValue,
  )
  .map(([record, field, value]) => {
    const copy = structuredClone(record);
    const mentions = copy.mentions;
    if (Array.isArray(mentions) && mentions.length > 0) mentions[0] = { ...mentions[0], [field]: value };
    else copy.mentions = [{ id: 'ou_1', [field]: value }];
    return copy;
  });
const record = fc.oneof(
  editedRecords(records, RECORD_KEYS),
  nested('sender', ['id', 'id_type', 'idType', 'sender_type', 'senderType', 'tenant_key', 'tenantKey']),
  nested('body', ['content']),
  mentionEdited,
);
const envelope = fc
  .tuple(
    fc.array(record, { maxLength: 6 }),
    fc.array(fc.constantFrom(...records), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([edited, plain, items]) => {
    const list = [...plain, ...edited];
    return { code: 0, msg: '操作成功', traceId: 't', success: true, data: items ? { items: list } : list };
  });
const page = editedRecords(
  fc.sample(envelope, { numRuns: 40, seed: 5 }) as Array<Record<string, unknown>>,
  Object.keys(WeizhipinImMessagesResponse.shape),
);

const readPage =
  (envelopeOf: (body: unknown) => { data: unknown[] }, recordOf: (raw: unknown, index: number) => unknown) =>
  (body: unknown) =>
  () =>
    envelopeOf(body).data.map((raw, index) => recordOf(raw, index));
const fastRead = readPage(
  (body) => readMessagesResponse(body, SOURCE),
  (raw, index) => readImMessage(raw, SOURCE, `im/v2/messages record ${index}`),
);
const zodRead = readPage(
  (body) => parseWire(WeizhipinImMessagesResponse, body, SOURCE, 'im/v2/messages'),
  (raw, index) => parseWire(WeizhipinImMessage, raw, SOURCE, `im/v2/messages record ${index}`),
);

describe('weizhipin fast wire path, differential against zod', () => {
  it('reads every record zod reads the same, or leaves it to zod', () => {
    let fast = 0;
    fc.assert(
      fc.property(record, (raw) => {
        if (expectAgreement(fastImMessage, WeizhipinImMessage, raw)) fast++;
      }),
      { numRuns: 4000 },
    );
    expect(fast).toBeGreaterThan(400);
  });

  it('reads every envelope zod reads the same, and every page as zod alone does', () => {
    fc.assert(
      fc.property(page, (body) => {
        expectAgreement(fastMessagesResponse, WeizhipinImMessagesResponse, body);
        expect(outcomeOf(fastRead(body))).toStrictEqual(outcomeOf(zodRead(body)));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with zod on odd body contents', () => {
    const base = samples[0] as Record<string, unknown>;
    const proto = JSON.parse('{"__proto__": {"x": 1}, "text": "a", "2": 3}');
    // Each content, and whether the fast path reads it (else zod decides, reading or refusing it).
    const contents: Array<[unknown, boolean]> = [
      [proto, true],
      [{ constructor: 'x', text: 'a' }, true],
      [{ constructor: {}, text: 'a' }, true],
      [{ constructor: () => 1, text: 'a' }, false],
      [{ [Symbol('s')]: 1 }, false],
      [Object.create(null), false],
      [new Date(0), false],
      [[], false],
      [['a'], false],
      [5, false],
      [undefined, false],
    ];
    for (const [content, fastRead] of contents) {
      const raw = { ...base, body: { content } };
      const fast = fastImMessage(raw);
      expect(fast !== undefined).toBe(fastRead);
      if (fast) expect(fast).toStrictEqual(WeizhipinImMessage.safeParse(raw).data);
    }
    // An own `__proto__` key is dropped, as zod drops it, and does not become the copy's prototype.
    const copy = fastImMessage({ ...base, body: { content: proto } })?.body?.content;
    expect(copy).toStrictEqual({ text: 'a', 2: 3 });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});

describe('weizhipin well-formed pages take the fast path', () => {
  let emulator: RunningEmulator;
  let client: WeizhipinClient;
  let close: () => Promise<void>;
  let body: unknown;

  beforeAll(async () => {
    emulator = await startEmulator((request) =>
      request.url.pathname.endsWith('/tenant_access_token/internal')
        ? { status: 200, body: { code: 0, data: { tenant_access_token: 't-1', expire: 7140 } } }
        : { status: 200, body },
    );
    const made = createSourceHttp({ name: SOURCE, baseUrl: emulator.baseUrl }, { logger: silentLogger() });
    close = made.close;
    client = new WeizhipinClient({
      source: SOURCE,
      http: made.http,
      credentials: { appId: 'a', appSecret: 's' },
    });
  });
  afterAll(async () => {
    await close();
    await emulator.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the real sample and the emulator data without calling zod', async () => {
    const spies = [
      vi.spyOn(WeizhipinImMessagesResponse, 'safeParse'),
      vi.spyOn(WeizhipinImMessage, 'safeParse'),
    ];
    const query = {
      user_id_type: 'open_id' as const,
      user_id: 'ou_diff',
      start_time: 0,
      end_time: 86_400,
      message_type: 'text',
      page_size: 50,
    };
    body = { code: 0, msg: '操作成功', traceId: 't', success: true, data: samples };
    expect(await client.imMessages(query)).toHaveLength(samples.length);
    const objects = generated.filter((r) => typeof (r.body as { content: unknown }).content === 'object');
    body = { code: 0, msg: 'ok', data: [...objects.slice(0, 10), ...generated.slice(0, 40)] };
    expect(await client.imMessages(query)).toHaveLength(50);
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    // The spies do see the fallback: an unusual record (a key present but undefined) goes through zod.
    expect(readImMessage({ ...samples[0], chat_id: undefined }, SOURCE, 'record 0').message_id).toBe(
      samples[0]?.message_id,
    );
    expect(spies[1]?.mock.calls.length).toBe(1);
  });
});

describe('weizhipin normalizer shortcuts', () => {
  it('reads the sender types it knows by their exact value as the general rule reads them', () => {
    const ctx = { source: SOURCE, conversation: 'open_id:ou_1', warn: vi.fn() };
    const roleOf = (senderType: string) =>
      normalizeWeizhipinMessage(
        readImMessage({ ...samples[0], sender: { senderType } }, SOURCE, 'r'),
        null,
        ctx,
      ).sender.role;
    expect(ROLE_BY_SENT_TYPE.size).toBe(7);
    for (const [sent, role] of ROLE_BY_SENT_TYPE) {
      expect(roleOf(sent)).toBe(role);
      // Padded, the value misses the shortcut and goes through the trimming, case-folding rule.
      expect(roleOf(` ${sent.toUpperCase()} `)).toBe(role);
    }
    expect(ctx.warn).not.toHaveBeenCalled();
  });
});
