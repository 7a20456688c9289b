/**
 * The sandbox's live conversation (`sandbox-live` in every emulator): a conversation that keeps
 * receiving messages, so subscriptions have something to show. Its records live here, oldest
 * first; an emulator reads them through `view`, which rebuilds the emulator's own index of the
 * conversation only when something was appended since the last call.
 *
 * `start(intervalMs)` appends one message per interval (what `npm start` runs); tests call
 * `append(n)` instead, so nothing in a test waits on a timer.
 */
export const LIVE_CONVERSATION = 'sandbox-live';

/** Makes the `index`-th record of the live conversation, sent at `now` (epoch ms). */
export type LiveRecordMaker<R> = (index: number, now: number) => R;

export class LiveFeed<R = unknown> {
  /** The conversation's external id at the vendor (a vendor may prefix it, e.g. `open_id:sandbox-live`). */
  readonly externalId: string;
  readonly #make: LiveRecordMaker<R>;
  readonly #clock: () => number;
  readonly #records: R[] = [];
  readonly #listeners = new Set<(records: R[]) => void>();
  /** The body of the vendor's callback about new records, where the vendor calls back. */
  readonly envelope: ((records: R[]) => unknown) | null;
  #timer: NodeJS.Timeout | null = null;
  /** Callbacks sent, and those that failed (the sandbox logs nothing of its own). */
  readonly webhookCalls = { sent: 0, failed: 0 };

  constructor(options: {
    externalId?: string;
    make: LiveRecordMaker<R>;
    clock?: () => number;
    envelope?: (records: R[]) => unknown;
  }) {
    this.externalId = options.externalId ?? LIVE_CONVERSATION;
    this.#make = options.make;
    this.#clock = options.clock ?? Date.now;
    this.envelope = options.envelope ?? null;
  }

  /**
   * Calls `url` back (POST, JSON, `Authorization: Bearer <secret>`) after every append, as the
   * vendor's callbacks would; nothing when the vendor has none.
   */
  connectWebhook(url: string, secret: string): () => void {
    const envelope = this.envelope;
    if (!envelope) return () => {};
    return this.onAppend((records) => {
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify(envelope(records)),
      }).then(
        async (response) => {
          await response.body?.cancel();
          if (response.ok) this.webhookCalls.sent++;
          else this.webhookCalls.failed++;
        },
        () => {
          this.webhookCalls.failed++;
        },
      );
    });
  }

  /** How many records were appended so far: a version for caches of `records`. */
  get size(): number {
    return this.#records.length;
  }

  /** Oldest first. */
  get records(): readonly R[] {
    return this.#records;
  }

  /** Appends `count` new messages (now) and tells the listeners (e.g. a webhook caller). */
  append(count = 1): R[] {
    const added: R[] = [];
    for (let i = 0; i < count; i++) {
      const record = this.#make(this.#records.length, this.#clock());
      this.#records.push(record);
      added.push(record);
    }
    for (const listener of this.#listeners) listener(added);
    return added;
  }

  onAppend(listener: (records: R[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A function giving `build(records)`, rebuilt only after an append. */
  view<T>(build: (oldestFirst: readonly R[]) => T): () => T {
    let builtAt = -1;
    let built: T;
    return () => {
      if (builtAt !== this.#records.length) {
        built = build(this.#records);
        builtAt = this.#records.length;
      }
      return built;
    };
  }

  /** Appends one message every `intervalMs` until `stop`; 0 does nothing. */
  start(intervalMs: number): void {
    this.stop();
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => this.append(1), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
