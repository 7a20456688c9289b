/**
 * Shared pieces of the vendor fuzz tests: junk values, mutations of real records (including the
 * JSON documents vendors nest inside strings), and the checks every normalized message or failed
 * record must pass. The per-vendor files supply the record shapes and the production path; the
 * suites built from these pieces are in `fuzz-suites.ts`.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { ChatgraphError, ERROR_CODES } from '../../src/errors.js';
import { CONTENT_KINDS, type Content, type Message, SENDER_ROLES } from '../../src/model/index.js';

export type Path = ReadonlyArray<string | number>;

// ---------------------------------------------------------------------------------------------
// Junk values

/** Strings that have broken text handling before: lone surrogates, NUL, bidi marks, BOM, emoji. */
export const oddStrings = [
  '',
  ' ',
  '\uD800',
  '\uDFFFx',
  'a\u0000b',
  '\u202Eevil',
  '\uFEFF',
  '🍀🍀🍀',
  '👩‍👩‍👧‍👦',
  'Ｔｅｘｔ',
  'e\u0301',
  '@',
  '@_user_1',
  '__proto__',
  'constructor',
  'toString',
  'undefined',
  'null',
  'NaN',
];

export const unicodeString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...oddStrings),
);

/** Long enough to catch quadratic work or size limits, short enough to keep a run in seconds. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 10_000, max: 60_000 }), fc.constantFrom('x', '🍀', '字', ' @a'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Numbers JSON can carry, including the ones that break arithmetic on times and ids. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  // Near the top of the double range: times these in seconds overflow to Infinity in ms.
  fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, 1e306, 2e305),
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e-300,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    2 ** 64,
    // 64-bit ids as JSON numbers: precision already lost when they arrive.
    Number('4370579409892622341'),
    1770098433268,
    1730697570,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Digit strings: what vendors send for numbers, some of them far beyond any number. */
export const digitString: fc.Arbitrary<string> = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  // Beyond a double: Number() of these is ±Infinity.
  fc
    .integer({ min: 309, max: 600 })
    .chain((length) =>
      fc.constantFrom('9'.repeat(length), `-${'9'.repeat(length)}`, `1${'0'.repeat(length)}`),
    ),
  fc.constantFrom('0', '-0', '00001', '18446744073709551616', '1.5', '1e5', ' 12', '0x10', '', '١٢٣'),
);

/** Text that a JSON-in-string field might hold instead of its document. */
export const garbageJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '{}',
    '"str"',
    '12',
    'NaN',
    'undefined',
    '{"type":13,"content":"{"}',
    '{"type":14,"content":"[1,2]"}',
    '{"type":"EndRoom"}',
    '{"type":null,"content":{}}',
    `${'['.repeat(800)}${']'.repeat(800)}`,
  ),
);

/** Nested arrays and objects, alternating; JSON.stringify copes with this depth (emulators). */
export const deepJunk: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 20, max: 800 }), fc.constantFrom<unknown>(null, 'x', 1, {}, []))
  .map(([depth, leaf]) => {
    let value: unknown = leaf;
    // One reference per level: a shared child would make the tree exponential to walk.
    for (let i = 0; i < depth; i++)
      value = i % 3 === 0 ? [value] : i % 3 === 1 ? { type: value } : { a: value };
    return value;
  });

export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }),
  oddNumber,
  digitString,
  unicodeString,
  hugeString,
  garbageJsonText,
  fc.jsonValue({ maxDepth: 3 }),
  deepJunk,
);

// ---------------------------------------------------------------------------------------------
// Paths into JSON values

