import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNodeId, encodeMessageId, encodeNodeId, type NodeRef } from '../src/ids.js';

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

  it('of messages are the JSON tuple in base64url, whatever the names hold and in whatever order', () => {
    /** The encoder message ids were made by before the per-conversation prefix: the text is a contract. */
    const reference = (source: string, conversation: string, id: string, t: number) =>
      Buffer.from(JSON.stringify(['M', source, conversation, id, t])).toString('base64url');
    // Quotes, backslashes, control characters, multi-byte and astral characters, lone surrogates:
    // every length of the prefix modulo 3 and of its last bytes' UTF-8 sequences.
    const name = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
      fc.string({
        minLength: 1,
        maxLength: 12,
        unit: fc.constantFrom('"', '\\', '\n', 'é', '中', '😀', '\ud800', 'a'),
      }),
    );
    const message = fc.record({
      source: name,
      conversation: name,
      id: fc.oneof(name, fc.string({ minLength: 1, maxLength: 300, unit: 'binary' })),
      t: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer()),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.nat(), (messages, repeat) => {
        // Runs of one conversation (the memo hits) interleaved with others (it switches).
        const sequence = messages.flatMap((m, i) => (i === repeat % messages.length ? [m, m, m] : [m]));
        for (const { source, conversation, id, t } of sequence) {
          const expected = reference(source, conversation, id, t);
          expect(encodeMessageId(source, conversation, id, t)).toBe(expected);
          expect(encodeNodeId({ kind: 'Message', source, conversation, position: { id, t } })).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
    // Longer than the scratch buffer holds.
    const long = '中'.repeat(5000);
    expect(encodeMessageId('s', 'c', long, 1)).toBe(reference('s', 'c', long, 1));
    expect(decodeNodeId(encodeMessageId('s', 'c', long, 1))).toEqual({
      kind: 'Message',
      source: 's',
      conversation: 'c',
      position: { id: long, t: 1 },
    });
  });
});
