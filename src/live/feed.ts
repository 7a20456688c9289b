/**
 * A source's change feed in the live hub (`Source.feed`, e.g. WeChat Shop's `get_sync_msg`): one
 * poller per source that has watched conversations reads the feed once per interval and wakes the
 * conversations it names, instead of a timer poll per conversation. The feed is a hint: a woken
 * conversation is read through the paging engine as always, so a row the feed cannot read costs
 * at most a delay, and while the feed fails (or cannot be read) its conversations are polled one
 * by one again (`covering` is false), from where they are: nothing waits on a broken feed.
 *
 * The position starts at the feed's end when the poller first runs (history is not replayed).
 * Conversations read before that position existed are woken once then, since what arrived
 * between their last read and the position is not in the feed. With Redis, one replica at a time
 * reads the feed (the holder of the source's feed lease); it keeps the position in Redis, so a
 * replica that takes over goes on from there, and its wake-ups reach every replica's
 * conversations through the transport. A holder whose feed fails gives the lease up.
 */
import type { Logger } from '../logger.js';
import type { ChangeFeed } from '../sources/source.js';
import type { LiveTransport } from './redis.js';
import { SerialRuns } from './serial-runs.js';

/** Feed pages read in one go before the poller yields (it goes on at once after). */
const MAX_READS_PER_POLL = 10;

/** The search for a feed's end gets this many operations' deadlines (`requestTimeoutMs`). */
const END_SEARCH_DEADLINES = 10;

/**
 * How long a feed position kept in Redis outlives its last update (at least this, and four of the
 * slowest intervals): beyond it, nobody has read the feed for long, and it restarts at its end.
 */
export const FEED_POSITION_TTL_MS = 3_600_000;

export interface FeedPollerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  leaseTtlMs?: number;
  /** The deadline of one run's vendor calls, from its start. */
  requestTimeoutMs: number;
}

/** What the poller needs of the hub. */
export interface FeedHooks {
  /** Reads a conversation now, here and (through the transport) on the other replicas. */
  wake(conversation: string): Promise<void>;
  /** Reads a conversation watched here now, and nowhere else. */
  wakeHere(conversation: string): Promise<void>;
  log: Logger;
}

/** Keys of a source's feed lease and position (`LiveTransport.lease`, `load`, `save`). */
export const feedLeaseKey = (source: string): string => JSON.stringify(['feed', source]);
export const feedPositionKey = (source: string): string => JSON.stringify(['feed-position', source]);

export class FeedPoller {
  readonly #source: string;
  readonly #feed: ChangeFeed;
  readonly #options: FeedPollerOptions;
  readonly #transport: LiveTransport | null;
  readonly #hooks: FeedHooks;
  /** The watched conversations of the source in this process. */
  readonly #conversations = new Set<string>();
  #position: string | null = null;
  #covering = false;
  #interval: number;
  #timer: NodeJS.Timeout | null = null;
  readonly #runs = new SerialRuns();
  #stopped = false;
  /** Feed rows that named no conversation, since the poller started. */
  unattributed = 0;

  constructor(
    source: string,
    feed: ChangeFeed,
    options: FeedPollerOptions,
    transport: LiveTransport | null,
    hooks: FeedHooks,
  ) {
    this.#source = source;
    this.#feed = feed;
    this.#options = options;
    this.#transport = transport;
    this.#hooks = hooks;
    this.#interval = options.minIntervalMs;
    // The first run waits an interval, like a timer poll: until it, conversations poll themselves.
    this.#schedule(this.#interval);
  }

  /**
   * Whether the feed answers for the source's conversations now: its last read succeeded (here,
   * or with Redis on the replica holding its lease). While it does, they are not timer-polled.
   */
  get covering(): boolean {
    return this.#covering && !this.#stopped;
  }

  /** The position the next read starts from (null before the first run). */
  get position(): string | null {
    return this.#position;
  }

  add(conversation: string): void {
    this.#conversations.add(conversation);
  }

  /** Conversations left. */
  remove(conversation: string): number {
    this.#conversations.delete(conversation);
    return this.#conversations.size;
  }

