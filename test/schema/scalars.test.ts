import fc from 'fast-check';
import { parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isoSerializer, parseDateTime } from '../../src/schema/scalars.js';

/** The serializer `DateTime` had before its per-day memo: the text is a contract. */
const reference = (value: Date | number): string => new Date(value).toISOString();

/** What `reference` gives, or the error it throws. */
const outcome = (serialize: (value: Date | number) => string, value: Date | number) => {
  try {
    return { text: serialize(value) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
};

const MAX_DATE_MS = 8.64e15;

describe('DateTime serialization', () => {
  it('writes the same text as Date#toISOString for any instant, in any order', () => {
    const instant = fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }),
      // Around the boundaries of the fast path and of days.
      fc.constantFrom(0, -1, 1, 86_399_999, 86_400_000, 253_402_300_799_999, 253_402_300_800_000),
      fc.constantFrom(
        -MAX_DATE_MS,
        MAX_DATE_MS,
        MAX_DATE_MS + 1,
        1.5,
        -0.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
      ),
      fc.double(),
    );
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 60 }), (values) => {
        // One serializer for the whole run, as the schema holds it: its memo must not leak.
        const serialize = isoSerializer();
        for (const value of values) expect(outcome(serialize, value)).toEqual(outcome(reference, value));
      }),
    );
  });

  it('keeps its memo right across days, Date objects and out-of-range values', () => {
    const serialize = isoSerializer();
    const sequence: (Date | number)[] = [
      1_764_500_000_000,
      1_764_500_000_001,
      new Date(1_764_586_400_000),
      1_764_586_400_000,
      -62_198_755_200_000,
      1_764_500_000_123,
      253_402_300_800_000,
      1_764_500_000_123,
    ];
    expect(sequence.map(serialize)).toEqual([
      '2025-11-30T10:53:20.000Z',
      '2025-11-30T10:53:20.001Z',
      '2025-12-01T10:53:20.000Z',
      '2025-12-01T10:53:20.000Z',
      '-000001-01-01T00:00:00.000Z',
      '2025-11-30T10:53:20.123Z',
      '+010000-01-01T00:00:00.000Z',
      '2025-11-30T10:53:20.123Z',
    ]);
    expect(() => serialize(Number.NaN)).toThrow(RangeError);
  });
});

describe('DateTime arguments', () => {
  const parsed = (value: unknown) => {
    try {
      return parseDateTime(value).toISOString();
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code;
    }
  };

  it('reads ISO-8601 with a time zone, to the instant', () => {
    expect(parsed('2026-02-03T13:20:33+08:00')).toBe('2026-02-03T05:20:33.000Z');
    expect(parsed('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(parsed('2000-02-29T23:59:59.999Z')).toBe('2000-02-29T23:59:59.999Z');
  });

  it('refuses days that do not exist, instead of reading them as the next month', () => {
    for (const value of [
      '2020-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T00:00:00',
      20260101,
    ]) {
      expect(parsed(value), String(value)).toBe('INVALID_ARGUMENT');
    }
  });

  it('points at a literal it refuses', () => {
    const literal = parseValue('  "2020-02-30T00:00:00Z"');
    expect(() => parseDateTime('2020-02-30T00:00:00Z', literal)).toThrow(
      expect.objectContaining({ locations: [{ line: 1, column: 3 }] }),
    );
  });
});
