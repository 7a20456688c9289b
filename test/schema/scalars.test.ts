import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoSerializer } from '../../src/schema/scalars.js';

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
