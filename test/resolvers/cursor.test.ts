import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorCodec, Hmac } from '../../src/resolvers/cursor.js';

const codec = new CursorCodec('0123456789abcdef-secret');
const scope = { source: 'shop', conversation: 'room-1', filter: '' };
const position = { id: '4370579409892622341', t: 1770098433268 };

describe('cursors', () => {
  it('round-trip a position within their scope', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (id, t) => {
        expect(codec.decode(codec.encode(scope, { id, t }), scope)).toEqual({ id, t });
      }),
    );
  });

  it('reject every single-character alteration', () => {
    const cursor = codec.encode(scope, position);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...'ABCxyz019-_.'), (index, char) => {
        fc.pre(cursor[index] !== char);
        const altered = cursor.slice(0, index) + char + cursor.slice(index + 1);
        expect(() => codec.decode(altered, scope)).toThrow(
          expect.objectContaining({ code: 'INVALID_CURSOR' }),
        );
      }),
    );
  });

  it('are bound to their source, conversation and filter', () => {
    const cursor = codec.encode(scope, position);
    for (const other of [
      { ...scope, source: 'other' },
      { ...scope, conversation: 'room-2' },
      { ...scope, filter: 'abc' },
    ]) {
      expect(() => codec.decode(cursor, other)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    }
  });

  it('are bound to the server secret', () => {
    const foreign = new CursorCodec('another-secret-of-16+').encode(scope, position);
    expect(() => codec.decode(foreign, scope)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});

describe('Hmac', () => {
  it('is HMAC-SHA256 for keys of any length and any message bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
        const bytes = Buffer.from(message);
        expect(new Hmac(Buffer.from(key)).base64url(bytes.toString('latin1'))).toBe(
          createHmac('sha256', Buffer.from(key)).update(bytes).digest('base64url'),
        );
      }),
    );
  });
});
