/**
 * Live conversations: `messageAdded` is a walk toward newer messages that waits at the end.
 *
 * Every read goes through the paging engine (`pageMessages`) with the same cursors as
 * `messages`: the list is newest first, so "newer than cursor c" is `last: n, before: c`, and
 * each edge carries the cursor a client resumes from. Each read uses fresh request-scoped loaders.
 *
 * One `Watch` per watched conversation polls it for everyone in the process: it remembers the
 * newest cursor it has seen (its head) and hands each poll's new edges to its subscribers as a
 * batch that starts at its previous head. A subscriber whose own cursor is that head takes the
 * batch as it is, which makes 1,000 subscribers cost one poll. A subscriber anywhere else (one
 * that just joined from a history cursor, or one whose catch-up ran ahead) walks from its own
 * cursor with its own reads until it meets the stream again. The subscriber's cursor is the only
 * truth about what it has seen: a batch is a shortcut, never needed for correctness, so a lost
 * wake-up or a poll on another replica can delay a message but never drop or repeat one.
 *
 * Where a source offers a change feed (`Source.feed`), one `FeedPoller` per source reads it for
 * all the source's watched conversations and wakes those it names (`src/live/feed.ts`); while it
 * answers, their watches skip their timer polls.
 */
import type { App } from '../app.js';
import { type Context, createContext, engineOf, operationLogger } from '../context.js';
import { ChatgraphError, ERROR_CODES, isChatgraphError } from '../errors.js';
import type { ConversationRef } from '../model/index.js';
import { messagesScope } from '../resolvers/filter.js';
import { RequestLoaders } from '../resolvers/loaders.js';
import { MAX_PAGE_SIZE, type MessageEdge, pageMessages } from '../resolvers/paging.js';
import { FeedPoller } from './feed.js';
import { createRedisTransport, type LiveTransport, leaseKey, type SessionEndReport } from './redis.js';
import { SerialRuns } from './serial-runs.js';

export interface LiveOptions {
  /** The poll interval while a conversation is active (a poll found messages). */
  minIntervalMs: number;
  /** The interval it slows down to while nothing arrives, doubling from `minIntervalMs`. */
  maxIntervalMs: number;
  /** Edges kept for a subscriber that has not read them yet; beyond: SUBSCRIBER_TOO_SLOW. */
  bufferSize: number;
  /** Live subscriptions in this process. */
  maxSubscriptions: number;
  /** Live subscriptions per API key (or per process when the API runs open). */
  maxSubscriptionsPerClient: number;
  /** Share wake-ups and poll leases with other replicas through this Redis (`redis://…`). */
  redisUrl?: string;
  /**
   * How long a poll lease outlives its holder's last poll; by default two poll intervals plus a
   * second. A replica that dies without giving the lease up is replaced once it expires.
   */
  leaseTtlMs?: number;
}

export const DEFAULT_LIVE: LiveOptions = {
  minIntervalMs: 2_000,
  maxIntervalMs: 30_000,
  bufferSize: 500,
  maxSubscriptions: 10_000,
  maxSubscriptionsPerClient: 1_000,
};

/** Vendor pages read in one go before the walk yields to others (it goes on at once after). */
const MAX_READS_PER_POLL = 10;

/** New edges found by one poll, oldest first, from the watch's head `from` to its head `to`. */
interface Batch {
  from: string | null;
  to: string | null;
  edges: MessageEdge[];
}

/** What makes a wake-up for a conversation (a poll now); see `LiveHub.wake`. */
export type WakeListener = (source: string, conversation: string) => void;

const keyOf = (source: string, conversation: string) => `${source}\n${conversation}`;

/**
 * Fresh loaders for one read of a long-lived operation: its deadline starts now, its vendor calls
 * stop when `signal` aborts (the subscriber left), and they log with the operation's request id
 * (through a logger of the read's own, so that a subscription keeps none while it waits).
 */
