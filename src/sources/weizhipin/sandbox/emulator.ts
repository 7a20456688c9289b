/**
 * An emulator of the weizhipin IM open platform, as its documentation and Lark (which it is
 * modelled on) describe it. Wire semantics the documentation leaves open, chosen here and relied
 * on by nothing but de-duplication in the client:
 *
 * - `POST /open-apis/auth/tenant_access_token/internal` with `{app_id, app_secret}` answers a token
 *   and its remaining lifetime in seconds, at the top level or nested in `data` (`tokenShape`; the
 *   documentation shows both). While more than `reissueBelowSeconds` remain it answers the same
 *   token; after that a new one, the old one staying valid until its own expiry. Wrong
 *   credentials: code 10014.
 * - `GET /open-apis/im/v2/messages` needs `Authorization: Bearer <token>`; a missing, unknown,
 *   revoked or expired token is code 99991663 (HTTP 200 by default, like Lark's body code; 401
 *   or 400 with `invalidTokenStatus`).
 * - `start_time` and `end_time` are seconds and BOTH inclusive: a message is in the window when
 *   `start_time <= floor(create_time / 1000) <= end_time`. A message in a window's end second is
 *   therefore also in the next window's start second: clients must de-duplicate.
 * - `end_time - start_time > 86400`, `end_time < start_time`, `page_size` outside 1..50, an unknown
 *   `user_id_type` or a missing `message_type` are code 99992402 (Lark's field validation code).
 * - Within a window messages are ascending by `create_time`, ties in the order the chat holds
 *   them (stable), limited to the comma-separated `message_type`s asked for.
 * - `message_id` starts the page AT that message (inclusive; quirk `messageId=exclusive` starts
 *   just after it); an id not in the window gives an empty page rather than an error.
 * - Strict where the documentation is explicit: `start_time`/`end_time` are 10-digit seconds and
 *   `message_type` lists only the five documented types (else code 99992402). Quirks
 *   (`WeizhipinQuirks`) choose where it is silent: `end_time` inclusive or not, a window's order.
 * - There is no `has_more`: a page shorter than `page_size` is the end of the window.
 *
 * Test hooks: an injectable clock and token lifetime, `waves` of message calls (answered only
 * once each wave has arrived whole, so concurrency is counted, not timed) with the largest number
 * of them in flight at once and the depth of their round trips, and `revokeTokens()`.
 */
import type { LiveFeed } from '../../../sandbox/live.js';
import { Random } from '../../../sandbox/random.js';
import type { EmulatorHandler, EmulatorResponse } from '../../../sandbox/server.js';
import type { WeizhipinWireRecord } from './data.js';

export const WEIZHIPIN_CODE_INVALID_TOKEN = 99991663;
export const WEIZHIPIN_CODE_INVALID_PARAM = 99992402;
export const WEIZHIPIN_CODE_BAD_SECRET = 10014;

/** Where the documentation says nothing, each choice the vendor may make. */
export interface WeizhipinQuirks {
  /** Whether a page asked with `message_id` starts at that message or just after it. */
  messageId: 'inclusive' | 'exclusive';
  /** Whether a message in the `end_time` second is in the window. */
  endTime: 'inclusive' | 'exclusive';
  /** The order of a window's messages: the documentation does not say. */
  order: 'ascending' | 'descending';
}

export const WEIZHIPIN_QUIRKS_DEFAULT: WeizhipinQuirks = {
  messageId: 'inclusive',
  endTime: 'inclusive',
  order: 'ascending',
};

/** The message types the documentation says can be queried; anything else is refused. */
export const WEIZHIPIN_DOCUMENTED_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'rich_text',
  'new_rich_text',
  'system_card',
]);

export interface WeizhipinEmulatorOptions {
  quirks?: Partial<WeizhipinQuirks>;
  /** Keyed by `<user_id_type>:<user_id>`; records ascending by `create_time`. */
  chats: Map<string, WeizhipinWireRecord[]>;
  appId: string;
  appSecret: string;
  /** Lifetime of a new token, seconds; the vendor's is about 7140. */
  tokenTtlSeconds?: number;
  /** A new token is issued only when less than this remains of the current one. */
  reissueBelowSeconds?: number;
  tokenShape?: 'top-level' | 'nested';
  invalidTokenStatus?: 200 | 400 | 401;
  /**
   * `im/v2/messages` calls are answered in waves of these sizes: each call of a wave waits until
   * the whole wave has arrived, then they are answered together; calls after the last wave are
   * answered at once. A client that sends fewer than a wave at once never gets its answers, so a
   * test of its concurrency fails rather than depends on the machine's speed. `resetStats()`
   * starts the waves again.
   */
  waves?: number[];
  /** Delay of every `im/v2/messages` answer (the bench's vendor latency; tests count `waves`). */
  latencyMs?: number;
  /** Epoch ms. */
  clock?: () => number;
  /** A chat that keeps receiving messages (`src/sandbox/live.ts`). */
  live?: LiveFeed<WeizhipinWireRecord>;
}

