/**
 * Edge cursors: a message position bound to its source, conversation and filter, signed with the
 * server's secret. A cursor that was altered, or that belongs to another conversation or filter,
 * is rejected instead of silently producing a wrong page.
 *
 * A cursor is `base64url("<t>:<id>") "." tag`, where the tag is HMAC-SHA256 over the scope and the
 * payload. The scope is signed but not carried: the connection being paged supplies it, so a
 * cursor stays short (a page of 50 carries 50 of them) and one used elsewhere fails to verify.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { invalidCursor } from '../errors.js';
import type { Position } from '../model/index.js';

export interface CursorScope {
  source: string;
  conversation: string;
  /** Canonical key of the filter the cursor was issued under (see `filterKey`). */
  filter: string;
}

/** 22 base64url characters: the first 132 bits of the MAC. */
const TAG_LENGTH = 22;

export class CursorCodec {
  readonly #mac: Hmac;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('The cursor secret must be at least 16 characters.');
    this.#mac = new Hmac(Buffer.from(secret));
  }

  /** Signs positions for one connection: the scope is prepared once for all of its edges. */
  encoder(scope: CursorScope): (position: Position) => string {
    const sign = this.#mac.prefixed(scopeBytes(scope));
    const cursorFor = (position: Position): string => {
      const payload = base64urlOfUtf8(`${position.t}:${position.id}`);
      return `${payload}.${sign(payload).slice(0, TAG_LENGTH)}`;
    };
    return cursorFor;
  }

  encode(scope: CursorScope, position: Position): string {
    return this.encoder(scope)(position);
  }

  decode(cursor: string, scope: CursorScope): Position {
    const dot = cursor.indexOf('.');
    const payload = cursor.slice(0, dot);
    const tag = Buffer.from(cursor.slice(dot + 1));
    const expected = Buffer.from(this.#mac.base64url(scopeBytes(scope) + payload).slice(0, TAG_LENGTH));
    if (dot <= 0 || tag.length !== TAG_LENGTH || !timingSafeEqual(tag, expected)) {
      throw invalidCursor(
        'The cursor is not valid here: it was altered, or issued for another conversation or filter (after changing the filter, page again from the start).',
      );
    }
    const text = Buffer.from(payload, 'base64url').toString('utf8');
    const colon = text.indexOf(':');
    return { t: Number(text.slice(0, colon)), id: text.slice(colon + 1) };
  }
}

/** The scope, unambiguously joined, as a latin1 string of its UTF-8 bytes. */
function scopeBytes(scope: CursorScope): string {
  return Buffer.from(JSON.stringify([scope.source, scope.conversation, scope.filter])).toString('latin1');
}

/** Written and read within one synchronous call of `base64urlOfUtf8`. */
const payloadScratch = Buffer.allocUnsafe(1024);

/** `Buffer.from(text).toString('base64url')` without a Buffer per call. */
function base64urlOfUtf8(text: string): string {
  // At most 3 UTF-8 bytes per UTF-16 unit.
  if (text.length * 3 > payloadScratch.length) return Buffer.from(text).toString('base64url');
  return payloadScratch.toString('base64url', 0, payloadScratch.write(text, 0, 'utf8'));
}

/** Room for the messages `Hmac.prefixed` signs after its prefix without a Buffer per call. */
const MESSAGE_ROOM = 512;

/**
 * HMAC-SHA256 (RFC 2104) from one-shot `crypto.hash` calls on latin1 strings (Node's 'binary'),
 * whose bytes are the strings' char codes. Node's `createHmac` builds a keyed native object per
 * call (~1.7 µs per cursor, measured); two `hash` calls over Buffers this class keeps, with the
 * pads (and a connection's scope) written in once, cost ~0.8 µs, and a page signs one cursor per
 * edge. (Node 20 cannot clone a hash's state, which would save the pads' compression too.)
 */
export class Hmac {
  readonly #innerPad: string;
  readonly #outerPad: string;
  /** The outer pad, then the inner digest of the message being signed. */
  readonly #outer: Buffer;
  readonly #general: (message: string) => string;

  constructor(key: Buffer) {
    const block = Buffer.alloc(64);
    (key.length > 64 ? Buffer.from(hash('sha256', key, 'binary'), 'latin1') : key).copy(block);
    this.#innerPad = Buffer.from(block.map((byte) => byte ^ 0x36)).toString('latin1');
    this.#outerPad = Buffer.from(block.map((byte) => byte ^ 0x5c)).toString('latin1');
    this.#outer = Buffer.alloc(64 + 32);
    this.#outer.write(this.#outerPad, 0, 'latin1');
    this.#general = this.prefixed('');
  }

  /** The MAC of `message`, a latin1 string (each char one byte), in base64url. */
  base64url(message: string): string {
    return this.#general(message);
  }

  /**
   * `(message) => this.base64url(prefix + message)`, with the inner pad and `prefix` written into
   * a Buffer once. Each call fills and reads the Buffers synchronously, so signers may interleave.
   */
  prefixed(prefix: string): (message: string) => string {
    const start = 64 + prefix.length;
    const inner = Buffer.alloc(start + MESSAGE_ROOM);
    inner.write(this.#innerPad + prefix, 0, 'latin1');
    return (message) => {
      const innerDigest =
        message.length <= MESSAGE_ROOM
          ? hash('sha256', inner.subarray(0, start + inner.write(message, start, 'latin1')), 'binary')
          : hash('sha256', Buffer.from(this.#innerPad + prefix + message, 'latin1'), 'binary');
      this.#outer.write(innerDigest, 64, 'latin1');
      return hash('sha256', this.#outer, 'base64url');
    };
  }
}