/** Paths of the nodes of a JSON value below the root, breadth first, at most `limit`. */
export function pathsOf(value: unknown, limit = 300, maxDepth = 10): Path[] {
  const paths: Path[] = [];
  const queue: Array<[unknown, Path]> = [[value, []]];
  while (queue.length > 0 && paths.length < limit) {
    const [node, path] = queue.shift() as [unknown, Path];
    if (path.length >= maxDepth || node === null || typeof node !== 'object') continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(node)
      ? node.map((child, index) => [index, child])
      : Object.entries(node);
    for (const [key, child] of entries) {
      const childPath = [...path, key];
      paths.push(childPath);
      queue.push([child, childPath]);
    }
  }
  return paths;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `value` with the node at `path` replaced (or removed when `next` is `DROP`). */
export const DROP = Symbol('drop');
export function replaceAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next === DROP ? undefined : next;
  const copy = clone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path.at(-1) as string | number;
  if (Array.isArray(parent) && typeof key === 'number') {
    if (next === DROP) parent.splice(key, 1);
    else parent[key] = next;
  } else if (next === DROP) {
    delete (parent as Record<string, unknown>)[key];
  } else {
    // defineProperty: a `__proto__` key must stay an own property, as JSON.parse makes it.
    Object.defineProperty(parent, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** A JSON document inside a string, or undefined when the string holds none (or a scalar). */
function nestedDoc(value: unknown): object | undefined {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    const doc: unknown = JSON.parse(value);
    return doc !== null && typeof doc === 'object' ? doc : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

export type MutationKind =
  | 'drop'
  | 'null'
  | 'retype'
  | 'number-string'
  | 'huge'
  | 'unicode'
  | 'empty'
  | 'deep'
  | 'nested-json';

const KINDS: MutationKind[] = [
  // Numbers and digit strings are where arithmetic on times and ids goes wrong: twice the weight.
  'number-string',
  'drop',
  'null',
  'retype',
  'number-string',
  'huge',
  'unicode',
  'empty',
  'deep',
  'nested-json',
];

export interface Mutated {
  value: unknown;
  /** What was done, for the counterexample report. */
  steps: string[];
}

/** One mutation of the node at `path`; `nested-json` mutates inside a JSON-in-string document. */
function mutateAt(value: unknown, path: Path, kind: MutationKind): fc.Arbitrary<Mutated> {
  const current = getAt(value, path);
  const label = `${kind} @ ${path.join('.') || '(root)'}`;
  const put = (next: unknown): Mutated => ({ value: replaceAt(value, path, next), steps: [label] });
  switch (kind) {
    case 'drop':
      return fc.constant(put(DROP));
    case 'null':
      return fc.constant(put(null));
    case 'retype':
      return junk.map(put);
    case 'number-string':
      // Numbers as strings and back; a 64-bit digit string becomes a lossy JSON number.
      if (typeof current === 'number') {
        return fc.oneof(fc.constant(String(current)), digitString, oddNumber).map(put);
      }
      if (typeof current === 'string' && /^-?\d+(\.\d+)?$/.test(current)) {
        return fc.oneof(fc.constant(Number(current)), digitString, oddNumber).map(put);
      }
      return fc.oneof(oddNumber, digitString).map(put);
    case 'huge':
      return hugeString.map(put);
    case 'unicode':
      return unicodeString.map(put);
    case 'empty':
      return fc.constantFrom<unknown>([], {}, '').map(put);
    case 'deep':
      return deepJunk.map(put);
    case 'nested-json': {
      const doc = nestedDoc(current);
      if (doc === undefined) return garbageJsonText.map(put);
      // Mutate inside the document and write it back as a string, as the vendor would send it.
      return mutation(doc, 1).map((inner) => ({
        value: replaceAt(value, path, JSON.stringify(inner.value) ?? ''),
        steps: inner.steps.map((step) => `${label} → ${step}`),
      }));
    }
  }
}

/**
 * One mutation somewhere in `value` (the root included, rarely). Paths under a `focus` key (the
 * fields the wire schema and normalizer read) are picked more often than the vendor's other
 * fields, which the code never looks at.
 */
function mutation(
  value: unknown,
  depthLeft = 2,
  focus: ReadonlySet<string> = new Set(),
): fc.Arbitrary<Mutated> {
  const all = pathsOf(value);
  const focused = all.filter((path) => path.length === 1 && focus.has(String(path[0])));
  const paths = [...all, ...focused.flatMap((path) => [path, path, path, path])];
  const kinds = depthLeft > 0 ? KINDS : KINDS.filter((kind) => kind !== 'nested-json');
  if (paths.length === 0) return junk.map((next) => ({ value: next, steps: ['retype @ (root)'] }));
  return fc
    .oneof(
      { weight: 30, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.constantFrom(...kinds)) },
      { weight: 1, arbitrary: fc.tuple(fc.constant<Path>([]), fc.constant<MutationKind>('retype')) },
    )
    .chain(([path, kind]) => mutateAt(value, path, kind));
}

/** One to `max` mutations in a row, each on the result of the one before. */
export function mutated(base: unknown, focus: readonly string[] = [], max = 3): fc.Arbitrary<Mutated> {
  const focused = new Set(focus);
  return fc.integer({ min: 1, max }).chain((count) => {
    let arb: fc.Arbitrary<Mutated> = fc.constant({ value: base, steps: [] });
    for (let i = 0; i < count; i++) {
      arb = arb.chain((previous) =>
        mutation(previous.value, 2, focused).map((next) => ({
          value: next.value,
          steps: [...previous.steps, ...next.steps],
        })),
      );
    }
    return arb;
  });
}

/**
 * Values every field is swept with, deterministically: the random mutations find these only now
 * and then, and each has broken a normalizer (Infinity times, prototype keys, blank types).
 */
export const EDGE_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 64,
  '9'.repeat(400),
  `-${'9'.repeat(400)}`,
  '',
  ' ',
  '0',
  'constructor',
  '__proto__',
  '\uD800',
  'x'.repeat(20_000),
  [],
  {},
  [null],
  { type: 'text' },
  '{"type":13,"content":"{"}',
  '{}',
  `${'['.repeat(500)}${']'.repeat(500)}`,
];

/**
 * Every record with one top-level `field` replaced by each edge value, or removed; the fields of
 * an object or of a JSON-in-string document in `field` are swept the same way.
 */
export function sweep(record: Record<string, unknown>, fields: readonly string[]): Mutated[] {
  const out: Mutated[] = [];
  for (const field of fields) {
    out.push({ value: replaceAt(record, [field], DROP), steps: [`drop @ ${field}`] });
    for (const edge of EDGE_VALUES) {
      out.push({
        value: replaceAt(record, [field], edge),
        steps: [`edge ${String(edge).slice(0, 20)} @ ${field}`],
      });
    }
    const value = record[field];
    const doc = nestedDoc(value);
    if (doc !== undefined && !Array.isArray(doc)) {
      for (const key of Object.keys(doc)) {
        for (const edge of [DROP, ...EDGE_VALUES]) {
          const inner = JSON.stringify(replaceAt(doc, [key], edge));
          out.push({ value: replaceAt(record, [field], inner), steps: [`edge @ ${field} → ${key}`] });
        }
      }
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // Objects one level down (content blocks, senders) are swept the same way.
      for (const key of Object.keys(value)) {
        for (const edge of [DROP, ...EDGE_VALUES]) {
          out.push({ value: replaceAt(record, [field, key], edge), steps: [`edge @ ${field}.${key}`] });
        }
      }
    }
  }
  return out;
}

/** `arb`'s value, absent, null, or junk: how every optional vendor field arrives somewhere. */
export function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined | unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: junk },
  );
}

