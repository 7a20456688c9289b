/**
 * `npm run soak`: concurrent clients page through every sandbox conversation for a few minutes
 * against the API over loopback HTTP, with vendor faults on. It checks that memory stays flat and
 * that every error is one the faults explain, and writes the numbers to `soak/results.json`.
 *
 *   npm run soak -- --minutes 3 --clients 8 --faults "error=0.04,429=0.03,hang=0.005,..."
 *
 * Loopback only, bounded in time; exits non-zero when an unexplained error appeared or RSS grew
 * by more than 10% between the first and the last minute.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { composeChatgraph } from '../src/compose.js';
import { VENDOR_FAULT_CODES } from '../src/errors.js';
import { encodeNodeId } from '../src/ids.js';
import { silentLogger } from '../src/logger.js';
import { parseFaults } from '../src/sandbox/faults.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { listen } from '../src/server.js';

const DEFAULT_FAULTS =
  'jitter=2,error=0.04,429=0.03,retryAfter=0.05,hang=0.005,malformed=0.02,truncated=0.02,wrongType=0.02,seed=7';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    faults: { type: 'string', default: DEFAULT_FAULTS },
    out: { type: 'string', default: 'soak/results.json' },
  },
});
const minutes = Math.min(30, Number(values.minutes));
const clients = Math.min(64, Number(values.clients));

const PAGE = `query Page($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  conversation(id: $id) {
    messages(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id sentAt kind text sender { role } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

async function main(): Promise<void> {
  const chatgraph = await composeChatgraph({
    sandbox: { faults: parseFaults(values.faults) },
    configure: (configs) =>
      configs.map((config) => ({
        ...config,
        http: { headersTimeoutMs: 500, bodyTimeoutMs: 500, retryMinDelayMs: 5, retryMaxDelayMs: 100 },
      })),
    logger: silentLogger(),
    cursorSecret: 'soak-cursor-secret-0123456789',
    policy: { requestTimeoutMs: 5_000 },
  });
  const sandbox = chatgraph.sandbox as Sandbox;
  const { server, url } = await listen(chatgraph.yoga, 0, '127.0.0.1');
  const conversations = sandbox.conversations.map((c) =>
    encodeNodeId({ kind: 'Conversation', source: c.source, conversation: c.externalId }),
  );

  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const rss: Array<{ atSeconds: number; mb: number }> = [];
  let requests = 0;
  let unexplained = 0;
  const started = Date.now();
  const until = started + minutes * 60_000;
  const sampler = setInterval(() => {
    rss.push({
      atSeconds: Math.round((Date.now() - started) / 1000),
      mb: Math.round(process.memoryUsage().rss / 1e5) / 10,
    });
  }, 5_000);

  const client = async (seed: number) => {
    let n = seed;
    while (Date.now() < until) {
      n = (n * 1103515245 + 12345) % 2 ** 31;
      const id = conversations[n % conversations.length] as string;
      const size = 10 + (n % 91);
      const forward = n % 3 !== 0;
      let cursor: string | undefined;
      for (let page = 0; page < 5 && Date.now() < until; page++) {
        const variables = forward ? { id, first: size, after: cursor } : { id, last: size, before: cursor };
        const t0 = performance.now();
        const response = await request(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: PAGE, variables }),
        });
        const body = (await response.body.json()) as {
          data?: { conversation: { messages: { pageInfo: Record<string, unknown> } } | null };
          errors?: Array<{ extensions?: { code?: string } }>;
        };
        latencies.push(performance.now() - t0);
        requests++;
        if (body.errors?.length) {
          for (const error of body.errors) {
            const code = error.extensions?.code ?? 'NONE';
            errors.set(code, (errors.get(code) ?? 0) + 1);
            if (!VENDOR_FAULT_CODES.has(code)) unexplained++;
          }
          continue; // retry the same page, as a client would
        }
        const info = body.data?.conversation?.messages.pageInfo;
        const more = forward ? info?.hasNextPage : info?.hasPreviousPage;
        if (!more) break;
        cursor = (forward ? info?.endCursor : info?.startCursor) as string | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i + 1)));
  clearInterval(sampler);

  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 10) / 10;
  const firstMinute = rss.filter((s) => s.atSeconds <= 60).map((s) => s.mb);
  const lastMinute = rss.filter((s) => s.atSeconds >= minutes * 60 - 60).map((s) => s.mb);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const growth = mean(lastMinute) / Math.max(1, mean(firstMinute)) - 1;
  const vendorCalls = [...sandbox.emulators.values()].reduce((sum, e) => sum + e.calls.count, 0);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    minutes,
    clients,
    faults: values.faults,
    requests,
    requestsPerSecond: Math.round(requests / (minutes * 60)),
    vendorCalls,
    errorsByCode: Object.fromEntries([...errors].sort()),
    unexplainedErrors: unexplained,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
    rssMb: {
      start: rss[0]?.mb ?? null,
      end: rss.at(-1)?.mb ?? null,
      growthFirstToLastMinute: Math.round(growth * 1000) / 1000,
    },
  };
  mkdirSync(new URL('../soak/', import.meta.url), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

  server.close();
  await chatgraph.close();
  process.exit(unexplained > 0 || growth > 0.1 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
