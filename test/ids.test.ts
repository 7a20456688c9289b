import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNodeId, encodeNodeId, type NodeRef } from '../src/ids.js';

const text = fc.string({ minLength: 1, maxLength: 40 });
const ref: fc.Arbitrary<NodeRef> = fc.oneof(
  fc.record({ kind: fc.constant('Source' as const), source: text }),
  fc.record({ kind: fc.constant('Conversation' as const), source: text, conversation: text }),
  fc.record({
    kind: fc.constant('Message' as const),
    source: text,
    conversation: text,
    position: fc.record({ id: text, t: fc.integer({ min: 0, max: 4_102_444_800_000 }) }),
  }),
);

describe('node ids', () => {
  it('decode to what was encoded, whatever the names hold', () => {
    fc.assert(
      fc.property(ref, (value) => {
        expect(decodeNodeId(encodeNodeId(value))).toEqual(value);
      }),
    );
  });

  it('never collide across kinds, sources or conversations', () => {
    fc.assert(
      fc.property(ref, ref, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(encodeNodeId(a)).not.toBe(encodeNodeId(b));
      }),
    );
  });

  it('reject anything chatgraph did not issue with INVALID_ID', () => {
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        let decoded: NodeRef | undefined;
        try {
          decoded = decodeNodeId(garbage);
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_ID' });
          return;
        }
        // A random string that happens to decode must re-encode to itself.
        expect(encodeNodeId(decoded)).toBe(garbage.replace(/=+$/, ''));
      }),
    );
    for (const bad of [
      '',
      Buffer.from('["M","s","c","1"]').toString('base64url'),
      Buffer.from('["S",""]').toString('base64url'),
      Buffer.from('["M","s","c","1",1.5]').toString('base64url'),
      Buffer.from('{"kind":"Source"}').toString('base64url'),
    ]) {
      expect(() => decodeNodeId(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    }
  });
});