/** `arb`'s value, absent or null: how an optional field arrives when the vendor keeps to its shape. */
export function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/**
 * A generated record as the vendor's JSON would carry it: `undefined` keys absent, plain objects
 * only (fast-check also makes null-prototype objects, which JSON.parse never does).
 */
export function asJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** Text for message bodies: mostly readable, sometimes odd. */
export const messageText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: unicodeString },
);

// ---------------------------------------------------------------------------------------------
// Checks

export interface Outcomes {
  /** Records normalized into messages. */
  normalized: number;
  /** ...of which the content was UnsupportedContent. */
  unsupported: number;
  /** Records refused with VENDOR_BAD_RESPONSE. */
  refused: number;
  /** Fields named by the refusals, for the report. */
  fields: Set<string>;
}

export function outcomes(): Outcomes {
  return { normalized: 0, unsupported: 0, refused: 0, fields: new Set() };
}

/**
 * The only acceptable failure: a `VENDOR_BAD_RESPONSE` naming the source and a field. Anything
 * else (a TypeError, another code) is rethrown so the property fails with it.
 */
export function expectRefusal(error: unknown, source: string, tally: Outcomes): void {
  if (!(error instanceof ChatgraphError)) throw error;
  expect(error.code).toBe(ERROR_CODES.VENDOR_BAD_RESPONSE);
  expect(error.details.source).toBe(source);
  expect(typeof error.details.field).toBe('string');
  expect(error.details.field).not.toBe('');
  tally.refused++;
  tally.fields.add(String(error.details.field));
}

const stringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';
const numberOrNull = (value: unknown): boolean =>
  value === null || (typeof value === 'number' && Number.isFinite(value));

/** Field types of the shared content shapes (`src/model/content.ts`). */
const SHARED_FIELDS: Record<string, Record<string, (value: unknown) => boolean>> = {
  TextContent: { text: (value) => typeof value === 'string' },
  ImageContent: {
    url: stringOrNull,
    thumbnailUrl: stringOrNull,
    width: numberOrNull,
    height: numberOrNull,
    expiresAt: numberOrNull,
  },
  VideoContent: {
    url: stringOrNull,
    thumbnailUrl: stringOrNull,
    durationSeconds: numberOrNull,
    expiresAt: numberOrNull,
  },
  AudioContent: {
    url: stringOrNull,
    durationSeconds: numberOrNull,
    transcript: stringOrNull,
    expiresAt: numberOrNull,
  },
  FileContent: { url: stringOrNull, name: stringOrNull, sizeBytes: numberOrNull, expiresAt: numberOrNull },
  StickerContent: {
    url: stringOrNull,
    thumbnailUrl: stringOrNull,
    width: numberOrNull,
    height: numberOrNull,
    expiresAt: numberOrNull,
  },
  LinkContent: { url: stringOrNull, title: stringOrNull, description: stringOrNull, imageUrl: stringOrNull },
  LocationContent: {
    latitude: numberOrNull,
    longitude: numberOrNull,
    name: stringOrNull,
    address: stringOrNull,
    zoom: numberOrNull,
  },
  UnsupportedContent: { vendorType: (value) => typeof value === 'string' && value !== '', raw: () => true },
};

/** A shared content shape has exactly its model's fields, each of its model's type. */
export function expectSharedShape(content: Content, where = 'content'): void {
  const fields = SHARED_FIELDS[content.__typename];
  if (!fields) return;
  expect(Object.keys(content).sort(), `${where} keys`).toEqual(['__typename', ...Object.keys(fields)].sort());
  for (const [field, ok] of Object.entries(fields)) {
    const value = (content as unknown as Record<string, unknown>)[field];
    expect(ok(value), `${where}.${field} is a ${typeof value}`).toBe(true);
  }
}

/** Keys whose values are vendor data kept as received: not checked as model values. */
const RAW_KEYS = new Set(['raw', 'card']);

/**
 * No `undefined`, NaN or ±Infinity anywhere in the model (vendor data kept as received aside),
 * and every shared content shape, wherever it is nested, has its model's fields.
 */
