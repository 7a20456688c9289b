/**
 * Live conversations across replicas, through Redis: wake-ups reach every replica (a webhook that
 * one replica receives, a poll that found messages), and a lease per watched conversation lets one
 * replica poll it on a timer while the others only read when woken. The lease is renewed at each
 * poll and expires on its own when its holder dies, so another replica takes over. A source's
 * change feed has a lease of its own, and its position is kept here for the next holder.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Logger } from '../logger.js';

/**
 * ioredis is required when a transport is made, not imported with this module, so a process
 * without Redis (the default) never loads it. With kysely kept out the same way, that took the
 * API's modules from 116 to 100 MiB of RSS and 37 to 29 MiB of heap that every full collection
 * marks (BENCHMARKS.md). It ships CommonJS.
 */
const require = createRequire(import.meta.url);

export interface WakeMessage {
  source: string;
  conversation: string;
  /** The replica that sent it (it has read already). */
  from: string;
  /** Set when the vendor reported the session ended (a callback one replica received). */
  ended?: SessionEndReport;
}

/** A vendor's report that a conversation's session ended. */
export interface SessionEndReport {
  /** The vendor's event name, as given. */
  event: string | null;
  /** When chatgraph received the report (epoch ms). */
  at: number;
}

/** What the hub needs of a cluster; `null` in the hub means one process. */
export interface LiveTransport {
  readonly replica: string;
  /** Tells the other replicas to read a conversation now (and that its session ended). */
  publish(source: string, conversation: string, ended?: SessionEndReport): void;
  /**
   * Listens to the other replicas' wake-ups; settles once this replica receives them, or once
   * subscribing failed (logged). A wake-up published before that is not seen here, which costs a
   * message one poll's delay.
   */
  onWake(listener: (message: WakeMessage) => void): Promise<void>;
  /** Takes or renews the lease for `ttlMs`; true when this replica holds it. */
  lease(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /** A value the replicas share (a change feed's position), or null when none is kept. */
  load(key: string): Promise<string | null>;
  /** Keeps a shared value for `ttlMs` from now. */
  save(key: string, value: string, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

const TOPIC = 'chatgraph:live:wake';
/** Redis keys of leases: this prefix, then `leaseKey`. */
export const LEASE_PREFIX = 'chatgraph:live:lease:';
/** Redis keys of shared values (`LiveTransport.save`): this prefix, then the key. */
export const VALUE_PREFIX = 'chatgraph:live:value:';

/** The lease key of a watched conversation. */
export const leaseKey = (source: string, conversation: string): string =>
  JSON.stringify([source, conversation]);

/** Renews the lease if this replica holds it, else takes it if nobody does. */
const LEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
elseif redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0`;
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/**
 * A wake-up is a hint (a lost one delays a message by one poll), so Redis failing to carry one is
 * logged, never thrown: publishing is fire-and-forget, and a promise nobody awaits must not reject.
 * What arrives on the topic is read leniently: anything but a wake-up of another replica is ignored.
 */
export function createRedisTransport(url: string, logger?: Logger): LiveTransport {
  const { Redis } = require('ioredis') as typeof import('ioredis');
  const replica = randomUUID();
  // Subscribing takes a connection of its own; publishing and leases share the other.
  const publishClient = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const failed = (operation: string) => (error: unknown) =>
    logger?.warn(
      { operation, code: (error as { code?: unknown }).code ?? (error as Error).name },
      'live: redis failed',
    );
  const listeners: Array<(message: WakeMessage) => void> = [];
  let subscribed: Promise<void> | undefined;
  subscribeClient.on('message', (channel: string, text: string) => {
    if (channel !== TOPIC) return;
    const message = wakeMessage(text);
    if (!message || message.from === replica) return;
    for (const listener of listeners) listener(message);
  });
  return {
    replica,
    publish(source, conversation, ended) {
      const detail: WakeMessage = { source, conversation, from: replica, ...(ended ? { ended } : {}) };
      publishClient.publish(TOPIC, JSON.stringify(detail)).catch(failed('publish'));
    },
    onWake(listener) {
      listeners.push(listener);
      subscribed ??= subscribeClient.subscribe(TOPIC).then(() => {}, failed('subscribe'));
      return subscribed;
    },
    async lease(key, ttlMs) {
      const held = await publishClient.eval(
        LEASE_SCRIPT,
        1,
        LEASE_PREFIX + key,
        replica,
        String(Math.ceil(ttlMs)),
      );
      return held === 1;
    },
    async release(key) {
      await publishClient.eval(RELEASE_SCRIPT, 1, LEASE_PREFIX + key, replica);
    },
    load(key) {
      return publishClient.get(VALUE_PREFIX + key);
    },
    async save(key, value, ttlMs) {
      await publishClient.set(VALUE_PREFIX + key, value, 'PX', Math.ceil(ttlMs));
    },
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

/** A wake-up as another replica wrote it; null for anything else on the topic. */
function wakeMessage(text: string): WakeMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const message = value as Partial<WakeMessage> | null;
  if (
    typeof message?.source !== 'string' ||
    typeof message.conversation !== 'string' ||
    typeof message.from !== 'string'
  ) {
    return null;
  }
  const ended = message.ended as Partial<SessionEndReport> | undefined;
  const report =
    ended && typeof ended.at === 'number' && (typeof ended.event === 'string' || ended.event === null)
      ? { ended: { event: ended.event, at: ended.at } }
      : {};
  return { source: message.source, conversation: message.conversation, from: message.from, ...report };
}
