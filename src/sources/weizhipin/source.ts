import { invalidArgument, vendorBadResponse } from '../../errors.js';
import type { MessageFilter, Position } from '../../model/index.js';
import { normalizeRecords, type SourceAdapter, sourceAdapter } from '../adapter.js';
import { DEFAULT_HTTP_OPTIONS } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import {
  type Direction,
  type PageLoader,
  PROBE_CONVERSATION,
  type ReadRequest,
  type ReadResult,
  SETTLED_AFTER_MS,
  type Source,
  type SourceCapabilities,
} from '../source.js';
import { checkExternalId, type SourceDeps } from '../vendor.js';
import { WeizhipinClient } from './client.js';
import type { WeizhipinSourceConfig } from './config.js';
import { normalizeWeizhipinMessage, type WeizhipinMessage } from './normalize.js';
import {
  WEIZHIPIN_MAX_WINDOW_SECONDS,
  WEIZHIPIN_MESSAGE_TYPES,
  WEIZHIPIN_USER_ID_TYPES,
  type WeizhipinUserIdType,
} from './wire.js';

const DAY_MS = WEIZHIPIN_MAX_WINDOW_SECONDS * 1000;

export const WEIZHIPIN_DEFAULT_LOOKBACK_DAYS = 90;
/** Above the default lookback's 91 windows: a sparse chat is read in two round trips. */
export const WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY = 96;
export const WEIZHIPIN_MAX_WINDOW_CONCURRENCY = 128;

export interface WeizhipinPageRequest {
  userIdType: WeizhipinUserIdType;
  userId: string;
  /** Seconds. */
  startTime: number;
  /** Seconds; the vendor includes messages of this second. */
  endTime: number;
  /** Start from this message; null for the start of the window. */
  messageId: string | null;
  pageSize: number;
}

/**
 * One answer of `im/v2/messages`: its records read (a record that cannot be read fails the call),
 * normalized when a walk first looks at them. A walk requests windows ahead of where it is, and
 * a dense chat's walk stops long before it reaches most of them: the bench's page of 50 read 11
 * windows, ~700 records, and normalizing them was a quarter of its CPU. Normalized once, then
 * shared by every operation reading the page.
 */
export class WeizhipinAnswer {
  #normalize: (() => WeizhipinMessage[]) | null;
  #messages: WeizhipinMessage[] | null = null;

  /** `normalize` runs once, on the first look; what it closes over (the records) goes with it. */
  constructor(normalize: () => WeizhipinMessage[]) {
    this.#normalize = normalize;
  }

  /** An answer whose messages are already made (tests, replays). */
  static of(messages: WeizhipinMessage[]): WeizhipinAnswer {
    return new WeizhipinAnswer(() => messages);
  }

  get messages(): WeizhipinMessage[] {
    if (this.#messages === null) {
      this.#messages = (this.#normalize as () => WeizhipinMessage[])();
      this.#normalize = null;
    }
    return this.#messages;
  }
}

interface WalkState {
  /** The next day (epoch day number) to read. */
  day: number;
  /** Windows this walk has read, and the messages they held: how far ahead to request. */
  windowsRead: number;
  messagesSeen: number;
}

interface Chat {
  userIdType: WeizhipinUserIdType;
  userId: string;
}

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

export class WeizhipinSource implements Source<WeizhipinPageRequest, WeizhipinAnswer> {
  readonly vendor = 'WEIZHIPIN';
  readonly name: string;
  readonly capabilities: SourceCapabilities;
  readonly #client: WeizhipinClient;
  readonly #adapter: SourceAdapter;
  readonly #clock: () => number;
  readonly #lookbackDays: number;
  readonly #concurrency: number;
  readonly #pageSize: number;