interface Issued {
  token: string;
  expiresAt: number;
}

interface Chat {
  records: WeizhipinWireRecord[];
  /** `create_time` of each record in ms. */
  times: number[];
}

export class WeizhipinEmulator {
  readonly handler: EmulatorHandler;
  /** Token calls answered with a token. */
  tokensIssued = 0;
  messageCalls = 0;
  messageCallsInFlight = 0;
  maxMessageCallsInFlight = 0;
  /**
   * The longest chain of message calls each started only after the previous one answered: the
   * number of sequential round trips a client spent, whatever the latency.
   */
  maxMessageCallDepth = 0;
  /** Rejects every token, as when the app lost its permission: clients must not loop. */
  rejectTokens = false;
  /**
   * While set, message calls are held (in flight) until it resolves: tests count what a client
   * asks for at once without depending on timing.
   */
  hold: Promise<void> | null = null;

  readonly #options: WeizhipinEmulatorOptions;
  readonly #clock: () => number;
  readonly #chats = new Map<string, Chat>();
  readonly #tokens = new Map<string, Issued>();
  readonly #random = new Random(7140);
  /** Depth of the deepest call answered so far. */
  #answeredDepth = 0;
  #current: Issued | null = null;
  readonly #liveChat: (() => Chat) | null;

  constructor(options: WeizhipinEmulatorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    for (const [key, records] of options.chats) this.#chats.set(key, chatOf(records));
    this.#liveChat = options.live?.view(chatOf) ?? null;
    this.handler = (request) => this.#handle(request);
  }

  /** Every token issued so far stops working, as when the app's secret is reset. */
  revokeTokens(): void {
    this.#tokens.clear();
    this.#current = null;
  }

  resetStats(): void {
    this.#wave = newWave(0);
    this.tokensIssued = 0;
    this.messageCalls = 0;
    this.maxMessageCallsInFlight = this.messageCallsInFlight;
    this.maxMessageCallDepth = 0;
    this.#answeredDepth = 0;
  }

  #wave = newWave(0);

