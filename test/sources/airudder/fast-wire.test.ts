/**
 * The AIRUDDER fast path (`fast-wire.ts`) against the zod schemas it stands in front of: whenever
 * it reads a value, zod reads the same value to the same result; a page read through it (fast
 * path, zod behind) equals the page read by zod alone, refusals included. Records come from the
 * vendor's sample and the emulator's sessions, mutated field by field. And a well-formed page
 * takes the fast path for every record, through the real client.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import {
  airudderWireCounters,
  fastAirudderSessionMessage,
  fastAirudderSessionMessagesResponse,
  readAirudderSessionMessage,
  readAirudderSessionMessagesResponse,
} from '../../../src/sources/airudder/fast-wire.js';
import {
  AIRUDDER_SAMPLE_SESSION,
  airudderSampleRecords,
  airudderSandboxSessions,
  generateAirudderSession,
} from '../../../src/sources/airudder/sandbox/data.js';
import { airudderEmulator } from '../../../src/sources/airudder/sandbox/emulator.js';
import { AirudderSource } from '../../../src/sources/airudder/source.js';
import {
  AirudderSessionMessage,
  AirudderSessionMessagesResponse,
} from '../../../src/sources/airudder/wire.js';
import {
  digitString,
  getAt,
  junk,
  type Mutated,
  mutated,
  oddNumber,
  type Path,
  pathsOf,
  replaceAt,
} from '../../helpers/mutate.js';

const SOURCE = 'bot';
const FOCUS = ['msg_id', 'seat_id', 'timestamp', 'sender_type', 'status', 'content', 'reply'];

const samples = airudderSampleRecords();
const sandbox = generateAirudderSession({ seed: 7, count: 300, start: 1_760_000_000 });
const wellFormed: unknown[] = [...samples, ...sandbox];

/** A deep copy with `key` set on the object at `path`, `__proto__` included (as JSON.parse does). */
function withKey(value: unknown, path: Path, key: string, next: unknown): unknown {
  const copy = structuredClone(value);
  const node = path.length === 0 ? copy : getAt(copy, path);
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return copy;
  Object.defineProperty(node, key, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Values this vendor's schemas treat specially: blanks, case, Meta's answers, numeric strings. */
const schemaEdges: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    '\t\n',
    'IMAGE',
    'Text',
    'WhatsApp',
    'whatsapp',
    'LINE',
    'document',
    'file',
    'location',
    'button_reply',
    'list_reply',
    'interactive',
    'template',
    '12',
    '1.5',
    '1e3',
    ' 7 ',
    '-0',
    0,
    -0,
    1.5,
    -1,
    Number.MAX_SAFE_INTEGER,
    8_640_000_000_000,
    8_640_000_000_001,
    { text: 'wrapped' },
    { text: ' ' },
    { text: 5 },
    { type: 'button_reply', button_reply: { title: 'Yes' } },
    { type: 'list_reply', list_reply: { title: 'Row' } },
    { type: 'button_reply', button_reply: { title: 5 } },
    { type: 'text', text: 'quoted' },
    { type: 'image', media: { url: 'https://x/y.jpg' } },
    { msg_id: 'q-1', timestamp: 1_730_000_000, content: { type: 'text', text: 'q' } },
    [{ type: 'reply' }],
    [null],
    [1, { title: 'x' }],
  ),
  digitString,
  oddNumber,
);

/** Keys the schemas read as alternatives of one another, and keys nobody reads. */
const EXTRA_KEYS = [
  'extra',
  '__proto__',
  'constructor',
  'toString',
  'reply',
  'content',
  'text',
  'media',
  'image',
  'video',
  'document',
  'file',
  'url',
  'link',
  'cover_url',
  'filename',
  'thumbnail_image_url',
  'button',
  'buttons',
  'interactive',
  'info',
];