  constructor(config: WeizhipinSourceConfig, deps: SourceDeps) {
    this.name = config.name;
    this.#lookbackDays = config.lookbackDays;
    this.#concurrency = config.windowConcurrency;
    this.#pageSize = config.pageSize;
    // The windows a walk requests at once each need a connection, or they wait in the agent.
    const maxConcurrency =
      config.http?.maxConcurrency ?? Math.max(DEFAULT_HTTP_OPTIONS.maxConcurrency, config.windowConcurrency);
    this.#adapter = sourceAdapter({ ...config, http: { ...config.http, maxConcurrency } }, deps);
    this.#clock = this.#adapter.clock;
    this.#client = new WeizhipinClient({
      source: config.name,
      http: this.#adapter.http,
      credentials: { appId: config.appId, appSecret: config.appSecret },
      clock: this.#clock,
    });
    this.capabilities = {
      olderPaging: 'NATIVE',
      newerPaging: 'NATIVE',
      vendorMaxPageSize: config.pageSize,
      filters: { timeRange: 'VENDOR', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
      timeOrdered: true,
      // Windows are read whole whatever `limit` says, and keyed the same whoever asks; `limit`
      // only says how many windows to walk. Asking for whole vendor pages would raise it to the
      // page size and read windows the page does not need (a dense first: 20 would cost 3 calls, not 1).
      resumesAtMessage: false,
      retentionSeconds: null,
      defaultLookbackSeconds: config.lookbackDays * WEIZHIPIN_MAX_WINDOW_SECONDS,
      notes: [
        'Only one-to-one chats between a user and the app bot; a chat id is <user_id_type>:<user_id>, e.g. open_id:ou_….',
        `The vendor serves one-day windows only: history is read day by day (UTC) and every empty day costs a vendor call. A walk reads one day first; while it has found nothing it reads the rest of the searched days at once (up to ${config.windowConcurrency} in flight), otherwise about twice the days the messages seen so far say it needs.`,
        `Without filter.since, history is searched ${config.lookbackDays} whole days back from filter.until (or now): a walk that ends there gives that bound as scannedUntil, not a proven start of the chat; filter.since reaches further.`,
      ],
    };
  }

  conversationId(externalId: string): string {
    this.#chat(externalId);
    return externalId;
  }

  pageKey(request: WeizhipinPageRequest): string {
    return [
      request.userIdType,
      request.userId,
      request.startTime,
      request.endTime,
      request.messageId ?? '',
      request.pageSize,
    ].join('\n');
  }

  /**
   * A window that ended more than `SETTLED_AFTER_MS` ago by the source's clock (the vendor indexes
   * new messages with some lag): nothing sent from now on lands in it. A window that includes the
   * present is not settled, whether or not it starts at a message.
   */
  settled(request: WeizhipinPageRequest): boolean {
    return request.endTime * 1000 < this.#clock() - SETTLED_AFTER_MS;
  }

  async fetchPage(request: WeizhipinPageRequest, scope?: RequestScope): Promise<WeizhipinAnswer> {
    const records = await this.#client.imMessages(
      {
        user_id_type: request.userIdType,
        user_id: request.userId,
        start_time: request.startTime,
        end_time: request.endTime,
        ...(request.messageId === null ? {} : { message_id: request.messageId }),
        message_type: WEIZHIPIN_MESSAGE_TYPES.join(','),
        page_size: request.pageSize,
      },
      scope,
    );
    const ctx = this.#adapter.context(`${request.userIdType}:${request.userId}`);
    return new WeizhipinAnswer(() => normalizeRecords(records, ctx, normalizeWeizhipinMessage));
  }

  async read(
    pages: PageLoader<WeizhipinPageRequest, WeizhipinAnswer>,
    request: ReadRequest,
  ): Promise<ReadResult> {
    const chat = this.#chat(request.conversation);
    const { direction, from } = request;
    const range = this.#range(request.filter);
    const step = direction === 'older' ? -1 : 1;
    const inRange = (day: number) => day >= range.lowDay && day <= range.highDay;
    const state = request.continuation as WalkState | undefined;
    // A scan boundary (an empty id, from a resume cursor) was read up to `t` inclusive: start
    // with the day beyond it.
    const fromDay = from ? dayOf(from.id === '' ? from.t + step : from.t) : null;

    let day: number;
    if (state) day = state.day;
    else if (fromDay === null) day = direction === 'older' ? range.highDay : range.lowDay;
    // A cursor beyond the searched range starts at its edge; one before it leaves nothing.
    else day = direction === 'older' ? Math.min(fromDay, range.highDay) : Math.max(fromDay, range.lowDay);
    let windowsRead = state?.windowsRead ?? 0;
    let messagesSeen = state?.messagesSeen ?? 0;

    const messages: WeizhipinMessage[] = [];
    // Each read is bounded, so that the engine can stop a long scan at its page budget and hand
    // out a cursor resuming it: at most `windowConcurrency` windows per read.
    let windowsThisRead = 0;
    while (inRange(day) && windowsThisRead < this.#concurrency) {
      const ahead = this.#readAhead(windowsRead, messagesSeen, request.limit - messages.length);
      // Windows ahead are requested now; the walk loads them again when it gets there, which the
      // operation's page memo answers with the same call (`PageMemo`), in flight or answered.
      for (let next = 0; next < ahead; next++) {
        const prefetch = day + next * step;
        if (!inRange(prefetch)) continue;
        // A failure surfaces when the walk reaches that window, or never if it stops before.
        pages.load(this.#windowRequest(chat, prefetch, null)).catch(() => {});
      }
      let window = await this.#readWindow(pages, chat, day);
      // The whole day counts toward the density, even where `from` or the range cut it.
      windowsRead++;
      windowsThisRead++;
      messagesSeen += window.length;
      if (from && day === fromDay) window = beyond(window, from, direction);
      const kept = window.filter((message) => message.sentAt >= range.lower && message.sentAt < range.upper);
      if (direction === 'older') kept.reverse();
      messages.push(...kept);
      day += step;
      if (messages.length >= request.limit) break;
    }
    // Every message on the near side of `day` was read: the last instant of the previous window
    // (newer) or the first of the last one read (older).
    const scannedUntil: Position = {
      t: direction === 'older' ? (day + 1) * DAY_MS : day * DAY_MS - 1,
      id: '',
    };
    if (inRange(day)) {
      return { messages, continuation: { day, windowsRead, messagesSeen }, scannedUntil };
    }
    // Walking toward older days without `filter.since`, the search stopped at the default
    // lookback, not at a proven start of the chat.
    const bounded = direction === 'older' && request.filter.since === undefined;
    return { messages, continuation: null, ...(bounded ? { searchedTo: range.lowDay * DAY_MS } : {}) };
  }

  /**
   * One call when the vendor's `message_id` is inclusive (the emulator's semantics): the message's
   * own second, starting at the message. Otherwise the message's whole window is read.
   */
  async find(
    pages: PageLoader<WeizhipinPageRequest, WeizhipinAnswer>,
    conversation: string,
    position: Position,
  ): Promise<WeizhipinMessage | null> {
    const chat = this.#chat(conversation);
    const second = Math.floor(position.t / 1000);
    const [first] = (
      await pages.load({ ...chat, startTime: second, endTime: second, messageId: position.id, pageSize: 1 })
    ).messages;
    if (first?.externalId === position.id) return first;
    const window = await this.#readWindow(pages, chat, dayOf(position.t));
    return window.find((message) => message.externalId === position.id) ?? null;
  }

  /** The last second of a chat that need not exist (the token call comes first when needed). */
  probe(scope?: RequestScope): Promise<void> {
    const now = Math.floor(this.#clock() / 1000);
    return this.#adapter.probe(() =>
      this.fetchPage(
        {
          userIdType: 'open_id',
          userId: PROBE_CONVERSATION,
          startTime: now - 1,
          endTime: now,
          messageId: null,
          pageSize: this.#pageSize,
        },
        scope,
      ),
    );
  }

  close(): Promise<void> {
    return this.#adapter.close();
  }

  /**
   * How many windows from the walk's next one should be requested by now, `needed` messages being
   * still wanted: one before anything is known; every remaining one (as far as `windowConcurrency`
   * allows) while all windows read were empty; otherwise twice the windows the density seen so far
   * says `needed` takes, so a medium-density chat reads only a few windows too many.
   */
  #readAhead(windowsRead: number, messagesSeen: number, needed: number): number {
    if (windowsRead === 0) return 1;
    if (messagesSeen === 0) return this.#concurrency;
    const perWindow = messagesSeen / windowsRead;
    return Math.min(this.#concurrency, Math.max(1, Math.ceil((2 * needed) / perWindow)));
  }

  #chat(externalId: string): Chat {
    checkExternalId(externalId, 'chat id');
    const colon = externalId.indexOf(':');
    const userIdType = externalId.slice(0, colon);
    const userId = externalId.slice(colon + 1);
    if (colon < 0 || userId === '' || !(WEIZHIPIN_USER_ID_TYPES as readonly string[]).includes(userIdType)) {
      throw invalidArgument(
        'A weizhipin chat id is <user_id_type>:<user_id>, with open_id, union_id or user_id as the type.',
        { field: 'externalId' },
      );
    }
    return { userIdType: userIdType as WeizhipinUserIdType, userId };
  }

  /** Which days to read and which instants to keep: `[lower, upper)` in ms. */
  #range(filter: MessageFilter): { lowDay: number; highDay: number; lower: number; upper: number } {
    // Nothing is sent in the future: an `until` beyond today costs no windows.
    const today = dayOf(this.#clock());
    const highDay = filter.until !== undefined ? Math.min(dayOf(filter.until - 1), today) : today;
    const lowDay = filter.since !== undefined ? dayOf(filter.since) : highDay - this.#lookbackDays;
    return {
      lowDay,
      highDay,
      lower: filter.since ?? lowDay * DAY_MS,
      upper: filter.until ?? Number.POSITIVE_INFINITY,
    };
  }

  #windowRequest(chat: Chat, day: number, messageId: string | null): WeizhipinPageRequest {
    const startTime = day * WEIZHIPIN_MAX_WINDOW_SECONDS;
    return {
      ...chat,
      startTime,
      // The window's own end second: the vendor includes it (the emulator does; if the real one
      // does not, nothing is lost either), and what belongs to the next day is dropped below.
      endTime: startTime + WEIZHIPIN_MAX_WINDOW_SECONDS,
      messageId,
      pageSize: this.#pageSize,
    };
  }

  /** The messages sent in `[day, day + 1)`, ascending as the vendor lists them, each once. */
  async #readWindow(
    pages: PageLoader<WeizhipinPageRequest, WeizhipinAnswer>,
    chat: Chat,
    day: number,
  ): Promise<WeizhipinMessage[]> {
    const start = day * DAY_MS;
    const end = start + DAY_MS;
    const seen = new Set<string>();
    const messages: WeizhipinMessage[] = [];
    let messageId: string | null = null;
    for (;;) {
      const page: WeizhipinMessage[] = (await pages.load(this.#windowRequest(chat, day, messageId))).messages;
      let fresh = 0;
      for (const message of page) {
        // `message_id` starts a page at the previous page's last message: it comes twice.
        if (seen.has(message.externalId)) continue;
        seen.add(message.externalId);
        fresh++;
        if (message.sentAt >= start && message.sentAt < end) messages.push(message);
      }
      const last = page.at(-1);
      // No `has_more`: a page shorter than asked for is the end of the window.
      if (page.length < this.#pageSize || !last) return ascending(messages);
      if (fresh === 0) {
        throw vendorBadResponse(
          this.name,
          'message_id',
          `Source "${this.name}" repeated a page of im/v2/messages: paging by message_id does not advance.`,
        );
      }
      messageId = last.externalId;
    }
  }
}

/**
 * A window's messages ascending by time. The documentation does not say in which order a window
 * is listed: one listed newest first is turned around whole (its ties keep their relative order
 * as the chat holds them), and any other disorder is sorted, ties in the vendor's order.
 */
function ascending(window: WeizhipinMessage[]): WeizhipinMessage[] {
  const first = window[0];
  const last = window.at(-1);
  const turned = first && last && first.sentAt > last.sentAt ? [...window].reverse() : window;
  return turned.every((message, i) => i === 0 || (turned[i - 1] as WeizhipinMessage).sentAt <= message.sentAt)
    ? turned
    : [...turned].sort((a, b) => a.sentAt - b.sentAt);
}

/** The messages of `window` strictly beyond `from` in `direction`, `window` being ascending. */
function beyond(window: WeizhipinMessage[], from: Position, direction: Direction): WeizhipinMessage[] {
  const index = window.findIndex((message) => message.externalId === from.id);
  if (index >= 0) return direction === 'older' ? window.slice(0, index) : window.slice(index + 1);
  // The message is gone (recalled and purged): fall back to its time.
  return window.filter((message) =>
    direction === 'older' ? message.sentAt < from.t : message.sentAt > from.t,
  );
}