  /** Waits until this call's wave (`waves`) has arrived whole; after the last wave, not at all. */
  async #joinWave(): Promise<void> {
    const size = this.#options.waves?.[this.#wave.index];
    if (size === undefined) return;
    const wave = this.#wave;
    wave.arrived++;
    if (wave.arrived === size) {
      this.#wave = newWave(wave.index + 1);
      wave.open();
    }
    await wave.full;
  }

  async #handle(request: Parameters<EmulatorHandler>[0]): Promise<EmulatorResponse> {
    const { pathname } = request.url;
    if (pathname === '/open-apis/auth/tenant_access_token/internal') {
      if (request.method !== 'POST') return { status: 405, body: { code: 405, msg: 'method not allowed' } };
      return this.#token(request.body);
    }
    if (pathname === '/open-apis/im/v2/messages') {
      if (request.method !== 'GET') return { status: 405, body: { code: 405, msg: 'method not allowed' } };
      this.messageCalls++;
      this.messageCallsInFlight++;
      this.maxMessageCallsInFlight = Math.max(this.maxMessageCallsInFlight, this.messageCallsInFlight);
      const depth = this.#answeredDepth + 1;
      this.maxMessageCallDepth = Math.max(this.maxMessageCallDepth, depth);
      try {
        await this.#joinWave();
        if (this.#options.latencyMs)
          await new Promise((resolve) => setTimeout(resolve, this.#options.latencyMs));
        // The hold set when the call came in: a later one holds later calls only.
        if (this.hold) await this.hold;
        return this.#messages(request.url.searchParams, request.headers.authorization);
      } finally {
        this.messageCallsInFlight--;
        this.#answeredDepth = Math.max(this.#answeredDepth, depth);
      }
    }
    return { status: 404, body: { code: 404, msg: 'not found' } };
  }

  #token(body: unknown): EmulatorResponse {
    const { app_id: appId, app_secret: appSecret } = (body ?? {}) as Record<string, unknown>;
    if (typeof appId !== 'string' || typeof appSecret !== 'string') {
      return {
        status: 200,
        body: { code: WEIZHIPIN_CODE_INVALID_PARAM, msg: 'app_id and app_secret required' },
      };
    }
    if (appId !== this.#options.appId || appSecret !== this.#options.appSecret) {
      return { status: 200, body: { code: WEIZHIPIN_CODE_BAD_SECRET, msg: 'app secret invalid' } };
    }
    const now = this.#clock();
    const reissueBelowMs = (this.#options.reissueBelowSeconds ?? 1_800) * 1000;
    let issued = this.#current;
    if (!issued || issued.expiresAt - now < reissueBelowMs) {
      issued = {
        token: `t-sandbox${this.#random.hex(30)}`,
        expiresAt: now + (this.#options.tokenTtlSeconds ?? 7_140) * 1000,
      };
      this.#tokens.set(issued.token, issued);
      this.#current = issued;
    }
    this.tokensIssued++;
    const fields = {
      tenant_access_token: issued.token,
      expire: Math.floor((issued.expiresAt - now) / 1000),
    };
    return {
      status: 200,
      body:
        this.#options.tokenShape === 'top-level'
          ? { code: 0, msg: 'ok', ...fields }
          : { code: 0, msg: 'ok', data: fields },
    };
  }

  #messages(params: URLSearchParams, authorization: string | undefined): EmulatorResponse {
    // The documentation's own example ends the header with a space.
    const token = /^Bearer\s+(\S+)\s*$/.exec(authorization ?? '')?.[1];
    const issued = token ? this.#tokens.get(token) : undefined;
    if (!issued || issued.expiresAt <= this.#clock() || this.rejectTokens) {
      return {
        status: this.#options.invalidTokenStatus ?? 200,
        body: { code: WEIZHIPIN_CODE_INVALID_TOKEN, msg: 'Invalid access token for authorization.' },
      };
    }
    const invalid = (msg: string): EmulatorResponse => ({
      status: 200,
      body: { code: WEIZHIPIN_CODE_INVALID_PARAM, msg, success: false, data: null },
    });
    const userIdType = params.get('user_id_type') ?? 'user_id';
    const userId = params.get('user_id');
    // "开始查询10位时间戳": seconds, ten digits; milliseconds are refused, not guessed.
    const start = tenDigits(params.get('start_time'));
    const end = tenDigits(params.get('end_time'));
    const pageSize = params.has('page_size') ? integer(params.get('page_size')) : 20;
    const types = (params.get('message_type') ?? '').split(',').filter((type) => type !== '');
    if (!['open_id', 'union_id', 'user_id'].includes(userIdType)) return invalid('invalid user_id_type');
    if (!userId) return invalid('user_id required');
    if (start === null || end === null) return invalid('start_time and end_time required');
    if (end < start || end - start > 86_400) return invalid('end_time must be within one day of start_time');
    if (pageSize === null || pageSize < 1 || pageSize > 50) return invalid('page_size must be 1 to 50');
    if (types.length === 0) return invalid('message_type required');
    if (!types.every((type) => WEIZHIPIN_DOCUMENTED_TYPES.has(type))) return invalid('invalid message_type');
    const quirks = { ...WEIZHIPIN_QUIRKS_DEFAULT, ...this.#options.quirks };

    const key = `${userIdType}:${userId}`;
    const chat =
      this.#liveChat && key === this.#options.live?.externalId ? this.#liveChat() : this.#chats.get(key);
    let window: WeizhipinWireRecord[] = [];
    if (chat) {
      const from = lowerBound(chat.times, start * 1000);
      const to = lowerBound(chat.times, (quirks.endTime === 'inclusive' ? end + 1 : end) * 1000);
      // A type the query cannot name (`compressive_card`, which the response table lists) is
      // served whatever was asked: otherwise no client could ever read it.
      window = chat.records.slice(from, to).filter((record) => {
        const type = String(record.msg_type);
        return types.includes(type) || !WEIZHIPIN_DOCUMENTED_TYPES.has(type);
      });
      if (quirks.order === 'descending') window.reverse();
    }
    const messageId = params.get('message_id');
    if (messageId) {
      const at = window.findIndex((record) => record.message_id === messageId);
      window = at < 0 ? [] : window.slice(quirks.messageId === 'inclusive' ? at : at + 1);
    }
    return {
      status: 200,
      body: {
        code: 0,
        traceId: `_sandbox${this.messageCalls}`,
        success: true,
        data: window.slice(0, pageSize),
        msg: '操作成功',
      },
    };
  }
}

function tenDigits(value: string | null): number | null {
  return value !== null && /^\d{10}$/.test(value) ? Number(value) : null;
}

function chatOf(records: readonly WeizhipinWireRecord[]): Chat {
  const pairs = records.map((record) => ({ record, time: Number(record.create_time) }));
  // Array.prototype.sort is stable: ties keep the chat's own order.
  pairs.sort((a, b) => a.time - b.time);
  return { records: pairs.map((p) => p.record), times: pairs.map((p) => p.time) };
}

function integer(value: string | null): number | null {
  return value !== null && /^-?\d+$/.test(value) ? Number(value) : null;
}

/** The first index whose time is at least `time`. */
function lowerBound(times: number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A wave of message calls (`waves`): `full` settles when `open()` is called. */
function newWave(index: number): { index: number; arrived: number; full: Promise<void>; open(): void } {
  let open = () => {};
  const full = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { index, arrived: 0, full, open };
}
