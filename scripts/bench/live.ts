/**
 * `npm run bench:live`: live conversations on loopback.
 * - Delivery latency, from a message appended at the emulator to its edge read by an SSE client
 *   over HTTP: by polling alone (a fixed interval), and by AIRUDDER's callbacks (no poll due).
 * - Memory per idle subscriber: heap and RSS growth from 5,000 to 10,000 SSE subscriptions to one
 *   conversation (in-process `yoga.fetch`, so sockets are not counted), settled (see `idleMemory`).
 *
 *   node --expose-gc --import tsx scripts/bench/live.ts [--messages 200] [--idle 10000] [--only idle]
 *     [--snapshots DIR]   # heap snapshots at each idle sample, for scripts/bench/heap-diff.ts
 */

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { composeChatgraph } from '../../src/compose.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { listen } from '../../src/server.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    idle: { type: 'string' },
    interval: { type: 'string' },
    /** One part only: `polling`, `webhooks` or `idle`. */
    only: { type: 'string' },
    /** Write a V8 heap snapshot at each idle sample into this directory (for `heap-diff.ts`). */
    snapshots: { type: 'string' },
  },
});
const MESSAGES = Number(values.messages ?? 200);
const IDLE = Number(values.idle ?? 10_000);
const POLL_MS = Number(values.interval ?? 500);
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
const QUERY = 'subscription ($id: ID!) { messageAdded(conversationId: $id) { cursor node { externalId } } }';

const log = (line: string) => process.stderr.write(`[bench:live] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

async function setup(vendor: Vendor, live: { minIntervalMs: number; maxIntervalMs: number }) {
  const source = sandboxSourceName(vendor);
  const chatgraph = await composeChatgraph({
    sandbox: { vendors: [vendor] },
    cursorSecret: 'chatgraph-bench-cursor-secret',
    logger: silentLogger(),
    policy: {
      live: {
        ...live,
        maxSubscriptions: IDLE + 10,
        maxSubscriptionsPerClient: IDLE + 10,
        bufferSize: 10_000,
      },
      webhooks: { [source]: { secret: WEBHOOK_SECRET } },
    },
    yoga: { graphiql: false },
  });
  const { app, yoga } = chatgraph;
  const sandbox = chatgraph.sandbox as Sandbox;
  const { server, url } = await listen(yoga, 0, '127.0.0.1');
  const feed = sandbox.live?.get(vendor) as LiveFeed;
  const id = encodeNodeId({ kind: 'Conversation', source, conversation: feed.externalId });
  return {
    sandbox,
    app,
    yoga,
    url,
    feed,
    id,
    source,
    /** Calls the emulator has answered so far. */
    vendorCalls: () => sandbox.emulators.get(vendor)?.calls.count ?? 0,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await chatgraph.close();
    },
  };
}

/** Appends MESSAGES messages at irregular moments; returns each one's latency to the SSE client. */
async function latency(
  env: Awaited<ReturnType<typeof setup>>,
  idOf: (record: unknown) => string,
  gapMs: number,
) {
  const response = await fetch(`${env.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: QUERY, variables: { id: env.id } }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  const reading = (async () => {
    let buffered = '';
    while (latencies.length < MESSAGES) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffered += value;
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (!data) continue;
        const externalId = JSON.parse(data).data?.messageAdded?.node?.externalId as string;
        const at = appendedAt.get(externalId);
        if (at !== undefined) latencies.push(performance.now() - at);
      }
    }
    await reader.cancel();
  })();
  // Let the subscription join and its poller read the conversation's end first.
  while (liveHub(env.app).watched === 0) await sleep(5);
  await sleep(POLL_MS * 2);
  for (let i = 0; i < MESSAGES; i++) {
    const [record] = env.feed.append(1);
    appendedAt.set(idOf(record), performance.now());
    await sleep(gapMs * (0.5 + Math.random()));
  }
  await reading;
  latencies.sort((a, b) => a - b);
  return {
    messages: latencies.length,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies.at(-1) as number),
  };
}

/**
 * The heap once garbage is gone: full collections, with a turn of the event loop between them
 * (weak references, finalizers and aborted signals are only let go of on a later turn), until two
 * rounds agree within 64 KB.
 */
async function settledMemory(gc: () => void): Promise<NodeJS.MemoryUsage> {
  let last = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    await sleep(20);
    const { heapUsed } = process.memoryUsage();
    if (Math.abs(heapUsed - last) < 64 * 1024) break;
    last = heapUsed;
  }
  return process.memoryUsage();
}

/**
 * Memory per idle subscriber: the growth of heap (and RSS) from IDLE/2 to IDLE subscribers, so
 * what the process, the watch, its first reads and V8's code cost once is left out (paid by the
 * first tenth, `warm`). Each stream is read as a server would (a pending read that takes the
 * pings), and each sample waits until every subscriber has joined (the emulator has answered
 * their first reads) and settles the heap. `fresh`: the second half just set up; `aged`: the same
 * once every operation's deadline (`requestTimeoutMs`) has passed, as for a subscriber that stays
 * for hours.
 */
