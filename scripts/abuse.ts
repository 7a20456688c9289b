/**
 * `npm run abuse`: hostile clients against a running server, on loopback, in a few minutes.
 *
 * Starts the server (`scripts/abuse-server.ts`: the sandbox behind the API as shipped, in its own
 * process) and replays, one attack after another: the seven findings of issue 12 (finding 1 nine
 * times, an alias changed each time, as it was found), then 1,000 distinct generated hostile
 * documents (`test/security/hostile.ts`). Per attack it writes the answers (HTTP status and error
 * codes), the server's CPU time and peak heap per request (over IPC), its RSS, and the latency of
 * a probe query (the example client's page of five messages) sent in a loop meanwhile.
 * Writes a Markdown table on stdout (for BENCHMARKS.md, "Hostile clients") and JSON with `--json`.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { encodeNodeId } from '../src/ids.js';
import {
  FINDINGS,
  type HostileRequest,
  hostileRequest,
  MESSAGE,
  nestedAbstract,
  ROOM,
} from '../test/security/hostile.js';
import type { Usage } from './abuse-server.js';
import { spawnChild } from './bench/ipc.js';

/** The whole run stops here, whatever is left. */
const TIME_LIMIT_MS = 4 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const GENERATED = 1_000;
const startedAt = performance.now();

const child = await spawnChild('../abuse-server.ts', ['--max-old-space-size=2048']);
const { url, conversations } = await child.call<{
  url: string;
  conversations: Array<{ source: string; externalId: string }>;
}>('ready');
if (!new URL(url).hostname.startsWith('127.')) throw new Error(`Not loopback: ${url}`);
const usage = () => child.call<Usage>('usage');

async function send(
  request: HostileRequest,
  signal?: AbortSignal,
): Promise<{ status: number; codes: string[] }> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const init: RequestInit = request.get
    ? { headers: { accept: 'application/json' } }
    : {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: request.query, variables: request.variables }),
      };
  try {
    const response = await fetch(
      request.get ? `${url}/graphql?query=${encodeURIComponent(request.query)}` : `${url}/graphql`,
      { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout },
    );
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    return {
      status: response.status,
      codes: [...new Set((body.errors ?? []).map((e) => String(e.extensions?.code)))],
    };
  } catch (error) {
    return { status: 0, codes: [(error as Error).name] };
  }
}

/**
 * The probe: what a well-behaved client asks meanwhile, of another vendor than the attacks' (so
 * that the attacks' vendor calls can be counted apart).
 */
