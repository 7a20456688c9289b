/**
 * `npm run bench`: the benchmark ladder L0–L4 for every vendor, measured in one run on loopback.
 *
 *   npm run bench                  # full run (≈10 min on 2 cores)
 *   npm run bench -- --quick       # ≈1–2 min smoke run: short windows, no soak, a short profile
 *   npm run bench -- --minutes 5   # soak length for the RSS check (default 1; 0 skips it)
 *   npm run bench -- --no-profile  # skip the --cpu-prof pass over L4
 *   npm run bench -- --peers       # add the peer rungs: GraphQL Mesh over the same emulators (peers.ts)
 *
 * Processes: the emulators (precomputed answers) in one child, each rung L1–L4 in its own child,
 * and the load generator (autocannon for saturation, `open-load.ts` for fixed-rate latency) here.
 * Results: `bench/results.json` (the previous one moved to `bench/previous.json`) and the tables
 * between the markers in `BENCHMARKS.md`.
 */

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { closeApp, createApp } from '../../src/app.js';
import { encodeNodeId } from '../../src/ids.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import { createSources, type SourceConfig } from '../../src/sources/index.js';
import { DAY_MS, dayOfMs, type WeizhipinWireRecord } from '../../src/sources/weizhipin/sandbox/data.js';
import { WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY, WeizhipinSource } from '../../src/sources/weizhipin/source.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { compileRungProcess } from './compiled.js';
import { type Child, spawnChild } from './ipc.js';
import { type OpenLoadRequest, type OpenLoadResult, openLoad } from './open-load.js';
import { installPeers, MESH_PROCESS, type PeerVendor, peerRecords, peerRequest, peerSetup } from './peers.js';
import { type ProfileSummary, summarizeProfile } from './profile.js';
import { renderReport } from './report.js';
import type { PlannedCall, Rung, RungSetup } from './rung-process.js';
import { conversationNodeId, directHeaders, pageQuery, VENDORS } from './vendors.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
    vendors: { type: 'string' },
    peers: { type: 'boolean', default: false },
  },
});
const quick = values.quick === true;
const SETTINGS = {
  quick,
  warmupSeconds: quick ? 1 : 2,
  /**
   * And at least this many requests, for at most `warmupMaxSeconds` more: a rung that serves a few
   * hundred a second on a busy machine is still compiling its hot paths after a couple of seconds
   * (L4 goes first, on a fresh process), while a peer serving a handful would take minutes.
   */
  warmupRequests: 2000,
  warmupMaxSeconds: 20,
  saturationSeconds: quick ? 2 : 8,
  rateSeconds: quick ? 2 : 8,
  /**
   * A frontend at normal traffic: requests that arrive alone. CPU per query here against the
   * saturated figure is the fixed cost of a lone request (issue #15's target: ≤ 1.5×).
   */
  lowRate: 20,
  connections: 32,
  soakMinutes: Number(values.minutes ?? (quick ? 0 : 1)),
  profileSeconds: values['no-profile'] ? 0 : quick ? 3 : 5,
  first: 50,
  walkFirst: 100,
  peers: values.peers === true,
};
const vendors = values.vendors ? (values.vendors.split(',') as Vendor[]) : VENDORS;
const CURSOR_SECRET = 'chatgraph-bench-cursor-secret';
/** Identical queries sent at once to see whether they share their vendor calls. */
const CONCURRENT = 16;
const ROOT = new URL('../../', import.meta.url);
/**
 * The peers: GraphQL Mesh's JSON-schema source served lean (`Mesh`: the source's schema in
 * graphql-yoga) and as Mesh deploys it (`MeshGw`: composed, served by Hive Gateway).
 */
