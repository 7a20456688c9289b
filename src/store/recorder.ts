/**
 * Records what passes through reads, off the read's path: messages are queued and written in
 * batches (one transaction each, one at a time), so a GraphQL page never waits on the store.
 * A write that fails is logged and counted, never thrown at the reader; `flush` waits for
 * everything queued so far (tests, shutdown, and an archive walk about to read the store).
 */
import type { Logger } from '../logger.js';
import type { Message } from '../model/index.js';
import { conversationKey } from './conversation-key.js';
import { type ConversationActivity, PREVIEW_LENGTH, type Store } from './store.js';

export interface RecorderOptions {
  /** Write when this many messages are queued... */
  batchSize?: number;
  /** ...or this long after the first was. */
  delayMs?: number;
  /** Past this many queued messages, new ones are dropped (and counted) until writes catch up. */
  maxQueued?: number;
}

/** A flag a message may carry: compliance rule hits (`complianceFlags`), named by rule. */
interface Flagged {
  complianceFlags?: Array<{ ruleName?: string | null; ruleId?: string | null }>;
}

export class Recorder {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #delayMs: number;
  readonly #maxQueued: number;
  #conversations = new Map<string, ConversationActivity>();
  #messages: Message[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  /** Messages dropped because the queue was full; write failures. */
  dropped = 0;
  failures = 0;
  /** Batches written that touched conversations: the listing's version (see `changed`). */
  #version = 0;
  readonly #waiters = new Set<() => void>();

  constructor(store: Store, log: Logger, options: RecorderOptions = {}) {
    this.#store = store;
    this.#log = log;
    this.#batchSize = options.batchSize ?? 1_000;
    this.#delayMs = options.delayMs ?? 50;
    this.#maxQueued = options.maxQueued ?? 200_000;
  }

  /** Messages a read returned: their conversations' activity always, the messages if `archive`. */
  seen(messages: Message[], archive: boolean): void {
    if (messages.length === 0) return;
    for (const message of messages) this.#activity(message);
    if (archive) {
      if (this.#messages.length + messages.length > this.#maxQueued) {
        this.dropped += messages.length;
        this.#log.warn({ dropped: messages.length }, 'store: archive queue full, messages not kept');
      } else this.#messages.push(...messages);
    }
    this.#schedule();
  }

  /** A conversation a vendor listing showed (no messages). */
  listed(activity: ConversationActivity): void {
    this.#merge(activity);
    this.#schedule();
  }

  /** How many writes so far changed the conversations listed (activity, previews, titles). */
  get version(): number {
    return this.#version;
  }

  /**
   * Resolves with `version` once it is above `after` (at once if it already is), or when `signal`
   * aborts: what a page following the listing waits on, instead of polling it.
   */
  changed(after: number, signal: AbortSignal): Promise<number> {
    if (this.#version > after || signal.aborted) return Promise.resolve(this.#version);
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(check);
        signal.removeEventListener('abort', done);
        resolve(this.#version);
      };
      const check = () => {
        if (this.#version > after) done();
      };
      this.#waiters.add(check);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Resolves when everything queued so far is written (or has failed and been logged). */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#write();
    await this.#writing;
  }

  #activity(message: Message): void {
    const flags = ((message as Flagged).complianceFlags ?? []).map(
      (flag) => flag.ruleName ?? flag.ruleId ?? 'unnamed rule',
    );
    const name = message.sender.displayName ?? message.sender.externalId;
    this.#merge({
      source: message.source,
      vendor: message.vendor,
      externalId: message.conversation,
      lastActivityAt: message.sentAt,
      lastMessageId: message.externalId,
      preview: message.text === null ? null : message.text.slice(0, PREVIEW_LENGTH),
      participants: name && message.sender.role !== 'SYSTEM' ? [name] : [],
      flags,
      title: null,
    });
  }

  #merge(next: ConversationActivity): void {
    const key = conversationKey(next.source, next.externalId);
    const current = this.#conversations.get(key);
    if (!current) {
      this.#conversations.set(key, { ...next, participants: [...next.participants], flags: [...next.flags] });
      return;
    }
    if (next.lastActivityAt >= current.lastActivityAt && next.lastMessageId !== null) {
      current.lastActivityAt = next.lastActivityAt;
      current.lastMessageId = next.lastMessageId;
      current.preview = next.preview;
    } else if (next.lastActivityAt > current.lastActivityAt) current.lastActivityAt = next.lastActivityAt;
    for (const name of next.participants)
      if (!current.participants.includes(name)) current.participants.push(name);
    for (const flag of next.flags) if (!current.flags.includes(flag)) current.flags.push(flag);
    current.title = next.title ?? current.title;
  }

  #schedule(): void {
    if (this.#messages.length >= this.#batchSize) {
      this.#write();
      return;
    }
    if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#write();
      }, this.#delayMs);
      this.#timer.unref();
    }
  }

  /** Takes what is queued and chains its write after the previous one. */
  #write(): void {
    if (this.#conversations.size === 0 && this.#messages.length === 0) return;
    const conversations = [...this.#conversations.values()];
    const messages = this.#messages;
    this.#conversations = new Map();
    this.#messages = [];
    this.#writing = this.#writing.then(() =>
      this.#store.record(conversations, messages).then(
        () => {
          if (conversations.length === 0) return;
          this.#version++;
          for (const check of [...this.#waiters]) check();
        },
        (error: unknown) => {
          this.failures++;
          this.#log.error(
            { err: error, conversations: conversations.length, messages: messages.length },
            'store: recording failed',
          );
        },
      ),
    );
  }
}
