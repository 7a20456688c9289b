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

  it('are the payload and the truncated HMAC of scope and payload, for any scope and position', () => {
    /** How cursors were built before their per-connection signer: the text is a contract. */
    const reference = (secret: string, at: typeof scope, { id, t }: { id: string; t: number }) => {
      const payload = Buffer.from(`${t}:${id}`).toString('base64url');
      const tag = createHmac('sha256', secret)
        .update(Buffer.from(JSON.stringify([at.source, at.conversation, at.filter])))
        .update(payload)
        .digest('base64url');
      return `${payload}.${tag.slice(0, 22)}`;
    };
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 700 }),
    );
    const at = fc.record({ source: text, conversation: text, filter: text });
    const place = fc.record({ id: text, t: fc.integer() });
    fc.assert(
      fc.property(at, at, fc.array(place, { minLength: 1, maxLength: 6 }), (first, second, places) => {
        // Two connections' encoders used in turn, as one operation's two connections may be.
        const a = codec.encoder(first);
        const b = codec.encoder(second);
        for (const p of places) {
          expect(a(p)).toBe(reference('0123456789abcdef-secret', first, p));
          expect(b(p)).toBe(reference('0123456789abcdef-secret', second, p));
          expect(codec.decode(a(p), first)).toEqual({ id: p.id, t: p.t });
        }
      }),
      { numRuns: 200 },
    );
    expect(codec.encode(scope, position)).toBe(reference('0123456789abcdef-secret', scope, position));
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

  it('signs a prefix and a message as one message, signers in any order, messages of any length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 700 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (key, pairs) => {
          const mac = new Hmac(Buffer.from(key));
          const signers = pairs.map(([prefix]) => mac.prefixed(Buffer.from(prefix).toString('latin1')));
          for (const [i, [prefix, message]] of [...pairs.entries(), ...pairs.entries()]) {
            expect(signers[i]?.(Buffer.from(message).toString('latin1'))).toBe(
              createHmac('sha256', Buffer.from(key)).update(prefix).update(message).digest('base64url'),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
