import { describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import type { Position } from '../../src/model/index.js';
import { messageCursor, messageNodeId, type ScopedSigner } from '../../src/resolvers/derived.js';
import { memoryMessage } from '../helpers/memory-source.js';

describe('what an answer derives from a message', () => {
  it('encodes its node id once, as encodeNodeId does, unseen by JSON, keys and equality', () => {
    const message = memoryMessage('4370579409892622341', 1_770_098_433_268);
    const before = { json: JSON.stringify(message), keys: Object.keys(message), copy: { ...message } };
    const id = messageNodeId(message);
    expect(id).toBe(
      encodeNodeId({
        kind: 'Message',
        source: 'memory',
        conversation: 'c',
        position: { id: '4370579409892622341', t: 1_770_098_433_268 },
      }),
    );
    expect(messageNodeId(message)).toBe(id);
    expect(JSON.stringify(message)).toBe(before.json);
    expect(Object.keys(message)).toEqual(before.keys);
    expect(message).toStrictEqual(before.copy);
  });

  it('signs its cursor once per scope and signer, and again when either changes', () => {
    const message = memoryMessage('m1', 1_000);
    const signed: string[] = [];
    const apps = { one: {}, two: {} };
    const scoped = (app: keyof typeof apps, key: string): ScopedSigner => ({
      signer: apps[app],
      key,
      sign: (position: Position) => {
        signed.push(`${app}/${key}`);
        return `${app}/${key}:${position.id}:${position.t}`;
      },
    });
    expect(messageCursor(message, scoped('one', 'a'))).toBe('one/a:m1:1000');
    expect(messageCursor(message, scoped('one', 'a'))).toBe('one/a:m1:1000');
    expect(messageCursor(message, scoped('one', 'b'))).toBe('one/b:m1:1000');
    expect(messageCursor(message, scoped('two', 'b'))).toBe('two/b:m1:1000');
    expect(messageCursor(message, scoped('one', 'a'))).toBe('one/a:m1:1000');
    expect(signed).toEqual(['one/a', 'one/b', 'two/b', 'one/a']);
  });
});
