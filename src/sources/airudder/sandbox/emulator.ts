/**
 * An emulator of AIRUDDER's `POST /api/v1/session/messages` as its documentation and sample
 * describe it: `{call_id, last_msg_id, size, type: "single"}`, the `X-AIRudder-Sign` /
 * `X-AIRudder-Sign-Key` headers checked with the same `airudderSign` rule the client uses, and
 * every answer in the `{request_id, code, message, data}` envelope with a fresh `request_id`.
 *
 * Errors are HTTP 200 with a non-200 `code`: the vendor documents a single "200 Success"
 * response and a separate table of error codes, i.e. errors travel in the envelope. Codes used
 * here: 401 bad or missing sign headers, 400 a malformed body (`size` outside 1..max, a `type`
 * other than "single"), 404 a `last_msg_id` the session does not hold (a message that expired
 * out of the 24-hour window looks the same). An unknown `call_id` is an empty session: the vendor
 * cannot tell one that expired from one that never was.
 *
 * The behaviours the document leaves open follow `quirks` (`./quirks.ts`): by default every page
 * holds `size` messages until the session runs out, and never the `last_msg_id` message itself.
 *
 * Media links are signed when they are handed out, like the vendor's OSS links: the sandbox's own
 * links (`Signature=sandbox`) expire an hour after the answer (`linkLifetimeSeconds`); the
 * vendor's sample is served as received.
 */

import type { LiveFeed } from '../../../sandbox/live.js';
import type { EmulatorHandler, EmulatorResponse } from '../../../sandbox/server.js';
import { type AirudderCredentials, type AirudderSigner, airudderSign } from '../sign.js';
import { SESSION_MESSAGES_PATH } from '../wire.js';
import type { AirudderWireMessage } from './data.js';
import { AIRUDDER_EMULATOR_MAX_SIZE, AIRUDDER_STRICT, type AirudderQuirks } from './quirks.js';

export interface AirudderEmulatorOptions {
  /** Each session's messages in the order served: newest first, as the vendor orders them (not by timestamp). */
  sessions: Map<string, AirudderWireMessage[]>;
  credentials: AirudderCredentials;
  sign?: AirudderSigner;
  /** The largest `size` accepted. */
  maxSize?: number;
  /** What the document leaves open; the strict defaults when absent. */
  quirks?: AirudderQuirks;
  /** How long the media links of an answer stay valid; one hour by default. */
  linkLifetimeSeconds?: number;
  /** Wall clock (epoch ms). */
  clock?: () => number;
  /** A session that keeps receiving messages (`src/sandbox/live.ts`). */
  live?: LiveFeed<AirudderWireMessage>;
}

interface Session {
  messages: AirudderWireMessage[];
  indexById: Map<string, number>;
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

export function airudderEmulator(options: AirudderEmulatorOptions): EmulatorHandler {
  const maxSize = options.maxSize ?? AIRUDDER_EMULATOR_MAX_SIZE;
  const quirks = options.quirks ?? AIRUDDER_STRICT;
  const linkLifetimeSeconds = options.linkLifetimeSeconds ?? 3_600;
  const clock = options.clock ?? Date.now;
  const signLinks = (messages: AirudderWireMessage[]): AirudderWireMessage[] => {
    const expires = Math.floor(clock() / 1000) + linkLifetimeSeconds;
    return JSON.parse(
      JSON.stringify(messages).replace(/([?&]Expires=)\d+(&Signature=sandbox)/g, `$1${expires}$2`),
    );
  };
  const sign = options.sign ?? airudderSign;
  const sessionOf = (messages: AirudderWireMessage[]): Session => ({
    messages,
    indexById: new Map(messages.map((message, i) => [message.msg_id, i])),
  });
  const sessions = new Map<string, Session>();
  for (const [callId, messages] of options.sessions) sessions.set(callId, sessionOf(messages));
  const liveSession = options.live?.view((records) => sessionOf([...records].reverse()));
  let served = 0;
  const envelope = (code: number, message: string, data: unknown): EmulatorResponse => {
    served++;
    return {
      status: 200,
      body: { request_id: served.toString(16).padStart(32, '0'), code, message, data },
    };
  };

  return (request) => {
    if (request.url.pathname !== SESSION_MESSAGES_PATH)
      return { status: 404, body: { message: 'not found' } };
    if (request.method !== 'POST') return { status: 405, body: { message: 'method not allowed' } };
    const expected = sign(options.credentials, {
      method: 'POST',
      path: SESSION_MESSAGES_PATH,
      body: request.rawBody,
    });
    if (
      header(request.headers['x-airudder-sign-key']) !== expected['X-AIRudder-Sign-Key'] ||
      header(request.headers['x-airudder-sign']) !== expected['X-AIRudder-Sign']
    ) {
      return envelope(401, 'Sign verification failed', null);
    }

    const body = (request.body ?? {}) as Record<string, unknown>;
    const { call_id: callId, last_msg_id: lastMsgId = '', size, type = 'single' } = body;
    if (typeof callId !== 'string' || callId === '') return envelope(400, 'call_id is required', null);
    if (typeof lastMsgId !== 'string') return envelope(400, 'last_msg_id must be a string', null);
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > maxSize) {
      return envelope(400, `size must be an integer from 1 to ${maxSize}`, null);
    }
    if (type !== 'single') return envelope(400, 'type must be single', null);

    const session = (liveSession && callId === options.live?.externalId
      ? liveSession()
      : sessions.get(callId)) ?? { messages: [], indexById: new Map<string, number>() };
    let start = 0;
    if (lastMsgId !== '') {
      const index = session.indexById.get(lastMsgId);
      if (index === undefined) return envelope(404, 'last_msg_id not found', null);
      start = quirks.anchor === 'inclusive' ? index : index + 1;
    }
    const count = Math.min(size, quirks.pageCap ?? size);
    return envelope(200, 'Success', signLinks(session.messages.slice(start, start + count)));
  };
}
