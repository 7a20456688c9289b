/**
 * Differential tests of a vendor's fast wire path against its zod schema: odd field values,
 * field-by-field mutations of real records, and the assertion that whatever the fast path returns
 * is what zod returns (and that zod accepts it). See `src/normalize/fast-fields.ts`.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';
import { EDGE_VALUES, mutated } from './mutate.js';

// biome-ignore lint/suspicious/noSparseArray: a hole is an odd shape zod reads as undefined.
const sparse = [1, , 3];

/** Values a field of a vendor record can hold that a fast path must read as zod does or leave to it. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    ...EDGE_VALUES,
    undefined,
    false,
    1,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    8_640_000_000_000_000,
    8_640_000_000_001,
    9_223_372_036_854,
    '-',
    '-0',
    '+1',
    '1e3',
    '0x10',
    ' 1',
    '1 ',
    '1.0',
    '1.5',
    '1.',
    '.5',
    '-.5',
    '1..2',
    '1.5e3',
    '-1.25',
    '٣',
    '9007199254740991',
    '9007199254740992',
    '-9007199254740991',
    '8640000000000000',
    '8640000000000001',
    '12345678901234567890',
    '123456789012345678901',
    '00000000000000000001',
    sparse,
    [[]],
    { url: 'x' },
    Object.create(null),
    new Date(0),
  ),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String),
  fc.bigInt({ min: -(10n ** 22n), max: 0n }).map(String),
  fc.string({ maxLength: 6 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Numbers as digit strings and digit strings as numbers, as vendors switch between them. */
function flipped(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

type Edit = (record: Record<string, unknown>) => void;

/** One edit of a field: absent, present but undefined, flipped, odd, inherited, or an extra key. */
const edit = (keys: readonly string[]): fc.Arbitrary<Edit> =>
  fc.oneof(
    fc.constantFrom(...keys).map<Edit>((key) => (record) => {
      delete record[key];
    }),
    fc.constantFrom(...keys).map<Edit>((key) => (record) => {
      record[key] = undefined;
    }),
    fc.constantFrom(...keys).map<Edit>((key) => (record) => {
      record[key] = flipped(record[key]);
    }),
    fc.tuple(fc.constantFrom(...keys), oddValue).map<Edit>(([key, value]) => (record) => {
      record[key] = value;
    }),
    fc.tuple(fc.string({ maxLength: 8 }), oddValue).map<Edit>(([key, value]) => (record) => {
      record[key] = value;
    }),
    // Not from JSON, but zod reads inherited keys (`key in input`): so must a fast path.
    fc.tuple(fc.constantFrom(...keys), fc.boolean()).map<Edit>(([key, keep]) => (record) => {
      const inherited = { ...Object.getPrototypeOf(record), [key]: keep ? record[key] : undefined };
      delete record[key];
      Object.setPrototypeOf(record, inherited);
    }),
  );

/**
 * `base` records (real samples, emulator data), unchanged or with one to four field edits on the
 * schema's `keys`, or mutated by the fuzzers' generic mutations (nested documents, deep junk).
 */
export function editedRecords(
  base: readonly Record<string, unknown>[],
  keys: readonly string[],
): fc.Arbitrary<unknown> {
  const record = fc.constantFrom(...base);
  return fc.oneof(
    { weight: 1, arbitrary: record.map((value) => structuredClone(value)) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(record, fc.array(edit(keys), { minLength: 1, maxLength: 4 }))
        .map(([value, edits]) => {
          const copy = structuredClone(value);
          for (const apply of edits) apply(copy);
          return copy;
        }),
    },
    { weight: 2, arbitrary: record.chain((value) => mutated(value, keys)).map((m) => m.value) },
    { weight: 1, arbitrary: oddValue },
  );
}

/** Whatever the fast path returns, zod accepts and returns the same (`toStrictEqual`). */
export function expectAgreement<S extends z.ZodType>(
  fast: (raw: unknown) => z.output<S> | undefined,
  schema: S,
  raw: unknown,
): boolean {
  const value = fast(raw);
  if (value === undefined) return false;
  const zod = schema.safeParse(raw);
  expect(zod.success).toBe(true);
  expect(value).toStrictEqual(zod.data);
  return true;
}

/** What a read did: its value, or the error it threw (message, code, details). */
export function outcomeOf(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    const { message, extensions } = error as { message: string; extensions?: unknown };
    return { error: { message, extensions } };
  }
}