function freshRead(ctx: Context, signal?: AbortSignal): Pick<Context, 'app' | 'loaders' | 'sources'> {
  const { app } = ctx;
  const loaders = new RequestLoaders(
    Date.now() + app.policy.requestTimeoutMs,
    app.policy.maxVendorCalls,
    app.sharedPages,
    signal,
  );
  loaders.scope.requestId = ctx.requestId;
  loaders.scope.log = operationLogger(app, ctx.requestId);
  return { app, sources: ctx.sources, loaders };
}

/**
 * Reads every edge newer than `cursor` (null: from the oldest message), oldest first, in pages of
 * MAX_PAGE_SIZE, at most `MAX_READS_PER_POLL` pages; `more` says whether it stopped early.
 */
async function newerThan(
  ctx: Context,
  conversation: ConversationRef,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ edges: MessageEdge[]; more: boolean }> {
  const read = freshRead(ctx, signal);
  const edges: MessageEdge[] = [];
  let from = cursor;
  for (let reads = 0; reads < MAX_READS_PER_POLL; reads++) {
    const page = await pageMessages(engineOf(read), conversation, {
      last: MAX_PAGE_SIZE,
      ...(from === null ? {} : { before: from }),
    });
    const oldestFirst = page.edges.toReversed();
    edges.push(...oldestFirst);
    from = oldestFirst.at(-1)?.cursor ?? from;
    if (!page.pageInfo.hasPreviousPage) return { edges, more: false };
  }
  return { edges, more: true };
}

/** The newest message's cursor now, or null when the conversation has none. */
async function newestCursor(
  ctx: Context,
  conversation: ConversationRef,
  signal?: AbortSignal,
): Promise<string | null> {
  const page = await pageMessages(engineOf(freshRead(ctx, signal)), conversation, { first: 1 });
  return page.edges[0]?.cursor ?? null;
}

export class LiveHub {
  readonly #app: App;
  readonly options: LiveOptions;
  readonly #watches = new Map<string, Watch>();
  /** Change-feed pollers by source, while the source has watched conversations. */
  readonly #feeds = new Map<string, FeedPoller>();
  readonly #perClient = new Map<string, number>();
  /** `sessionEnded` subscribers by conversation. */
  readonly #ended = new Map<string, Set<EndListener>>();
  #subscriptions = 0;
  readonly #transport: LiveTransport | null;
  /**
   * Settles once other replicas' wake-ups reach this one, or once subscribing to them failed (logged;
   * polls still deliver); at once without a transport.
   */
  readonly listening: Promise<void>;

