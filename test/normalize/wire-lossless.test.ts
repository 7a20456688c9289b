/** Long integers in vendor JSON keep every digit (issue 13, finding 7). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, parseNestedJson } from '../../src/normalize/wire.js';

/** A JSON value where some leaves are integers written with all their digits (as bigints). */
type Doc = null | boolean | number | string | bigint | Doc[] | { [key: string]: Doc };

const unsafeInteger = fc
  .bigInt({ min: -(10n ** 25n), max: 10n ** 25n })
  .filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER));

const doc: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    // Strings full of digits, quotes and escapes must come through untouched.
    fc.string({ unit: fc.constantFrom('1', '9', '"', '\\', '-', 'e', '.', ' ', 'x', '\u00e9') }),
    unsafeInteger,
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('doc'), { maxKeys: 4 }),
  ),
})).doc;

/** JSON text with bigints written as bare digits, as a vendor would. */
function write(value: Doc): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${write(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the lossless parse must give: bigints as their digit strings. */
function expected(value: Doc): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(expected);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expected(item)]));
  }
  const text = JSON.stringify(value);
  // A double written as 16+ bare digits is not exact either: it comes back as its digits.
  if (typeof value === 'number' && /^-?\d+$/.test(text) && !Number.isSafeInteger(value)) return text;
  return JSON.parse(text);
}

describe('parseJsonLossless', () => {
  it('keeps every digit of long integers and parses everything else as JSON.parse does', () => {
    fc.assert(
      fc.property(doc, (value) => {
        expect(parseJsonLossless(write(value))).toEqual(expected(value));
      }),
      { numRuns: 500 },
    );
  });

  it('finds a long integer however deep a vendor nests it', () => {
    const depth = 100_000;
    let value = parseJsonLossless(`${'['.repeat(depth)}12345678901234567890${']'.repeat(depth)}`);
    for (let level = 0; level < depth; level++) value = (value as unknown[])[0];
    expect(value).toBe('12345678901234567890');
  });

  it('throws on what is not JSON, as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let native: unknown = 'ok';
        try {
          JSON.parse(text);
        } catch {
          native = 'error';
        }
        let lossless: unknown = 'ok';
        try {
          parseJsonLossless(text);
        } catch {
          lossless = 'error';
        }
        expect(lossless).toBe(native);
      }),
    );
    expect(() => parseJsonLossless('12345678901234567890x')).toThrow();
  });

  it('keeps a 19-digit order id inside a nested JSON string', () => {
    const nested = JSON.stringify({
      type: 14,
      content: '{"order_id":3719845123456789012,"product_id":3719845123456789013}',
    });
    const outer = parseNestedJson(JSON.parse(nested).content);
    expect(outer).toEqual({ order_id: '3719845123456789012', product_id: '3719845123456789013' });
  });

  it('finds long integers wherever a value can start, and leaves long digits in strings alone', () => {
    expect(parseJsonLossless(' -12345678901234567 ')).toBe('-12345678901234567');
    expect(parseJsonLossless('[\n12345678901234567]')).toEqual(['12345678901234567']);
    expect(parseJsonLossless('{"a":\t-9007199254740993,"b":[1, 12345678901234567890]}')).toEqual({
      a: '-9007199254740993',
      b: [1, '12345678901234567890'],
    });
    expect(parseJsonLossless('{"id":"4370405345218887686","note":"x: 12345678901234567"}')).toEqual({
      id: '4370405345218887686',
      note: 'x: 12345678901234567',
    });
    expect(parseJsonLossless('{"a":1234567890123456.5}')).toEqual({ a: 1234567890123456.5 });
  });
});