const PEERS = { Mesh: [], MeshGw: ['--gateway'] } as const;
type Peer = keyof typeof PEERS;
/** A rung measured by the ladder: the emulator, a served rung, or a peer. */
export type Measured = 'L0' | Rung | Peer;
type Served = Rung | Peer;
const PEER_RUNGS: Peer[] = SETTINGS.peers ? ['Mesh', 'MeshGw'] : [];
const RUNGS: Measured[] = ['L0', 'L1', 'L2', 'L3', 'L4', 'L4s', 'Lf', ...PEER_RUNGS];
const SERVED: Rung[] = ['L1', 'L2', 'L3', 'L4', 'L4s', 'Lf'];
/** Node flags of every served rung: those `npm start` and `bin/chatgraph.js` give (source maps aside). */
const SERVER_FLAGS: string[] = [];

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export interface RungResult {
  /** Requests per second at saturation (closed model, `connections` connections). */
  rps: number;
  /** For L0: vendor calls per second divided by the query's vendor calls (query equivalents). */
  queryRps: number;
  saturation: { p50: number; p99: number; errors: number; non2xx: number; requests: number };
  /** Fixed-rate latency, open model (see open-load.ts). For L0: per vendor call. */
  fixedRate: OpenLoadResult | null;
  /** Latency at `lowRate` (open model); for L0 per vendor call. */
  lowRate: OpenLoadResult | null;
  /**
   * CPU time of the rung's process (user + system) per query, ms: at saturation, at the fixed
   * rate, and at the low rate. For L0: per query equivalent (its calls per query together).
   */
  cpuMsPerQuery: { saturated: number; fixedRate: number; lowRate: number };
  /** Peak RSS of the rung's process during its runs, bytes. */
  rssPeak: number;
}

export interface VendorResult {
  /** The L4 query's vendor calls with nothing shared across operations (what L1–L3 replay). */
  plan: { coldCalls: number; warmCalls: number; calls: string[] };
  /** The same query's calls as shipped, warm: only what the page cache does not hold. */
  shippedWarmCalls: number;
  /**
   * Vendor calls of `CONCURRENT` identical queries sent at once, per query: equal to `warmCalls`
   * when nothing is shared between operations, `warmCalls / CONCURRENT` when in-flight calls are.
   */
  underLoadCallsPerQuery: number;
  rungs: Partial<Record<Measured, RungResult>>;
  walk: {
    messages: number;
    pages: number;
    vendorCalls: number;
    /** One call per vendor page; null for weizhipin, which reads whole day windows (see `walk`). */
    minimumCalls: number | null;
    wallMs: number;
    emulatorReplayMs: number;
    gatewayShare: number;
  } | null;
}

export interface BenchResults {
  meta: Record<string, unknown>;
  vendors: Partial<Record<Vendor, VendorResult>>;
  sparse: {
    latencyMs: number;
    windows: number;
    coldMs: number;
    /** Median of the warm runs (token and connections ready, no page kept). */
    warmMs: number;
    warmRunsMs: number[];
    /** The same query once the page cache holds the past days (only today is read). */
    cachedMs: number;
    depth: number;
    calls: number;
  } | null;
  soak: {
    minutes: number;
    /** [ms since the start, RSS] every 2 s. */
    samples: Array<[number, number]>;
    /** Median RSS of the first third after warm-up. */
    base: number;
    max: number;
    /** Median RSS of the last third. */
    end: number;
    /** (end − base) / base. */
    drift: number;
  } | null;
  profile: ProfileSummary | null;
}

// ---------------------------------------------------------------------------------------------

interface Target {
  origin: string;
  requests: OpenLoadRequest[];
}

function graphqlRequest(vendor: Vendor, first = SETTINGS.first, after?: string): OpenLoadRequest {
  return {
    method: 'POST',
    path: '/graphql',
    // The CSRF header only to be explicit: a JSON POST is not a request a form could send anyway.
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
    body: JSON.stringify({
      query: pageQuery(vendor, first),
      variables: { id: conversationNodeId(vendor), after },
    }),
  };
}

async function saturate(target: Target, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.origin,
    connections: SETTINGS.connections,
    duration: seconds,
    requests: target.requests.map((r) => ({
      method: r.method,
      path: r.path,
      headers: r.headers,
      body: r.body,
    })),
  });
}

interface Measurement<T> {
  result: T;
  rssPeak: number;
  /** The child's CPU time (user + system) while `work` ran, ms. */
  cpuMs: number;
}

