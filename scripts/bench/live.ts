/**
 * `npm run bench:live`: live conversations on loopback.
 * - Delivery latency, from a message appended at the emulator to its edge read by an SSE client
 *   over HTTP: by polling alone (a fixed interval), and by AIRUDDER's callbacks (no poll due).
 * - Memory per idle subscriber: heap and RSS growth for 10,000 SSE subscriptions to one
 *   conversation (in-process `yoga.fetch`, so sockets are not counted), after a forced GC.
 *
 *   node --expose-gc --import tsx scripts/bench/live.ts [--messages 200] [--idle 10000] [--only idle]
 */

import { parseArgs } from 'node:util';
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

async function idleMemory(env: Awaited<ReturnType<typeof setup>>) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const streams: Array<ReadableStreamDefaultReader<Uint8Array>> = [];
  const open = async () => {
    const response = await env.yoga.fetch('http://chatgraph.bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: QUERY, variables: { id: env.id } }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the stream's opening comment: the subscription is set up
    streams.push(reader);
  };
  await open();
  while (liveHub(env.app).watched === 0) await sleep(5);
  await sleep(200);
  gc();
  gc();
  const before = process.memoryUsage();
  for (let i = 1; i < IDLE; i += 100)
    await Promise.all(Array.from({ length: Math.min(100, IDLE - i) }, open));
  await sleep(500);
  gc();
  gc();
  const after = process.memoryUsage();
  const subscriptions = liveHub(env.app).subscriptions;
  if (subscriptions !== IDLE) {
    const { value } = await (streams.at(-1) as ReadableStreamDefaultReader<Uint8Array>).read();
    throw new Error(`only ${subscriptions} of ${IDLE} subscribed: ${new TextDecoder().decode(value)}`);
  }
  for (const reader of streams) await reader.cancel().catch(() => {});
  return {
    subscribers: subscriptions,
    heapBytesPerSubscriber: Math.round((after.heapUsed - before.heapUsed) / (IDLE - 1)),
    rssBytesPerSubscriber: Math.round((after.rss - before.rss) / (IDLE - 1)),
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
  results.idle = await idleMemory(env);
  await env.close();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