/** One schema-specific mutation: an edge value somewhere, or an extra key on an object. */
function edgeMutation(value: unknown): fc.Arbitrary<Mutated> {
  const paths = pathsOf(value);
  const objects: Path[] = [[], ...paths.filter((path) => isObject(getAt(value, path)))];
  // A value found elsewhere in the record: a list of buttons under `button` beside `buttons`.
  const elsewhere = paths.length > 0 ? fc.constantFrom(...paths).map((path) => getAt(value, path)) : junk;
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...(paths.length > 0 ? paths : [[] as Path])), schemaEdges)
      .map(([path, next]) => ({
        value: path.length === 0 ? next : replaceAt(value, path, next),
        steps: [`edge @ ${path.join('.')}`],
      })),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.constantFrom(...EXTRA_KEYS),
        fc.oneof(schemaEdges, junk, elsewhere),
      )
      .map(([path, key, next]) => ({
        value: withKey(value, path, key, next),
        steps: [`extra ${key} @ ${path.join('.')}`],
      })),
  );
}

function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, i) =>
    combinations(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]),
  );
}

function product(lists: readonly unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>(
    (out, list) => out.flatMap((prefix) => list.map((item) => [...prefix, item])),
    [[]],
  );
}

const isObject = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A real record, unchanged, mutated by the shared fuzz mutations, or by edges of this schema. */
const record: fc.Arbitrary<Mutated> = fc.constantFrom(...wellFormed).chain((base) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutated>({ value: base, steps: [] }) },
    { weight: 3, arbitrary: mutated(base, FOCUS) },
    {
      weight: 3,
      arbitrary: fc
        .integer({ min: 1, max: 3 })
        .chain((count) =>
          Array.from({ length: count - 1 }).reduce<fc.Arbitrary<Mutated>>(
            (arb) => arb.chain((previous) => edgeMutation(previous.value)),
            edgeMutation(base),
          ),
        ),
    },
  ),
);

/** What reading did: the value, or the refusal's message. */
function outcome(read: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: read() };
  } catch (error) {
    return { error: String((error as Error).message) };
  }
}

function expectSameAsZod(raw: unknown): void {
  const fast = fastAirudderSessionMessage(raw);
  if (fast === undefined) return;
  const zod = AirudderSessionMessage.safeParse(raw);
  expect(zod.success, 'zod reads what the fast path reads').toBe(true);
  expect(fast).toStrictEqual(zod.data);
}