/** Samples a child's RSS every half second while `work` runs (the peak), and its CPU time. */
async function withRss<T>(child: Child, work: () => Promise<T>): Promise<Measurement<T>> {
  let peak = await child.call<number>('rss');
  const cpuBefore = await child.call<number>('cpu');
  let running = true;
  const sampler = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      peak = Math.max(peak, await child.call<number>('rss').catch(() => 0));
    }
  })();
  try {
    const result = await work();
    const cpuMs = ((await child.call<number>('cpu')) - cpuBefore) / 1000;
    return { result, rssPeak: peak, cpuMs };
  } finally {
    running = false;
    await sampler;
  }
}

// --- vendor-call plans, the 5,000-message walk and the sparse weizhipin chat (in this process) ---

interface GraphqlPage {
  data?: {
    conversation: {
      messages: {
        edges: Array<{ cursor: string }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
  };
  errors?: unknown[];
}

async function recordPlans(
  emulators: Child,
  sources: SourceConfig[],
  results: BenchResults,
): Promise<RungSetup> {
  const logger = silentLogger();
  // Plans come from L4 as the ladder runs it (nothing shared across operations); sharing, the
  // page cache and the walks from the API as shipped.
  const isolated = createApp({
    sources: createSources(sources, { logger }),
    cursorSecret: CURSOR_SECRET,
    logger,
    sharePages: false,
  });
  const app = createApp({ sources: createSources(sources, { logger }), cursorSecret: CURSOR_SECRET, logger });
  const querying =
    (yoga: ReturnType<typeof createChatgraphYoga>) =>
    async (request: OpenLoadRequest): Promise<GraphqlPage> => {
      const response = await yoga.fetch(`http://bench${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      return (await response.json()) as GraphqlPage;
    };
  const isolatedQuery = querying(createChatgraphYoga(isolated, { graphiql: false }));
  const query = querying(createChatgraphYoga(app, { graphiql: false }));
  const plans: Partial<Record<Vendor, PlannedCall[]>> = {};
  const count = async (vendor: Vendor) =>
    (await emulators.call<Record<string, number>>('counts'))[vendor] as number;
  try {
    for (const vendor of vendors) {
      await emulators.call('reset');
      const cold = await isolatedQuery(graphqlRequest(vendor));
      const edges = cold.data?.conversation.messages.edges.length;
      if (cold.errors || edges !== SETTINGS.first)
        throw new Error(`${vendor}: bad L4 answer ${JSON.stringify(cold).slice(0, 500)}`);
      const coldCalls = await count(vendor);
      await emulators.call('reset');
      await isolatedQuery(graphqlRequest(vendor));
      const warmCalls = await count(vendor);
      const recent = await emulators.call<PlannedCall[]>('recent', vendor);
      plans[vendor] = recent;
      await query(graphqlRequest(vendor));
      await emulators.call('reset');
      await query(graphqlRequest(vendor));
      const shippedWarmCalls = await count(vendor);
      await emulators.call('reset');
      // Sharing in flight, not the page cache, is what this counts: a cache-less app.
      const fresh = createApp({
        sources: createSources(sources, { logger }),
        cursorSecret: CURSOR_SECRET,
        logger,
        policy: { pageCacheTtlMs: 0 },
      });
      const freshQuery = querying(createChatgraphYoga(fresh, { graphiql: false }));
      await Promise.all(Array.from({ length: CONCURRENT }, () => freshQuery(graphqlRequest(vendor))));
      await closeApp(fresh);
      const concurrentCalls = await count(vendor);
      results.vendors[vendor] = {
        plan: {
          coldCalls,
          warmCalls,
          calls: recent.map((c) => `${c.method} ${c.path}${c.body ? ` ${JSON.stringify(c.body)}` : ''}`),
        },
        shippedWarmCalls,
        underLoadCallsPerQuery: concurrentCalls / CONCURRENT,
        rungs: {},
        walk: null,
      };
      log(`${vendor}: ${warmCalls} vendor calls per query (cold ${coldCalls})`);
    }
    const shipped = () => {
      const fresh = createApp({
        sources: createSources(sources, { logger }),
        cursorSecret: CURSOR_SECRET,
        logger,
      });
      return {
        query: querying(createChatgraphYoga(fresh, { graphiql: false })),
        close: () => closeApp(fresh),
      };
    };
    for (const vendor of vendors) {
      (results.vendors[vendor] as VendorResult).walk = await walk(vendor, shipped, emulators, sources);
    }
  } finally {
    await closeApp(app);
    await closeApp(isolated);
  }
  return { sources, plans, first: SETTINGS.first, cursorSecret: CURSOR_SECRET };
}

async function walk(
  vendor: Vendor,
  shipped: () => { query: (request: OpenLoadRequest) => Promise<GraphqlPage>; close: () => Promise<void> },
  emulators: Child,
  sources: SourceConfig[],
): Promise<VendorResult['walk']> {
  // Each walk on an API as shipped with nothing kept yet: the page cache must not have the pages
  // of the warm-up walk.
  const once = async () => {
    const { query, close } = shipped();
    let after: string | undefined;
    let messages = 0;
    let pages = 0;
    const started = performance.now();
    for (;;) {
      const page = await query(graphqlRequest(vendor, SETTINGS.walkFirst, after));
      if (page.errors || !page.data) throw new Error(`${vendor} walk: ${JSON.stringify(page.errors)}`);
      const { edges, pageInfo } = page.data.conversation.messages;
      messages += edges.length;
      pages++;
      if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
      after = pageInfo.endCursor;
    }
    const ms = performance.now() - started;
    await close();
    return { messages, pages, ms };
  };
  await once(); // warms the JIT and the emulator's stored answers
  await emulators.call('reset');
  const measured = await once();
  // A fresh source fetches weizhipin's tenant token first: not a page.
  const calls = (await emulators.call<PlannedCall[]>('recent', vendor)).filter(
    (call) => !call.path.includes('tenant_access_token'),
  );
  const vendorCalls = calls.length;
  // The same vendor calls, one after another, straight from here: the emulator's share of the walk.
  const config = sources.find((s) => s.vendor === vendor) as SourceConfig;
  const auth = await directHeaders(config);
  const pool = new Pool(config.baseUrl, { connections: 1 });
  const replay = async () => {
    const started = performance.now();
    for (const call of calls) {
      const { body } = await pool.request({
        method: call.method as 'GET' | 'POST',
        path: call.path,
        headers: call.body === undefined ? auth : { 'content-type': 'application/json', ...auth },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      await body.text();
    }
    return performance.now() - started;
  };
  await replay();
  const emulatorReplayMs = await replay();
  await pool.close();
  const pageSize = (config as unknown as { pageSize: number }).pageSize;
  log(
    `${vendor} walk: ${measured.messages} messages, ${vendorCalls} calls, ${measured.ms.toFixed(0)} ms (replay ${emulatorReplayMs.toFixed(0)} ms)`,
  );
  return {
    messages: measured.messages,
    pages: measured.pages,
    vendorCalls,
    // One call per vendor page; WeChat Shop and AIRUDDER end a list with a short page (an empty
    // one when the count is a multiple), myscrm with an empty next_cursor. Weizhipin reads whole
    // day windows: its minimum is derived from the data in test/bench/vendor-calls.test.ts.
    minimumCalls:
      vendor === 'WEIZHIPIN'
        ? null
        : vendor === 'MYSCRM'
          ? Math.ceil(measured.messages / pageSize)
          : Math.floor(measured.messages / pageSize) + 1,
    wallMs: measured.ms,
    emulatorReplayMs,
    gatewayShare: 1 - emulatorReplayMs / measured.ms,
  };
}

/** The issue's sparse case: 3 messages in 90 days, 20 ms per vendor call, `first: 20`. */
async function sparseWeizhipin(emulators: Child): Promise<BenchResults['sparse']> {
  const latencyMs = 20;
  const anchorDay = dayOfMs(Date.now());
  const record = (ms: number, id: string): WeizhipinWireRecord => ({
    message_id: id,
    root_id: null,
    parent_id: null,
    msg_type: 'text',
    create_time: String(ms),
    update_time: String(ms),
    deleted: false,
    updated: false,
    chat_id: null,
    sender: { id: 'ou_bench', id_type: 'open_id', sender_type: 'user', tenant_key: 'tk' },
    body: { content: JSON.stringify({ text: id }) },
    mentions: [],
    upper_message_id: null,
  });
  const chat = [
    record((anchorDay - 89) * DAY_MS + 3_600_000, 'sparse-1~'),
    record((anchorDay - 45) * DAY_MS + 7_200_000, 'sparse-2~'),
    record((anchorDay - 2) * DAY_MS + 10_800_000, 'sparse-3~'),
  ];
  const baseUrl = await emulators.call<string>('startSparse', { chat, latencyMs });
  const logger = silentLogger();
  const source = new WeizhipinSource(
    {
      vendor: 'WEIZHIPIN',
      name: 'weizhipin',
      baseUrl,
      appId: 'bench',
      appSecret: 'bench-secret',
      lookbackDays: 90,
      windowConcurrency: WEIZHIPIN_DEFAULT_WINDOW_CONCURRENCY,
      pageSize: 50,
    },
    { logger },
  );
  // Measured with the page cache off: the target is about reading the 91 windows, not reusing them.
  const app = createApp({
    sources: [source],
    cursorSecret: CURSOR_SECRET,
    logger,
    policy: { pageCacheTtlMs: 0 },
  });
  const cachedApp = createApp({ sources: [source], cursorSecret: CURSOR_SECRET, logger });
  const id = encodeNodeId({ kind: 'Conversation', source: 'weizhipin', conversation: 'open_id:ou_sparse' });
  const run = async (yoga = createChatgraphYoga(app, { graphiql: false })) => {
    await emulators.call('sparseReset');
    const started = performance.now();
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: pageQuery('WEIZHIPIN', 20), variables: { id } }),
    });
    const body = (await response.json()) as GraphqlPage;
    const ms = performance.now() - started;
    if (body.errors || body.data?.conversation.messages.edges.length !== 3)
      throw new Error(`sparse: ${JSON.stringify(body)}`);
    return ms;
  };
  try {
    const coldMs = await run();
    const warmRunsMs: number[] = [];
    for (let i = 0; i < 7; i++) warmRunsMs.push(await run());
    const { depth, calls } = await emulators.call<{ depth: number; calls: number }>('sparseStats');
    const cachedYoga = createChatgraphYoga(cachedApp, { graphiql: false });
    await run(cachedYoga);
    const cachedMs = await run(cachedYoga);
    const result = {
      latencyMs,
      windows: 91,
      coldMs,
      warmMs: [...warmRunsMs].sort((a, b) => a - b)[3] as number,
      warmRunsMs,
      cachedMs,
      depth,
      calls,
    };
    log(
      `sparse weizhipin: ${result.warmMs.toFixed(0)} ms warm, depth ${result.depth}, ${result.calls} calls`,
    );
    return result;
  } finally {
    await closeApp(app);
  }
}

// --- the ladder ----------------------------------------------------------------------------------

function targetOf(
  rung: Measured,
  vendor: Vendor,
  setup: RungSetup,
  ports: Map<Served, number>,
  auth: Record<string, string>,
  peers: PeerVendor[] = [],
): Target {
  if (rung === 'L0') {
    const config = setup.sources.find((s) => s.vendor === vendor) as SourceConfig;
    return {
      origin: config.baseUrl,
      requests: (setup.plans[vendor] ?? []).map((call) => ({
        method: call.method as 'GET' | 'POST',
        path: call.path,
        headers: call.body === undefined ? auth : { 'content-type': 'application/json', ...auth },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      })),
    };
  }
  const origin = `http://127.0.0.1:${ports.get(rung)}`;
  if (rung === 'L4' || rung === 'L4s') return { origin, requests: [graphqlRequest(vendor)] };
  // The floor makes the vendor's planned calls, then answers L4's request.
  if (rung === 'Lf') return { origin, requests: [{ ...graphqlRequest(vendor), path: `/${vendor}` }] };
  if (rung === 'Mesh' || rung === 'MeshGw') {
    const peer = peers.find((p) => p.vendor === vendor);
    if (!peer) throw new Error(`no peer set up for ${vendor}`);
    return { origin, requests: [peerRequest(peer)] };
  }
  return { origin, requests: [{ method: 'POST', path: `/${vendor}` }] };
}

async function measureVendor(
  vendor: Vendor,
  setup: RungSetup,
  children: Map<Measured, Child>,
  ports: Map<Served, number>,
  result: VendorResult,
  peers: PeerVendor[],
): Promise<void> {
  const config = setup.sources.find((s) => s.vendor === vendor) as SourceConfig;
  const auth = await directHeaders(config);
  const callsPerQuery = result.plan.warmCalls;
  const saturation = new Map<Measured, Measurement<autocannon.Result>>();
  const run = async (rung: Measured) => {
    const target = targetOf(rung, vendor, setup, ports, auth, peers);
    const child = children.get(rung) as Child;
    // In 2 s rounds, so that a rung that speeds up as it warms is not held to its cold rate.
    let warmed = (await saturate(target, SETTINGS.warmupSeconds)).requests.total;
    for (let extra = 0; warmed < SETTINGS.warmupRequests && extra < SETTINGS.warmupMaxSeconds; extra += 2)
      warmed += (await saturate(target, 2)).requests.total;
    const measured = await withRss(child, () => saturate(target, SETTINGS.saturationSeconds));
    saturation.set(rung, measured);
    const rps = measured.result.requests.total / measured.result.duration;
    log(
      `${vendor} ${rung}: ${rps.toFixed(0)} req/s, errors ${measured.result.errors}, non2xx ${measured.result.non2xx}`,
    );
  };
  // L4 first: its maximum sets the fixed rate of every rung.
  await run('L4');
  const l4 = saturation.get('L4')?.result as autocannon.Result;
  const rate = Math.max(1, Math.floor((0.5 * l4.requests.total) / l4.duration));
  for (const rung of RUNGS) if (rung !== 'L4') await run(rung);
  for (const rung of RUNGS) {
    const target = targetOf(rung, vendor, setup, ports, auth, peers);
    const child = children.get(rung) as Child;
    // L0's requests are vendor calls: its rates and CPU are per query equivalent.
    const perQuery = rung === 'L0' ? Math.max(1, callsPerQuery) : 1;
    const atRate = (perSecond: number) =>
      withRss(child, () =>
        openLoad({
          origin: target.origin,
          requests: target.requests,
          rate: perSecond * perQuery,
          durationMs: SETTINGS.rateSeconds * 1000,
        }),
      );
    const fixed = await atRate(rate);
    const low = await atRate(SETTINGS.lowRate);
    const sat = saturation.get(rung) as Measurement<autocannon.Result>;
    const res = sat.result;
    const rps = res.requests.total / res.duration;
    const cpuPerQuery = (m: Measurement<unknown>, requests: number) =>
      (m.cpuMs * perQuery) / Math.max(1, requests);
    result.rungs[rung] = {
      rps,
      queryRps: rung === 'L0' ? rps / Math.max(1, callsPerQuery) : rps,
      saturation: {
        p50: res.latency.p50,
        p99: res.latency.p99,
        errors: res.errors + res.timeouts,
        non2xx: res.non2xx,
        requests: res.requests.total,
      },
      fixedRate: fixed.result,
      lowRate: low.result,
      cpuMsPerQuery: {
        // autocannon counts the requests it finished; the CPU window also holds the few it cut off.
        saturated: cpuPerQuery(sat, res.requests.total),
        fixedRate: cpuPerQuery(fixed, fixed.result.sent),
        lowRate: cpuPerQuery(low, low.result.sent),
      },
      rssPeak: Math.max(sat.rssPeak, fixed.rssPeak, low.rssPeak),
    };
    const cpu = (result.rungs[rung] as RungResult).cpuMsPerQuery;
    log(
      `${vendor} ${rung} @${fixed.result.rate}/s: p50 ${fixed.result.p50.toFixed(2)} ms, p99 ${fixed.result.p99.toFixed(2)} ms; CPU ms/query ${cpu.saturated.toFixed(2)} saturated, ${cpu.fixedRate.toFixed(2)} @${rate}/s, ${cpu.lowRate.toFixed(2)} @${SETTINGS.lowRate}/s`,
    );
  }
}

const median = (values: number[]): number =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function soak(child: Child, port: number, results: BenchResults): Promise<void> {
  const l4 = vendors.map((v) => results.vendors[v]?.rungs.L4?.rps ?? 0);
  const rate = Math.max(1, Math.floor((0.5 * l4.reduce((a, b) => a + b, 0)) / l4.length));
  const durationMs = SETTINGS.soakMinutes * 60_000;
  const samples: Array<[number, number]> = [];
  const started = performance.now();
  let running = true;
  const sampler = (async () => {
    while (running) {
      samples.push([Math.round(performance.now() - started), await child.call<number>('rss')]);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  })();
  log(`soak: L4 at ${rate}/s over all vendors for ${SETTINGS.soakMinutes} min`);
  await openLoad({
    origin: `http://127.0.0.1:${port}`,
    requests: vendors.map((v) => graphqlRequest(v)),
    rate,
    durationMs,
  });
  running = false;
  await sampler;
  // The first fifth is warm-up (heap growth to its working size). Flat means the median of the
  // last third within ±10% of the first third's: RSS saws up and down by ~15% with V8's
  // collections, so a single sample (the peak against the first) measures where the saw stood.
  const settled = samples.filter(([t]) => t >= durationMs / 5).map(([, rss]) => rss);
  const third = Math.max(1, Math.floor(settled.length / 3));
  const base = median(settled.slice(0, third));
  const max = Math.max(...settled);
  const end = median(settled.slice(-third));
  results.soak = { minutes: SETTINGS.soakMinutes, samples, base, max, end, drift: (end - base) / base };
  log(
    `soak: RSS ${(base / 2 ** 20).toFixed(0)} → ${(end / 2 ** 20).toFixed(0)} MiB (max ${(max / 2 ** 20).toFixed(0)})`,
  );
}

async function profileL4(rungProcess: string, setup: RungSetup, results: BenchResults): Promise<void> {
  const dir = new URL('bench/profiles/', ROOT).pathname;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = await spawnChild(
    rungProcess,
    [...SERVER_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dir}`],
    ['--rung', 'L4'],
  );
  const port = await child.call<number>('start', setup);
  for (const vendor of vendors) {
    const target = targetOf('L4', vendor, setup, new Map([['L4', port]]), {});
    await saturate(target, SETTINGS.profileSeconds);
  }
  await child.stop();
  // A worker thread (a loader's, were one running) writes a profile of its own: the main thread's
  // is the largest by far; the others are dropped.
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(`${dir}${b}`).size - statSync(`${dir}${a}`).size);
  if (!files[0]) throw new Error('no profile written');
  renameSync(`${dir}${files[0]}`, `${dir}l4.cpuprofile`);
  for (const extra of files.slice(1)) rmSync(`${dir}${extra}`);
  results.profile = summarizeProfile(`${dir}l4.cpuprofile`, [
    'parse',
    'validate',
    'execute',
    'stringify',
    'parseWire',
    'fetchPage',
    'normalizeWechatStoreMessage',
    'normalizeAirudderMessage',
    'normalizeWeizhipinMessage',
    'normalizeMyscrmMessage',
    'pageMessages',
    'cursorFor',
    'encodeNodeId',
  ]);
  log(
    `profile: ${results.profile.layers
      .slice(0, 5)
      .map((l) => `${l.layer} ${(l.share * 100).toFixed(0)}%`)
      .join(', ')}`,
  );
}

/** Starts the peers over the emulators and checks that each answers the page before measuring it. */
async function startPeers(
  setup: RungSetup,
  children: Map<Measured, Child>,
  ports: Map<Served, number>,
): Promise<PeerVendor[]> {
  installPeers(log);
  const peers = await peerSetup(setup, vendors);
  for (const rung of PEER_RUNGS) {
    const child = await spawnChild(MESH_PROCESS, SERVER_FLAGS, [...PEERS[rung]]);
    children.set(rung, child);
    const port = await child.call<number>('start', { vendors: peers });
    ports.set(rung, port);
    for (const peer of peers) {
      const request = peerRequest(peer);
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      const records = peerRecords(await response.json());
      if (typeof records !== 'number' || records < setup.first)
        throw new Error(`${peer.vendor}: bad ${rung} answer ${records}`);
      log(`${peer.vendor} ${rung}: ${records} records from ${setup.plans[peer.vendor]?.length} vendor calls`);
    }
  }
  return peers;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date();
  const results: BenchResults = {
    meta: {
      date: startedAt.toISOString(),
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadavgAtStart: loadavg().map((n) => Number(n.toFixed(2))),
      settings: SETTINGS,
      vendors,
    },
    vendors: {},
    sparse: null,
    soak: null,
    profile: null,
  };
  // The rungs run compiled, as shipped; the emulators (the vendors' side) stay under tsx.
  const rungProcess = await compileRungProcess();
  const emulators = await spawnChild('./emulator-process.ts');
  const children = new Map<Measured, Child>([['L0', emulators]]);
  try {
    const sources = await emulators.call<SourceConfig[]>('sources');
    const setup = await recordPlans(emulators, sources, results);
    if (vendors.includes('WEIZHIPIN')) results.sparse = await sparseWeizhipin(emulators);

    const ports = new Map<Served, number>();
    for (const rung of SERVED) {
      const child = await spawnChild(rungProcess, SERVER_FLAGS, ['--rung', rung]);
      children.set(rung, child);
      ports.set(rung, await child.call<number>('start', setup));
    }
    const peers = SETTINGS.peers ? await startPeers(setup, children, ports) : [];
    for (const vendor of vendors) {
      await measureVendor(vendor, setup, children, ports, results.vendors[vendor] as VendorResult, peers);
    }
    results.meta.loadavgAtEnd = loadavg().map((n) => Number(n.toFixed(2)));
    // The soak runs the API as shipped: its page cache is what could grow.
    if (SETTINGS.soakMinutes > 0)
      await soak(children.get('L4s') as Child, ports.get('L4s') as number, results);
    for (const rung of [...SERVED, ...PEER_RUNGS]) await children.get(rung)?.stop();
    if (SETTINGS.profileSeconds > 0) await profileL4(rungProcess, setup, results);
  } finally {
    for (const child of children.values()) if (child.process.exitCode === null) await child.stop();
  }
  results.meta.minutes = Number(((Date.now() - startedAt.getTime()) / 60_000).toFixed(1));

  const dir = new URL('bench/', ROOT).pathname;
  mkdirSync(dir, { recursive: true });
  const current = `${dir}results.json`;
  if (existsSync(current)) renameSync(current, `${dir}previous.json`);
  writeFileSync(current, `${JSON.stringify(results, null, 2)}\n`);
  const previous = existsSync(`${dir}previous.json`)
    ? (JSON.parse(readFileSync(`${dir}previous.json`, 'utf8')) as BenchResults)
    : null;
  const tables = renderReport(results, previous);
  const mdPath = new URL('BENCHMARKS.md', ROOT).pathname;
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const from = md.indexOf(begin);
  const to = md.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${md.slice(0, from + begin.length)}\n${tables}\n${md.slice(to)}`
      : `${md}\n${begin}\n${tables}\n${end}\n`;
  writeFileSync(mdPath, next);
  log(`wrote bench/results.json and the tables in BENCHMARKS.md (${results.meta.minutes} min)`);
  process.stdout.write(`${tables}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
