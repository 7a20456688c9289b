/**
 * Edge cursors: a message position bound to its source, conversation and filter, signed with the
 * server's secret. A cursor that was altered, or that belongs to another conversation or filter,
 * is rejected instead of silently producing a wrong page.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidCursor } from '../errors.js';
import type { Position } from '../model/index.js';

export interface CursorScope {
  source: string;
  conversation: string;
  /** Canonical key of the filter the cursor was issued under (see `filterKey`). */
  filter: string;
}

const SIGNATURE_BYTES = 16;

export class CursorCodec {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('The cursor secret must be at least 16 characters.');
    this.#secret = Buffer.from(secret);
  }

  encode(scope: CursorScope, position: Position): string {
    const payload = Buffer.from(
      JSON.stringify([scope.source, scope.conversation, scope.filter, position.id, position.t]),
    ).toString('base64url');
    return `${payload}.${this.#sign(payload).toString('base64url')}`;
  }

  decode(cursor: string, scope: CursorScope): Position {
    const dot = cursor.indexOf('.');
    const payload = cursor.slice(0, dot);
    const signature = Buffer.from(cursor.slice(dot + 1), 'base64url');
    if (
      dot <= 0 ||
      signature.length !== SIGNATURE_BYTES ||
      !timingSafeEqual(signature, this.#sign(payload))
    ) {
      throw invalidCursor('The cursor is not valid: it was altered or not issued by this server.');
    }
    const [source, conversation, filter, id, t] = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as [string, string, string, string, number];
    if (source !== scope.source || conversation !== scope.conversation) {
      throw invalidCursor('The cursor belongs to another conversation.');
    }
    if (filter !== scope.filter) {
      throw invalidCursor('The cursor was issued for another filter; page again from the start.');
    }
    return { id, t };
  }

  #sign(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest().subarray(0, SIGNATURE_BYTES);
  }
}