  /** A run after the one going on (if any); what the vendor had before this call is surely seen. */
  tick(): Promise<void> {
    return this.#runs.next(() => this.#run());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#transport?.release(feedLeaseKey(this.#source)).catch(() => {});
  }

  async #run(): Promise<void> {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    let more = false;
    try {
      more = await this.#read();
    } catch (error) {
      // A failing or unreadable feed (an open circuit too): the conversations poll themselves
      // from where they are, and the feed is tried again at the slowest interval, from its
      // position, so what it missed meanwhile is still reported.
      this.#covering = false;
      this.#interval = this.#options.maxIntervalMs;
      const code = (error as { code?: unknown }).code;
      this.#hooks.log.warn(
        { source: this.#source, code: typeof code === 'string' ? code : 'INTERNAL' },
        'live feed failed: polling its conversations one by one',
      );
      await this.#transport?.release(feedLeaseKey(this.#source)).catch(() => {});
    }
    this.#schedule(more ? 0 : this.#interval);
  }

  /** One run: the feed's end, or its next pages; true when more pages wait. */
  async #read(): Promise<boolean> {
    const transport = this.#transport;
    if (transport) {
      const ttl = this.#options.leaseTtlMs ?? 2 * this.#interval + 1_000;
      const held = await transport.lease(feedLeaseKey(this.#source), ttl);
      const shared = await transport.load(feedPositionKey(this.#source));
      if (!held) {
        // Another replica reads the feed; once it has a position, its wake-ups reach us.
        await this.#learn(shared);
        this.#covering = shared !== null;
        return false;
      }
      // The holder goes on from the shared position: nothing between two holders is skipped.
      await this.#learn(shared ?? this.#position);
    }
    const log = this.#hooks.log;
    if (this.#position === null) {
      // A search (a vendor may offer no "newest" position): many calls, so many deadlines' time.
      const end = await this.#feed.end({
        deadline: Date.now() + END_SEARCH_DEADLINES * this.#options.requestTimeoutMs,
        log,
      });
      await this.#transport?.save(feedPositionKey(this.#source), end, this.#positionTtl);
      await this.#learn(end);
      this.#covering = true;
      return false;
    }
    const scope = { deadline: Date.now() + this.#options.requestTimeoutMs, log };
    let changed = false;
    for (let reads = 0; reads < MAX_READS_PER_POLL; reads++) {
      const read = await this.#feed.read(this.#position, scope);
      this.unattributed += read.unattributed;
      if (read.unattributed > 0) {
        this.#hooks.log.debug(
          { source: this.#source, rows: read.unattributed },
          'live feed rows name no conversation',
        );
      }
      changed ||= read.conversations.length > 0;
      // Every conversation named, watched here or not: the transport takes it to the other replicas.
      await Promise.all(read.conversations.map((conversation) => this.#hooks.wake(conversation)));
      this.#position = read.position;
      await this.#transport?.save(feedPositionKey(this.#source), read.position, this.#positionTtl);
      this.#covering = true;
      if (!read.more) {
        // Fast while the shop is busy, slower (doubling) while it is quiet, as polls are.
        this.#interval = changed
          ? this.#options.minIntervalMs
          : Math.min(this.#options.maxIntervalMs, this.#interval * 2);
        return false;
      }
    }
    return true;
  }

  /**
   * Takes `position` as the feed's. When there was none, every conversation is read once: what
   * arrived between its last read and the position is not in what the feed reports from there.
   */
  async #learn(position: string | null): Promise<void> {
    const fresh = this.#position === null && position !== null;
    this.#position = position;
    // Each replica does this for its own conversations when it learns the position.
    if (fresh) {
      await Promise.all([...this.#conversations].map((conversation) => this.#hooks.wakeHere(conversation)));
    }
  }

  get #positionTtl(): number {
    return Math.max(FEED_POSITION_TTL_MS, 4 * this.#options.maxIntervalMs);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.tick(), ms);
    this.#timer.unref();
  }
}