describe('AIRUDDER fast path, against zod', () => {
  it('reads every sample and emulator record, to exactly what zod reads', () => {
    for (const raw of [...wellFormed, ...(airudderSandboxSessions().get('sandbox-long') ?? [])]) {
      const fast = fastAirudderSessionMessage(raw);
      expect(fast, JSON.stringify(raw).slice(0, 200)).toBeDefined();
      expect(fast).toStrictEqual(AirudderSessionMessage.parse(raw));
    }
  });

  it('agrees with zod on mutated records whenever it reads one', () => {
    let read = 0;
    fc.assert(
      fc.property(record, ({ value }) => {
        expectSameAsZod(value);
        if (fastAirudderSessionMessage(value) !== undefined) read++;
      }),
      { numRuns: 3_000 },
    );
    // The mutations leave many records readable: the property is not vacuous.
    expect(read).toBeGreaterThan(600);
  });

  it('leaves each edge below to zod or reads it as zod does', () => {
    const text = samples[7] as Record<string, unknown>;
    const cases: unknown[] = [
      { ...text, timestamp: '1716965209' },
      { ...text, timestamp: 1716965209.5 },
      { ...text, timestamp: 8_640_000_000_001 },
      { ...text, msg_id: '' },
      { ...text, seat_id: 5 },
      { ...text, seat_id: '  ' },
      { ...text, content: 'hi' },
      {
        ...text,
        content: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { title: 'Y' } } },
      },
      { ...text, content: { type: 'interactive', interactive: null, text: 'answer' } },
      { ...text, content: { type: 'sticker' } },
      { ...text, content: { type: 'text', text: 'x' }, reply: { msg_id: ' ', type: 'unknown' } },
      { ...text, reply: {} },
      { ...text, reply: { timestamp: '5', content: { type: 'text', text: 'q' } } },
      { ...text, content: { type: 'image', media: { origin_url: ' ', url: 'u', width: '5' } } },
      { ...text, content: { type: 'document' } },
      {
        ...text,
        content: {
          type: 'template',
          template: { type: 'WHATSAPP', wa_content: { header: { type: 'Sticker' } } },
        },
      },
      {
        ...text,
        content: { type: 'template', template: { type: 'line', line_content: { default_action: {} } } },
      },
    ];
    for (const raw of cases) expectSameAsZod(raw);
    expect(fastAirudderSessionMessage(cases[0])).toBeUndefined();
    expect(fastAirudderSessionMessage(cases[9])).toBeDefined();
  });

  it('reads as zod does with any alternative key added to any object of a real record', () => {
    // Which of two names wins is where a hand-written reader goes wrong: swept, not left to chance.
    const alternatives: Record<string, unknown[]> = {
      button: [[{ type: 'quick_reply', text: 'Alt' }], []],
      buttons: [[{ type: 'url', text: 'Other', url: 'https://alt/b' }], null],
      media: [{ origin_url: 'https://alt/m.jpg', name: 'alt' }, null],
      image: [{ url: 'https://alt/i.jpg' }],
      video: [{ link: 'https://alt/v.mp4' }],
      document: [{ url: 'https://alt/d.pdf', filename: 'd.pdf' }],
      file: [{ origin_url: 'https://alt/f.pdf' }, 'x'],
      url: ['https://alt/u'],
      link: ['https://alt/l'],
      cover_url: ['https://alt/c.jpg'],
      filename: ['alt.pdf'],
      thumbnail_image_url: ['https://alt/t.jpg', ''],
      text: ['alt text', { text: 'alt' }],
      reply: [
        { msg_id: 'q', type: 'text', text: 'q' },
        { type: 'interactive', interactive: { type: 'button' } },
      ],
      content: [{ type: 'text', text: 'c' }],
      info: [{ id: 5, name: 'n' }],
      extra: ['x'],
      ['__proto__']: [{ type: 'text' }],
    };
    const bases = [...samples, ...sandbox.filter((_, index) => index % 10 === 0)];
    let read = 0;
    for (const base of bases) {
      const objects: Path[] = [[], ...pathsOf(base).filter((path) => isObject(getAt(base, path)))];
      for (const path of objects) {
        for (const [key, values] of Object.entries(alternatives)) {
          for (const next of values) {
            const raw = withKey(base, path, key, next);
            expectSameAsZod(raw);
            if (fastAirudderSessionMessage(raw) !== undefined) read++;
          }
        }
      }
    }
    expect(read).toBeGreaterThan(1_000);
  });

  it('reads as zod does with any two or three names of one thing set together', () => {
    // Per family of names the schemas read as one thing, every pair and triple set at once (the
    // earlier name should win), on each object of a real record that has one of them.
    const families: Array<Record<string, unknown[]>> = [
      {
        origin_url: ['https://alt/o', ' ', null],
        url: ['https://alt/u', ''],
        link: ['https://alt/l'],
        thumbnail_url: ['https://alt/t', ' '],
        cover_url: ['https://alt/c'],
        name: ['n.pdf', ''],
        filename: ['f.pdf'],
      },
      { button: [[{ type: 'quick_reply', text: 'A' }], null, []], buttons: [[{ text: 'B' }], null] },
      {
        media: [{ url: 'https://alt/m' }, null],
        image: [{ url: 'https://alt/i' }],
        video: [{ url: 'https://alt/v' }],
        document: [{ url: 'https://alt/d' }],
        file: [{ url: 'https://alt/f' }],
      },
      { image_url: ['https://alt/i', '', null], thumbnail_image_url: ['https://alt/t', ' '] },
      { id: ['x', 7, ''], title: ['T', ' '], reply: [{ id: 'r', title: 'R' }, null, { title: ' ' }] },
    ];
    const bases = [...samples, ...sandbox.filter((_, index) => index % 10 === 0)];
    let read = 0;
    for (const base of bases) {
      const objects: Path[] = [[], ...pathsOf(base).filter((path) => isObject(getAt(base, path)))];
      for (const path of objects) {
        const node = getAt(base, path) ?? base;
        for (const family of families) {
          const keys = Object.keys(family);
          if (!keys.some((key) => Object.hasOwn(node as object, key))) continue;
          // Pairs and triples: the first of three names blank, the other two set.
          for (const names of combinations(keys, 2).concat(combinations(keys, 3))) {
            for (const values of product(names.map((name) => family[name] ?? []))) {
              const raw = names.reduce<unknown>(
                (value, name, k) => withKey(value, path, name, values[k]),
                base,
              );
              expectSameAsZod(raw);
              if (fastAirudderSessionMessage(raw) !== undefined) read++;
            }
          }
        }
      }
    }
    expect(read).toBeGreaterThan(1_000);
  });

  const envelope = fc.record(
    {
      request_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null), junk),
      code: fc.oneof(fc.constantFrom<unknown>(200, 400, '200', 200.5, null), oddNumber, digitString),
      message: fc.oneof(fc.string(), fc.constant(null), junk),
      data: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.array(
            record.map((mutation) => mutation.value),
            { maxLength: 6 },
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, 'x', [null]) },
      ),
    },
    { requiredKeys: [] },
  );

  it('reads whole pages as zod alone does, refusals included', () => {
    const zodOnly = (body: unknown) => {
      const response = parseWire(AirudderSessionMessagesResponse, body, SOURCE, 'session/messages');
      return {
        response,
        records: (response.data ?? []).map((raw, index) =>
          parseWire(AirudderSessionMessage, raw, SOURCE, `session/messages record ${index}`),
        ),
      };
    };
    const fast = (body: unknown) => {
      const response = readAirudderSessionMessagesResponse(body, SOURCE);
      return {
        response,
        records: (response.data ?? []).map((raw, index) => readAirudderSessionMessage(raw, SOURCE, index)),
      };
    };
    fc.assert(
      fc.property(envelope, (body) => {
        const fastEnvelope = fastAirudderSessionMessagesResponse(body);
        if (fastEnvelope !== undefined) {
          expect(fastEnvelope).toStrictEqual(AirudderSessionMessagesResponse.parse(body));
        }
        expect(outcome(() => fast(body))).toStrictEqual(outcome(() => zodOnly(body)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('AIRUDDER fast path, taken', () => {
  let emulator: RunningEmulator;
  let source: AirudderSource;
  const credentials = { signKey: 'sign-key', sign: 'sign' };

  beforeAll(async () => {
    emulator = await startEmulator(airudderEmulator({ sessions: airudderSandboxSessions(), credentials }));
    source = new AirudderSource(
      { vendor: 'AIRUDDER', name: SOURCE, baseUrl: emulator.baseUrl, ...credentials, pageSize: 50 },
      { logger: silentLogger() },
    );
  });
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });

  it('reads the sample session and a page of sandbox-long without one fallback to zod', async () => {
    const before = { ...airudderWireCounters };
    const sample = await source.fetchPage({ callId: AIRUDDER_SAMPLE_SESSION, lastMsgId: '', size: 50 });
    const long = await source.fetchPage({ callId: 'sandbox-long', lastMsgId: '', size: 50 });
    expect(sample).toHaveLength(18);
    expect(long).toHaveLength(50);
    expect(airudderWireCounters.fallbacks - before.fallbacks).toBe(0);
    expect(airudderWireCounters.fast - before.fast).toBe(68);
  });

  it('counts a record it leaves to zod', () => {
    const before = { ...airudderWireCounters };
    const odd = { ...(samples[7] as Record<string, unknown>), timestamp: '1716965209' };
    expect(readAirudderSessionMessage(odd, SOURCE, 0).timestamp).toBe(1716965209);
    expect(airudderWireCounters.fallbacks - before.fallbacks).toBe(1);
    expect(airudderWireCounters.fast - before.fast).toBe(0);
  });
});