const PROBE = `query($id: ID!) { conversation(id: $id) { messages(first: 5) { edges { cursor node { id sentAt text } } } } }`;
const probed = conversations.find((c) => c.source === 'airudder');
if (!probed) throw new Error('The sandbox has no airudder conversation to probe.');
const PROBE_ID = encodeNodeId({
  kind: 'Conversation',
  source: probed.source,
  conversation: probed.externalId,
});
const attacked = (usage: Usage) => usage.vendorCalls.WECHAT_STORE ?? 0;
async function probeLoop(stop: AbortSignal, latencies: number[], failures: { count: number }): Promise<void> {
  while (!stop.aborted) {
    const started = performance.now();
    const answer = await send({ kind: 'probe', query: PROBE, variables: { id: PROBE_ID } });
    if (answer.status !== 200 || answer.codes.length > 0) failures.count++;
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

interface AttackResult {
  attack: string;
  requests: number;
  answers: string;
  cpuMsPerRequestMax: number;
  cpuMsPerRequestMedian: number;
  /** The most CPU a request cost that was refused (answered 4xx, or with QUERY_TOO_COMPLEX). */
  cpuMsPerRefusedMax: number;
  peakHeapMbOverBaseline: number;
  peakRssMb: number;
  probes: number;
  probeFailures: number;
  probeP50Ms: number;
  probeP99Ms: number;
  vendorCalls: number;
  compilations: number;
  uncompiled: number;
  compiledEntries: number;
  note?: string;
}

/** Runs `requests` one after another while the probe runs; measures each request's CPU and heap. */
async function attack(
  name: string,
  requests: HostileRequest[],
  run: (request: HostileRequest) => Promise<{ status: number; codes: string[]; note?: string }> = (r) =>
    send(r),
): Promise<AttackResult> {
  const first = await usage();
  const stop = new AbortController();
  const latencies: number[] = [];
  const failures = { count: 0 };
  const probing = probeLoop(stop.signal, latencies, failures);
  const cpu: number[] = [];
  const refusedCpu: number[] = [];
  let heapOver = 0;
  const answers = new Map<string, number>();
  let note: string | undefined;
  for (const request of requests) {
    if (performance.now() - startedAt > TIME_LIMIT_MS) break;
    const before = await usage();
    const answer = await run(request);
    const after = await usage();
    note = answer.note ?? note;
    const ms = (after.cpuMicros - before.cpuMicros) / 1_000;
    cpu.push(ms);
    if ((answer.status >= 400 && answer.status < 500) || answer.codes.includes('QUERY_TOO_COMPLEX')) {
      refusedCpu.push(ms);
    }
    heapOver = Math.max(heapOver, after.peakHeapBytes - before.heapBytes);
    const key = `${answer.status} ${answer.codes.join('+') || 'data'}`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
  }
  // Let the probe see the server after the attack too (and alone, for the baseline).
  await new Promise((resolve) => setTimeout(resolve, requests.length === 0 ? 3_000 : 200));
  stop.abort();
  await probing;
  const last = await usage();
  return {
    attack: name,
    requests: cpu.length,
    answers: [...answers].map(([key, count]) => `${count}× ${key}`).join(', '),
    cpuMsPerRequestMax: Math.max(...cpu),
    cpuMsPerRequestMedian: percentile(cpu, 50),
    cpuMsPerRefusedMax: refusedCpu.length > 0 ? Math.max(...refusedCpu) : Number.NaN,
    peakHeapMbOverBaseline: heapOver / 1e6,
    peakRssMb: last.peakRssBytes / 1e6,
    probes: latencies.length,
    probeFailures: failures.count,
    probeP50Ms: percentile(latencies, 50),
    probeP99Ms: percentile(latencies, 99),
    vendorCalls: attacked(last) - attacked(first),
    compilations: last.compilations - first.compilations,
    uncompiled: last.uncompiled - first.uncompiled,
    compiledEntries: last.compiledEntries,
    note,
  };
}

// A real message id, so that finding 1 resolves what it asks for.
const page = await fetch(`${url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: PROBE, variables: { id: ROOM } }),
});
const messageId: string =
  (
    (await page.json()) as {
      data: { conversation: { messages: { edges: Array<{ node: { id: string } }> } } };
    }
  ).data.conversation.messages.edges[0]?.node.id ?? MESSAGE;
const withMessage = (request: HostileRequest): HostileRequest =>
  request.variables?.id === MESSAGE
    ? { ...request, variables: { ...request.variables, id: messageId } }
    : request;

// Warm up: the probe's document compiled, the code paths of the API hot.
for (let n = 0; n < 20; n++) await send({ kind: 'probe', query: PROBE, variables: { id: PROBE_ID } });

const results: AttackResult[] = [];
results.push(await attack('baseline: probe alone', []));
for (const finding of FINDINGS) {
  if (finding.kind.startsWith('1 ')) {
    const nine = Array.from({ length: 9 }, (_, n) =>
      withMessage({ ...finding, query: nestedAbstract(3, `a${n}`) }),
    );
    results.push(await attack(finding.kind, nine));
  } else if (finding.kind.startsWith('5 ')) {
    // The client leaves after 150 ms: count the vendor calls made after that.
    results.push(
      await attack(finding.kind, [finding], async (request) => {
        const client = new AbortController();
        const answering = send(request, client.signal);
        await new Promise((resolve) => setTimeout(resolve, 150));
        const atDisconnect = attacked(await usage());
        client.abort();
        const answer = await answering;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const after = attacked(await usage());
        return { ...answer, note: `${after - atDisconnect} vendor calls after the disconnect` };
      }),
    );
  } else {
    results.push(await attack(finding.kind, [finding]));
  }
}

const seen = new Set<string>();
const generated: HostileRequest[] = [];
for (const request of fc.sample(hostileRequest(), { numRuns: GENERATED * 3, seed: 12 })) {
  if (generated.length >= GENERATED) break;
  // A document and its variables: `_entities` sends one document with many representations.
  const key = JSON.stringify([request.query, request.variables ?? null]);
  if (seen.has(key)) continue;
  seen.add(key);
  generated.push(withMessage(request));
}
const byKind = new Map<string, HostileRequest[]>();
for (const request of generated) byKind.set(request.kind, [...(byKind.get(request.kind) ?? []), request]);
for (const [kind, requests] of byKind) results.push(await attack(`generated: ${kind}`, requests));

await child.stop();

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const lines = [
  '| Attack | Requests | Answers (count× status code) | Server CPU ms per request: max (median) | Max CPU ms of a refused request | Peak heap growth MB | Probe p50 / p99 ms (probes, failed) | Vendor calls | Compiled / uncompiled |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.attack}${r.note ? ` (${r.note})` : ''} | ${r.requests} | ${r.answers || '–'} | ${fmt(r.cpuMsPerRequestMax)} (${fmt(r.cpuMsPerRequestMedian)}) | ${fmt(r.cpuMsPerRefusedMax)} | ${fmt(r.peakHeapMbOverBaseline)} | ${fmt(r.probeP50Ms)} / ${fmt(r.probeP99Ms)} (${r.probes}, ${r.probeFailures}) | ${r.vendorCalls} | ${r.compilations} / ${r.uncompiled} |`,
  ),
  '',
  `Server peak RSS over the run: ${fmt(Math.max(...results.map((r) => r.peakRssMb)), 0)} MB; compiled documents kept at the end: ${results.at(-1)?.compiledEntries}. Run time: ${fmt((performance.now() - startedAt) / 1000, 0)} s.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