  constructor(app: App, options: Partial<LiveOptions> = {}, transport?: LiveTransport | null) {
    this.#app = app;
    this.options = { ...DEFAULT_LIVE, ...options };
    this.#transport =
      transport ?? (this.options.redisUrl ? createRedisTransport(this.options.redisUrl, app.logger) : null);
    // Another replica woke a conversation: read it here too (one read, not a poll of our own).
    this.listening =
      this.#transport?.onWake(({ source, conversation, ended }) => {
        if (ended) this.#tellEnded(source, conversation, ended);
        void this.#watches.get(keyOf(source, conversation))?.wake('wake');
      }) ?? Promise.resolve();
  }

  /** Subscriptions open now. */
  get subscriptions(): number {
    return this.#subscriptions;
  }

  /** Conversations polled now. */
  get watched(): number {
    return this.#watches.size;
  }

  /**
   * Polls a watched conversation now (a webhook's hint, or a test); resolves when that poll's
   * messages are handed to the subscribers. Nothing happens for a conversation nobody watches.
   */
  wake(source: string, conversation: string): Promise<void> {
    this.#transport?.publish(source, conversation);
    return this.#watches.get(keyOf(source, conversation))?.wake('wake') ?? Promise.resolve();
  }

  /**
   * The vendor reported that a conversation's session ended (an authenticated callback): tells
   * this process's and the other replicas' `sessionEnded` subscribers, and reads the conversation
   * (its last messages) as `wake` does.
   */
  endSession(source: string, conversation: string, event: string | null): Promise<void> {
    const report = { event, at: Date.now() };
    this.#transport?.publish(source, conversation, report);
    this.#tellEnded(source, conversation, report);
    return this.#watches.get(keyOf(source, conversation))?.wake('wake') ?? Promise.resolve();
  }

  /**
   * Session ends of a conversation as the vendor reports them, from now on (an end reported
   * before subscribing is not replayed). Nothing is read from the vendor: idle, it is a listener.
   */
  sessionEnded(ctx: Context, conversation: ConversationRef): AsyncIterableIterator<SessionEnd> {
    const client = ctx.client?.name ?? '';
    this.#admit(client);
    const key = keyOf(conversation.source, conversation.externalId);
    const listener = new EndListener(conversation, this.options.bufferSize, () => {
      this.#release(client);
      const listeners = this.#ended.get(key);
      listeners?.delete(listener);
      if (listeners?.size === 0) this.#ended.delete(key);
    });
    const listeners = this.#ended.get(key) ?? new Set();
    listeners.add(listener);
    this.#ended.set(key, listeners);
    return listener;
  }

  /** Conversations with `sessionEnded` subscribers now. */
  get endWatched(): number {
    return this.#ended.size;
  }

  #tellEnded(source: string, conversation: string, report: SessionEndReport): void {
    for (const listener of this.#ended.get(keyOf(source, conversation)) ?? []) listener.push(report);
  }

  /**
   * Runs a conversation's timer poll now (for tests, whose timers never fire): with Redis, only
   * the replica that holds or takes the conversation's lease reads.
   */
  tick(source: string, conversation: string): Promise<void> {
    return this.#watches.get(keyOf(source, conversation))?.wake('timer') ?? Promise.resolve();
  }

  /**
   * The edges of `messageAdded`: oldest first, each once, until the client leaves. A hand-made
   * iterator rather than an async generator: a generator waiting for the next message could not
   * be ended by `return()` until one arrived, and an idle subscriber that left would stay counted.
   */
  subscribe(ctx: Context, conversation: ConversationRef, after: string | null): LiveSubscription {
    // A cursor of another conversation, or altered, is refused here as the field's error (with its
    // path), not later by the first walk, which can only end the stream with it.
    if (after !== null) {
      const source = ctx.sources.get(conversation.source).name;
      this.#app.cursors.decode(after, messagesScope(source, conversation.externalId, {}));
    }
    const client = ctx.client?.name ?? '';
    this.#admit(client);
    const key = keyOf(conversation.source, conversation.externalId);
    let watch: Watch | undefined;
    const subscriber = new Subscriber(ctx, conversation, this.options.bufferSize, async () => {
      this.#release(client);
      if (watch?.remove(subscriber) === 0) {
        if (this.#watches.get(key) === watch) this.#watches.delete(key);
        await watch.stop();
        await this.#unfeed(conversation);
      }
    });
    const join = async () => {
      // The walk's start is read before joining, so a bad source or conversation fails here.
      const start = after ?? (await newestCursor(ctx, conversation));
      if (subscriber.ended) return;
      watch = this.#watches.get(key);
      if (!watch) {
        // Registered with the feed before its first read: see `FeedPoller` on what it then covers.
        const feed = this.#feedOf(conversation);
        watch = new Watch(createContext(this.#app), conversation, this.options, this.#transport, feed);
        this.#watches.set(key, watch);
      }
      watch.add(subscriber);
      // A start just read as the newest message needs no walk of its own when the watch's next
      // batch will follow on from it: the watch's head is that message, or its first read is under
      // way (a batch that does not follow makes the subscriber walk then). A head elsewhere may
      // have passed messages after the start to the others already: those are read now.
      const head = watch.head;
      subscriber.start(start, after === null && (head === undefined || head === start));
    };
    // With a cursor, this joins at once: nothing to read first.
    subscriber.joined = join().catch((error: unknown) => subscriber.fail(error as Error));
    return subscriber;
  }

  /**
   * Runs a source's change-feed poll now (for tests, whose timers never fire); nothing when the
   * source has no feed or no watched conversation.
   */
  tickFeed(source: string): Promise<void> {
    return this.#feeds.get(source)?.tick() ?? Promise.resolve();
  }

  /** A source's change feed as polled now; null when it is not (no feed, nothing watched). */
  feedState(source: string): { covering: boolean; position: string | null; unattributed: number } | null {
    const poller = this.#feeds.get(source);
    return poller
      ? { covering: poller.covering, position: poller.position, unattributed: poller.unattributed }
      : null;
  }

  /** The source's feed poller with `conversation` registered, made on first use; null without a feed. */
  #feedOf(conversation: ConversationRef): FeedPoller | null {
    let poller = this.#feeds.get(conversation.source);
    if (!poller) {
      const feed = this.#app.sources.find(conversation.source)?.feed;
      if (!feed) return null;
      const { source } = conversation;
      poller = new FeedPoller(
        source,
        feed,
        { ...this.options, requestTimeoutMs: this.#app.policy.requestTimeoutMs },
        this.#transport,
        {
          wake: (externalId) => this.wake(source, externalId),
          wakeHere: (externalId) =>
            this.#watches.get(keyOf(source, externalId))?.wake('wake') ?? Promise.resolve(),
          log: this.#app.logger,
        },
      );
      this.#feeds.set(source, poller);
    }
    poller.add(conversation.externalId);
    return poller;
  }

  async #unfeed(conversation: ConversationRef): Promise<void> {
    const poller = this.#feeds.get(conversation.source);
    if (poller?.remove(conversation.externalId) === 0) {
      this.#feeds.delete(conversation.source);
      await poller.stop();
    }
  }

  /** Stops every poll and gives up its leases (subscribers then wait forever: for shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.#watches.values()].map((watch) => watch.stop()));
    this.#watches.clear();
    await Promise.all([...this.#feeds.values()].map((poller) => poller.stop()));
    this.#feeds.clear();
    await this.#transport?.close();
  }

  #admit(client: string): void {
    const mine = this.#perClient.get(client) ?? 0;
    const { maxSubscriptions, maxSubscriptionsPerClient } = this.options;
    if (this.#subscriptions >= maxSubscriptions || mine >= maxSubscriptionsPerClient) {
      const perClient = mine >= maxSubscriptionsPerClient;
      throw new ChatgraphError(
        ERROR_CODES.TOO_MANY_SUBSCRIPTIONS,
        perClient
          ? `This client has ${maxSubscriptionsPerClient} live subscriptions, the most it may; end one first.`
          : 'The server has as many live subscriptions as it accepts; try again later.',
        { limit: perClient ? maxSubscriptionsPerClient : maxSubscriptions },
      );
    }
    this.#subscriptions++;
    this.#perClient.set(client, mine + 1);
  }

  #release(client: string): void {
    this.#subscriptions--;
    const left = (this.#perClient.get(client) ?? 1) - 1;
    if (left === 0) this.#perClient.delete(client);
    else this.#perClient.set(client, left);
  }
}

type PollKind = 'timer' | 'wake';

/** One conversation's poller, shared by every subscriber to it in the process. */
class Watch {
  readonly #ctx: Context;
  readonly #conversation: ConversationRef;
  readonly #options: LiveOptions;
  readonly #subscribers = new Set<Subscriber>();
  /** The newest cursor seen; undefined until the first poll has read it. */
  #head: string | null | undefined;
  #interval: number;
  #timer: NodeJS.Timeout | null = null;
  readonly #polls = new SerialRuns();
  /** What the queued poll is for: a timer poll takes the lease first, a wake-up reads at once. */
  #queuedKind: PollKind = 'wake';
  #stopped = false;
  readonly #transport: LiveTransport | null;
  readonly #key: string;
  /** The source's change feed: while it covers this conversation, timer polls read nothing. */
  readonly #feed: FeedPoller | null;

  constructor(
    ctx: Context,
    conversation: ConversationRef,
    options: LiveOptions,
    transport: LiveTransport | null,
    feed: FeedPoller | null,
  ) {
    this.#ctx = ctx;
    this.#conversation = conversation;
    this.#options = options;
    this.#transport = transport;
    this.#key = leaseKey(conversation.source, conversation.externalId);
    this.#feed = feed;
    this.#interval = options.minIntervalMs;
    void this.wake('wake');
  }

  /** The newest cursor seen; undefined until the first poll has read it. */
  get head(): string | null | undefined {
    return this.#head;
  }

  add(subscriber: Subscriber): void {
    this.#subscribers.add(subscriber);
  }

  /** Subscribers left. */
  remove(subscriber: Subscriber): number {
    this.#subscribers.delete(subscriber);
    return this.#subscribers.size;
  }

  /** A poll after the one running (if any): what arrived before this call is surely read. */
  wake(kind: PollKind): Promise<void> {
    // A wake-up joining a waiting timer poll makes it read at once.
    if (!this.#polls.waiting) this.#queuedKind = kind;
    else if (kind === 'wake') this.#queuedKind = 'wake';
    return this.#polls.next(() => this.#poll(this.#queuedKind));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#transport?.release(this.#key).catch(() => {});
  }

  async #poll(kind: PollKind): Promise<void> {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    let more = false;
    // The feed reads for it (one vendor call for the whole source), and wakes it when it changes.
    if (kind === 'timer' && this.#head !== undefined && this.#feed?.covering) {
      this.#schedule(this.#interval);
      return;
    }
    try {
      // With other replicas, a timer poll is one replica's job: the lease holder's. It outlives
      // two intervals, so a live holder keeps it and a dead one's expires.
      const ttl = this.#options.leaseTtlMs ?? 2 * this.#interval + 1_000;
      if (kind === 'timer' && this.#head !== undefined && this.#transport) {
        if (!(await this.#transport.lease(this.#key, ttl))) {
          this.#schedule(this.#interval);
          return;
        }
      }
      // Each read makes fresh loaders (`freshRead`): loaders never outlive one read.
      const ctx = this.#ctx;
      if (this.#head === undefined) {
        this.#head = await newestCursor(ctx, this.#conversation);
        // An empty batch at the head: a subscriber that is not there yet walks to it itself.
        const batch = { from: this.#head, to: this.#head, edges: [] };
        for (const subscriber of this.#subscribers) subscriber.offer(batch);
      } else {
        const found = await newerThan(ctx, this.#conversation, this.#head);
        more = found.more;
        if (found.edges.length > 0) {
          const to = found.edges.at(-1)?.cursor ?? this.#head;
          const batch: Batch = { from: this.#head, to, edges: found.edges };
          this.#head = to;
          for (const subscriber of this.#subscribers) subscriber.offer(batch);
          // The other replicas' subscribers read it too (a wake-up only, never the messages).
          if (kind === 'timer')
            this.#transport?.publish(this.#conversation.source, this.#conversation.externalId);
        }
        // Fast while messages arrive, slower (doubling) while the conversation is quiet.
        this.#interval =
          found.edges.length > 0
            ? this.#options.minIntervalMs
            : Math.min(this.#options.maxIntervalMs, this.#interval * 2);
      }
    } catch (error) {
      // An open circuit (SOURCE_UNAVAILABLE) or a failing vendor: rest at the slowest interval;
      // subscribers wait, and miss nothing, since they walk from their own cursors.
      this.#interval = this.#options.maxIntervalMs;
      const code = isChatgraphError(error) ? error.code : 'INTERNAL';
      this.#ctx.log.warn({ source: this.#conversation.source, code }, 'live poll failed');
    }
    this.#schedule(more ? 0 : this.#interval);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.wake('timer'), ms);
    this.#timer.unref();
  }
}

/** What `LiveHub.subscribe` returns: the edges, and when the subscription joined its watch. */
export interface LiveSubscription extends AsyncIterableIterator<MessageEdge> {
  /** Settles once the subscription has read where it starts and joins the watch (or failed). */
  readonly joined: Promise<void>;
}

/** One subscription's state: its cursor, the edges it has not read yet, and its catch-up walk. */
class Subscriber implements LiveSubscription {
  readonly #ctx: Context;
  readonly #conversation: ConversationRef;
  readonly #bufferSize: number;
  readonly #onEnd: () => Promise<void>;
  /** The cursor of the last edge queued (the walk's position); null: before the oldest message. */
  #cursor: string | null = null;
  #queue: MessageEdge[] = [];
  /** Batches offered while walking on its own; looked at when the walk ends. */
  #pending: Batch[] | null = [];
  #failure: Error | null = null;
  /** Aborts the subscriber's own read in progress, if any, when it ends (made per read). */
  #reading: AbortController | null = null;
  #waiting: {
    resolve: (result: IteratorResult<MessageEdge>) => void;
    reject: (error: Error) => void;
  } | null = null;
  ended = false;
  joined: Promise<void> = Promise.resolve();

  constructor(ctx: Context, conversation: ConversationRef, bufferSize: number, onEnd: () => Promise<void>) {
    this.#ctx = ctx;
    this.#conversation = conversation;
    this.#bufferSize = bufferSize;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Starts from `cursor`: with a walk to the newest message, unless `caughtUp` says it is there. */
  start(cursor: string | null, caughtUp: boolean): void {
    this.#cursor = cursor;
    if (caughtUp) this.#pending = null;
    else void this.#catchUp();
  }

  next(): Promise<IteratorResult<MessageEdge>> {
    const edge = this.#queue.shift();
    if (edge) return Promise.resolve({ value: edge, done: false });
    if (this.#failure) {
      const failure = this.#failure;
      void this.#end();
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Resolves once the subscription's slot and, if it was the last, its poll and lease are given up. */
  async return(): Promise<IteratorResult<MessageEdge>> {
    await this.#end();
    return { value: undefined, done: true };
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.#failure ??= error;
    this.#queue = [];
    this.#wake();
  }

  #end(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    // The client left: its own read stops making vendor calls (a watch's polls go on for others).
    this.#reading?.abort(new DOMException('The subscriber left.', 'AbortError'));
    this.#queue = [];
    this.#waiting?.resolve({ value: undefined, done: true });
    this.#waiting = null;
    return this.#onEnd();
  }

  /** Hands what is ready to a reader waiting in `next`. */
  #wake(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = null;
    const edge = this.#queue.shift();
    if (edge) waiting.resolve({ value: edge, done: false });
    else if (this.#failure) {
      const failure = this.#failure;
      void this.#end();
      waiting.reject(failure);
    } else this.#waiting = waiting;
  }

  offer(batch: Batch): void {
    if (this.#pending) {
      this.#pending.push(batch);
      return;
    }
    this.#take(batch);
  }

  /** Whether the batch reaches this subscriber's cursor (so it can follow on from it). */
  #meets(batch: Batch): boolean {
    return (
      batch.to === this.#cursor ||
      batch.from === this.#cursor ||
      batch.edges.some((edge) => edge.cursor === this.#cursor)
    );
  }

  #take(batch: Batch): void {
    if (batch.to === this.#cursor) return;
    if (batch.from === this.#cursor) {
      this.#enqueue(batch.edges);
      return;
    }
    const at = batch.edges.findIndex((edge) => edge.cursor === this.#cursor);
    if (at >= 0) {
      this.#enqueue(batch.edges.slice(at + 1));
      return;
    }
    // The batch does not follow this subscriber's cursor: walk from the cursor instead.
    this.#pending = [];
    void this.#catchUp();
  }

  /** Reads from the cursor to the newest message, then takes the batches offered meanwhile. */
  async #catchUp(): Promise<void> {
    const reading = new AbortController();
    this.#reading = reading;
    try {
      for (let more = true; more && !this.ended; ) {
        const found = await newerThan(this.#ctx, this.#conversation, this.#cursor, reading.signal);
        more = found.more;
        this.#enqueue(found.edges);
      }
      const offered = this.#pending ?? [];
      this.#pending = null;
      // Batches older than the walk's end are behind it; follow on from the last one that meets it.
      const at = offered.findLastIndex((batch) => this.#meets(batch));
      const pending = at >= 0 ? offered.slice(at) : offered;
      for (const batch of pending) {
        this.#take(batch);
        if (this.#pending) return;
      }
    } catch (error) {
      if (this.ended) {
        this.#ctx.log.debug({ conversation: this.#conversation }, 'live: subscriber left, its read stopped');
      } else this.fail(error as Error);
    } finally {
      if (this.#reading === reading) this.#reading = null;
    }
  }

  #enqueue(edges: MessageEdge[]): void {
    if (this.#failure || this.ended) return;
    if (this.#queue.length + edges.length > this.#bufferSize) {
      this.fail(
        new ChatgraphError(
          ERROR_CODES.SUBSCRIBER_TOO_SLOW,
          `More than ${this.#bufferSize} messages waited to be read; subscribe again from the last cursor received.`,
          { limit: this.#bufferSize },
        ),
      );
      return;
    }
    for (const edge of edges) this.#queue.push(edge);
    if (edges.length > 0) this.#cursor = edges.at(-1)?.cursor ?? this.#cursor;
    this.#wake();
  }
}

/** A reported session end, as `sessionEnded` yields it. */
export interface SessionEnd {
  conversation: ConversationRef;
  report: SessionEndReport;
}

/** One `sessionEnded` subscription: the reports it has not read yet, until it leaves. */
class EndListener implements AsyncIterableIterator<SessionEnd> {
  readonly #conversation: ConversationRef;
  readonly #bufferSize: number;
  readonly #onEnd: () => void;
  #queue: SessionEnd[] = [];
  #waiting: ((result: IteratorResult<SessionEnd>) => void) | null = null;
  #done = false;

  constructor(conversation: ConversationRef, bufferSize: number, onEnd: () => void) {
    this.#conversation = conversation;
    this.#bufferSize = bufferSize;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(report: SessionEndReport): void {
    if (this.#done) return;
    const end = { conversation: this.#conversation, report };
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting({ value: end, done: false });
    // Reports are rare; a reader that leaves this many unread has gone: keep the newest.
    else if (this.#queue.push(end) > this.#bufferSize) this.#queue.shift();
  }

  next(): Promise<IteratorResult<SessionEnd>> {
    const end = this.#queue.shift();
    if (end) return Promise.resolve({ value: end, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  async return(): Promise<IteratorResult<SessionEnd>> {
    if (!this.#done) {
      this.#done = true;
      this.#queue = [];
      this.#waiting?.({ value: undefined, done: true });
      this.#waiting = null;
      this.#onEnd();
    }
    return { value: undefined, done: true };
  }
}

const hubs = new WeakMap<App, LiveHub>();

/** Closes the app's live hub, if it has one (its Redis connections, its leases). */
export async function closeLiveHub(app: App): Promise<void> {
  await hubs.get(app)?.close();
  hubs.delete(app);
}

/** The app's live hub, made on first use with the app's `policy.live` options. */
export function liveHub(app: App): LiveHub {
  let hub = hubs.get(app);
  if (!hub) {
    hub = new LiveHub(app, app.policy.live);
    hubs.set(app, hub);
  }
  return hub;
}