async function idleMemory(env: Awaited<ReturnType<typeof setup>>, requestTimeoutMs: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const readers: Array<ReadableStreamDefaultReader<Uint8Array>> = [];
  let failure: string | null = null;
  const drain = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // Only pings (`:`) are expected; anything else is a subscription that failed.
      const text = new TextDecoder().decode(value);
      if (!text.startsWith(':')) failure ??= text;
    }
  };
  const open = async () => {
    const response = await env.yoga.fetch('http://chatgraph.bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: QUERY, variables: { id: env.id } }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the stream's opening comment: the subscription is set up
    readers.push(reader);
    void drain(reader).catch(() => {});
  };
  const openUpTo = async (count: number) => {
    while (readers.length < count)
      await Promise.all(Array.from({ length: Math.min(100, count - readers.length) }, open));
    // Every subscriber without `after` reads the conversation's newest cursor before it joins:
    // wait until the emulator has answered them all (its call count stops moving).
    for (let calls = -1; calls !== env.vendorCalls(); ) {
      calls = env.vendorCalls();
      await sleep(200);
    }
    if (failure) throw new Error(`a subscription failed: ${failure}`);
    const subscriptions = liveHub(env.app).subscriptions;
    if (subscriptions !== count) throw new Error(`${subscriptions} of ${count} subscribed`);
  };
  const samples: Sample[] = [];
  const sample = async (label: string) => {
    const { heapUsed, rss } = await settledMemory(gc);
    const taken = { label, subscribers: readers.length, heapUsed, rss };
    if (values.snapshots)
      writeHeapSnapshot(
        join(values.snapshots, `${label.replace(/\W+/g, '-')}-${readers.length}.heapsnapshot`),
      );
    samples.push(taken);
    log(`${label}, ${readers.length} subscribers: heap ${mb(heapUsed)}, RSS ${mb(rss)}`);
    return taken;
  };
  const age = async () => {
    log(`waiting ${requestTimeoutMs + 2_000} ms, past every operation's deadline`);
    await sleep(requestTimeoutMs + 2_000);
  };
  // Warm: the watch, its first reads, V8's code and the emulator's call log are paid here.
  await openUpTo(Math.round(IDLE / 10));
  await sample('warm');
  await openUpTo(Math.round(IDLE / 2));
  await age();
  const half = await sample('half, aged');
  await openUpTo(IDLE);
  const fresh = await sample('full, fresh');
  await age();
  const aged = await sample('full, aged');
  for (const reader of readers) await reader.cancel().catch(() => {});
  return {
    subscribers: readers.length,
    /** The second half's subscribers just set up (the first half aged in both samples). */
    fresh: perSubscriber(half, fresh),
    /** The second half's subscribers once their deadlines have passed: the steady cost. */
    aged: perSubscriber(half, aged),
    samples,
  };
}

interface Sample {
  label: string;
  subscribers: number;
  heapUsed: number;
  rss: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Bytes per subscriber between two samples. */
function perSubscriber(from: Sample, to: Sample) {
  const count = to.subscribers - from.subscribers;
  return {
    heapBytesPerSubscriber: Math.round((to.heapUsed - from.heapUsed) / count),
    rssBytesPerSubscriber: Math.round((to.rss - from.rss) / count),
  };
}

const results: Record<string, unknown> = { pollIntervalMs: POLL_MS, messages: MESSAGES };

const runs = (part: string) => values.only === undefined || values.only === part;

if (runs('polling')) {
  log(`polling every ${POLL_MS} ms (WECHAT_STORE), ${MESSAGES} messages`);
  const env = await setup('WECHAT_STORE', { minIntervalMs: POLL_MS, maxIntervalMs: POLL_MS });
  results.polling = await latency(env, (record) => (record as { msg_id: string }).msg_id, 97);
  await env.close();
}
if (runs('webhooks')) {
  log(`webhooks (AIRUDDER, no poll due), ${MESSAGES} messages`);
  const env = await setup('AIRUDDER', { minIntervalMs: 600_000, maxIntervalMs: 600_000 });
  env.feed.connectWebhook(`${env.url}/webhooks/${env.source}`, WEBHOOK_SECRET);
  results.webhooks = await latency(env, (record) => (record as { msg_id: string }).msg_id, 47);
  await env.close();
}
if (runs('idle')) {
  log(`${IDLE} idle subscribers`);
  const env = await setup('WECHAT_STORE', { minIntervalMs: 600_000, maxIntervalMs: 600_000 });
  results.idle = await idleMemory(env, env.app.policy.requestTimeoutMs);
  await env.close();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