export function expectModelValues(value: unknown, path = 'message'): void {
  if (value === undefined) throw new Error(`${path} is undefined`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${path} is ${value}`);
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) expectModelValues(item, `${path}[${index}]`);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.__typename === 'string') expectSharedShape(record as unknown as Content, path);
  for (const [key, child] of Object.entries(record)) {
    if (!RAW_KEYS.has(key)) expectModelValues(child, `${path}.${key}`);
  }
}

export interface MessageExpectations {
  vendor: Message['vendor'];
  source: string;
  conversation: string;
  /** Every `__typename` the vendor's content union has. */
  contentTypes: readonly string[];
  /** The record as sent: `raw` must be it (identity for the pure path, equal over HTTP). */
  raw: unknown;
  rawIdentity: boolean;
  /** Wording the normalizer adds on purpose (separators, `@`), beyond the input's own strings. */
  wording: readonly string[];
}

/** The unified model's promises for one normalized message. */
export function expectMessage(message: Message, expected: MessageExpectations, tally: Outcomes): void {
  expect(message.vendor).toBe(expected.vendor);
  expect(message.source).toBe(expected.source);
  expect(message.conversation).toBe(expected.conversation);
  expect(typeof message.externalId).toBe('string');
  expect(message.externalId).not.toBe('');
  expect(Number.isFinite(message.sentAt), `sentAt ${message.sentAt}`).toBe(true);
  expect(message.text === null || typeof message.text === 'string').toBe(true);
  expect(typeof message.recalled).toBe('boolean');
  expect(SENDER_ROLES).toContain(message.sender.role);
  for (const field of ['externalId', 'displayName', 'avatarUrl'] as const) {
    expect(stringOrNull(message.sender[field]), `sender.${field}`).toBe(true);
  }
  expect(CONTENT_KINDS).toContain(message.kind);
  expect(expected.contentTypes).toContain(message.content.__typename);
  if (message.content.__typename === 'UnsupportedContent') {
    expect(message.kind).toBe('UNSUPPORTED');
    tally.unsupported++;
  }
  expectModelValues(message);
  if (expected.rawIdentity) expect(message.raw).toBe(expected.raw);
  else expect(message.raw).toEqual(expected.raw);
  if (message.text !== null) expectNoInventedText(message.text, expected.raw, expected.wording);
  tally.normalized++;
}

/** Every string in a JSON value, the documents nested in its strings included. */
export function stringsOf(value: unknown, into: string[] = [], depth = 0): string[] {
  if (depth > 60) return into;
  if (typeof value === 'string') {
    into.push(value);
    const doc = nestedDoc(value);
    if (doc !== undefined) stringsOf(doc, into, depth + 1);
  } else if (Array.isArray(value)) {
    for (const item of value) stringsOf(item, into, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) stringsOf(item, into, depth + 1);
  }
  return into;
}

/**
 * A message's text is made of the input's own strings (or parts of them) and the normalizer's
 * fixed wording: it never invents words such as "undefined" or "[object Object]". Checked by
 * covering the text left to right with the longest piece found in any source string.
 */
export function expectNoInventedText(text: string, raw: unknown, wording: readonly string[]): void {
  const inputs = stringsOf(raw);
  const sources = [...inputs, ...wording];
  for (const invented of ['undefined', '[object Object]', 'NaN']) {
    if (text.includes(invented)) {
      expect(
        inputs.some((input) => input.includes(invented)),
        `text has "${invented}" not in the input`,
      ).toBe(true);
    }
  }
  const found = (piece: string) => sources.some((source) => source.includes(piece));
  let at = 0;
  let pieces = 0;
  while (at < text.length) {
    // Longest prefix of the rest found in a source (if a piece is found, so is every prefix of it).
    let low = 0;
    let high = text.length - at;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (found(text.slice(at, at + mid))) low = mid;
      else high = mid - 1;
    }
    if (low === 0) {
      throw new Error(`text invents ${JSON.stringify(text.slice(at, at + 20))} (in ${JSON.stringify(text)})`);
    }
    at += low;
    pieces++;
    if (pieces > 500) throw new Error(`text is pieced from too many fragments: ${JSON.stringify(text)}`);
  }
}

/**
 * Classifies one record the way production reads it: the wire schema may refuse it (checked to be
 * a `VENDOR_BAD_RESPONSE` naming the field); a record it accepts must normalize without throwing
 * into a message that keeps the model's promises.
 */
export function classify<R>(
  parse: () => R,
  normalize: (record: R) => Message,
  expected: MessageExpectations,
  tally: Outcomes,
): Message | null {
  let record: R;
  try {
    record = parse();
  } catch (error) {
    expectRefusal(error, expected.source, tally);
    return null;
  }
  const message = normalize(record);
  expectMessage(message, expected, tally);
  return message;
}
