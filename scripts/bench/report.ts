/** The generated part of BENCHMARKS.md: the tables of one run, and the targets checked against it. */
import type { Vendor } from '../../src/model/index.js';
import type { BenchResults, RungResult, VendorResult } from './index.js';

const RUNGS = ['L0', 'L1', 'L2', 'L3', 'L4', 'L4s', 'Lf', 'Mesh', 'MeshGw'] as const;
const RUNG_NAMES: Record<(typeof RUNGS)[number], string> = {
  L0: 'L0 emulator',
  L1: 'L1 byte proxy',
  L2: 'L2 + JSON parse/stringify',
  L3: 'L3 + zod + normalize (REST BFF)',
  L4: 'L4 GraphQL API',
  L4s: 'L4 as shipped (pages shared)',
  Lf: "the stack's floor: L2's calls, then a bare Yoga answering from memory",
  Mesh: 'peer: GraphQL Mesh JSON-schema source in graphql-yoga',
  MeshGw: 'peer: GraphQL Mesh composed, on Hive Gateway',
};

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)}`;
const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(2);
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const pass = (ok: boolean) => (ok ? 'met' : '**not met**');

function vendorTable(
  vendor: Vendor,
  result: VendorResult,
  previous: VendorResult | undefined,
  lowRate: number | undefined,
): string[] {
  const l2 = result.rungs.L2;
  const rate = result.rungs.L4?.fixedRate?.rate ?? 0;
  const lines = [
    `### ${vendor}`,
    '',
    `Vendor calls per query, L1–L4: **${result.plan.warmCalls}** (first query of the process: ${result.plan.coldCalls}); as shipped, warm: ${result.shippedWarmCalls} (the rest from settled pages kept), and ${result.underLoadCallsPerQuery.toFixed(2)} per query when 16 identical queries are sent at once with no page kept. Fixed rate: ${rate} req/s (half of L4's maximum).`,
    '',
    `| rung | req/s at saturation | × L2 | p50 @ fixed rate (ms) | p99 @ fixed rate (ms) | p99 − L2 p99 (ms) | CPU ms/query: saturated / fixed rate / ${lowRate} req/s | peak RSS (MiB) | errors | previous run req/s |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const rung of RUNGS) {
    const r = result.rungs[rung] as RungResult | undefined;
    if (!r) continue;
    const ratio = l2 ? r.queryRps / l2.queryRps : Number.NaN;
    const addedP99 = r.fixedRate && l2?.fixedRate ? r.fixedRate.p99 - l2.fixedRate.p99 : Number.NaN;
    const errors =
      r.saturation.errors + r.saturation.non2xx + (r.fixedRate?.errors ?? 0) + (r.lowRate?.errors ?? 0);
    const c = r.cpuMsPerQuery;
    const cpu = c ? `${ms(c.saturated)} / ${ms(c.fixedRate)} / ${ms(c.lowRate)}` : '–';
    const prev = previous?.rungs[rung]?.queryRps;
    const rps = rung === 'L0' ? `${int(r.queryRps)} (${int(r.rps)} calls/s)` : int(r.rps);
    const latency = rung === 'L0' ? ' (per call)' : '';
    lines.push(
      `| ${RUNG_NAMES[rung]} | ${rps} | ${ratio.toFixed(2)} | ${ms(r.fixedRate?.p50)}${latency} | ${ms(r.fixedRate?.p99)}${latency} | ${rung === 'L0' ? '–' : ms(addedP99)} | ${cpu} | ${mib(r.rssPeak)} | ${errors} | ${prev === undefined ? '–' : int(prev)} |`,
    );
  }
  lines.push('');
  return lines;
}

export function renderReport(results: BenchResults, previous: BenchResults | null): string {
  const meta = results.meta;
  const lowRate = (meta.settings as { lowRate?: number } | undefined)?.lowRate;
  const out: string[] = [
    `Run of ${String(meta.date)} — Node ${String(meta.node)}, ${String(meta.cpus)}, ${String(meta.memoryGiB)} GiB; load average ${JSON.stringify(meta.loadavgAtStart)} at start, ${JSON.stringify(meta.loadavgAtEnd)} after the ladder (other processes share these cores). ${meta.settings && (meta.settings as { quick: boolean }).quick ? '**Quick run** (short windows: indicative only).' : ''} Whole run: ${String(meta.minutes)} min.`,
    '',
    "Saturation: autocannon, 32 connections, closed model. Fixed rate: open model at half of L4's maximum, latency from each request's intended send time (coordinated omission corrected; see `scripts/bench/open-load.ts`). L0 rows are per query equivalent (vendor calls/s ÷ calls per query); their latency is per vendor call. L4 shares no vendor page across operations, so it makes the calls L1–L3 make; L4s is the API as shipped, whose 32 identical concurrent requests share calls in flight and read settled pages from the page cache (its ratio is not a layer cost). Lf, the stack's floor, makes L2's calls and parses them, then answers L4's query with a bare Yoga (graphql-jit, no plugin, no resolver) from the page's answer kept in memory: no normalizing, ids, cursors or limits, so its ratio is the most any GraphQL API of this schema on graphql-yoga could reach (`scripts/bench/floor.ts`).",
    '',
  ];
  for (const [vendor, result] of Object.entries(results.vendors) as Array<[Vendor, VendorResult]>) {
    out.push(...vendorTable(vendor, result, previous?.vendors[vendor], lowRate));
  }

  out.push('### Walking `sandbox-long` with `first: 100`', '');
  out.push(
    '| vendor | messages | pages | vendor calls | one call per vendor page would be | walk (ms) | same calls replayed directly (ms) | gateway share |',
  );
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const [vendor, result] of Object.entries(results.vendors) as Array<[Vendor, VendorResult]>) {
    const w = result.walk;
    if (!w) continue;
    out.push(
      `| ${vendor} | ${int(w.messages)} | ${w.pages} | ${w.vendorCalls} | ${w.minimumCalls === null || Number.isNaN(w.minimumCalls) ? 'each day window read whole once (`test/bench/vendor-calls.test.ts`)' : w.minimumCalls} | ${w.wallMs.toFixed(0)} | ${w.emulatorReplayMs.toFixed(0)} | ${(w.gatewayShare * 100).toFixed(0)}% |`,
    );
  }
  out.push('');

  if (results.sparse) {
    const s = results.sparse;
    out.push(
      '### Sparse weizhipin chat',
      '',
      `3 messages in 90 days (${s.windows} day windows), ${s.latencyMs} ms per emulator call, \`first: 20\`, page cache off: **${s.warmMs.toFixed(0)} ms** warm, the median of ${s.warmRunsMs.length} runs (${(s.warmMs / s.latencyMs).toFixed(1)}× one call; target ≤ 3×; runs ${Math.min(...s.warmRunsMs).toFixed(0)}–${Math.max(...s.warmRunsMs).toFixed(0)} ms), ${s.coldMs.toFixed(0)} ms with the token call and new connections; ${s.calls} vendor calls, ${s.depth} sequential round trips. With the default page cache holding the past days, the same query reads only today's window: ${s.cachedMs.toFixed(0)} ms.`,
      '',
    );
  }

  if (results.soak) {
    const s = results.soak;
    out.push(
      '### RSS soak',
      '',
      `The API as shipped (L4s) at half of L4's mean maximum, over all vendors, for ${s.minutes} min, RSS sampled every 2 s: median ${mib(s.base)} MiB in the first third after warm-up, ${mib(s.end)} MiB in the last third (drift ${(s.drift * 100).toFixed(1)}%; target ±10%), peak ${mib(s.max)} MiB.`,
      '',
    );
  }

  if (results.profile) {
    const p = results.profile;
    out.push("### Where L4's time goes (`--cpu-prof`, all vendors saturated in turn)", '');
    out.push('| layer (self time) | share |', '|---|--:|');
    for (const layer of p.layers.slice(0, 14))
      out.push(`| ${layer.layer} | ${(layer.share * 100).toFixed(1)}% |`);
    out.push('', '| function (inclusive) | share |', '|---|--:|');
    for (const f of p.inclusive) out.push(`| \`${f.name}\` | ${(f.share * 100).toFixed(1)}% |`);
    out.push('', '| hottest functions (self) | where | share |', '|---|---|--:|');
    for (const f of p.functions.slice(0, 15))
      out.push(`| \`${f.name}\` | ${f.where} | ${(f.share * 100).toFixed(1)}% |`);
    out.push('');
  }

  out.push('### Targets', '', '| target | vendor | measured | |', '|---|---|---|---|');
  for (const [vendor, result] of Object.entries(results.vendors) as Array<[Vendor, VendorResult]>) {
    const { L2: l2, L4: l4 } = result.rungs;
    if (l2 && l4) {
      const ratio = l4.rps / l2.rps;
      out.push(`| L4 ≥ 0.6 × L2 | ${vendor} | ${ratio.toFixed(2)} | ${pass(ratio >= 0.6)} |`);
      const floor = result.rungs.Lf;
      if (floor) {
        const best = floor.rps / l2.rps;
        out.push(
          `| (no target) the stack's floor Lf ≥ 0.6 × L2: what any API of this schema on Yoga could reach | ${vendor} | ${best.toFixed(2)} | ${best >= 0.6 ? 'reachable' : '**beyond the stack**'} |`,
        );
      }
      const c = l4.cpuMsPerQuery;
      if (c) {
        const lone = c.lowRate / c.saturated;
        out.push(
          `| L4 CPU per query at ${lowRate} req/s ≤ 1.5 × saturated | ${vendor} | ${lone.toFixed(2)}× (${ms(c.lowRate)} / ${ms(c.saturated)} ms) | ${pass(lone <= 1.5)} |`,
        );
      }
      if (l2.fixedRate && l4.fixedRate) {
        const added = l4.fixedRate.p99 - l2.fixedRate.p99;
        out.push(`| p99 added over L2 ≤ 5 ms | ${vendor} | ${added.toFixed(2)} ms | ${pass(added <= 5)} |`);
      }
    }
    for (const peer of ['Mesh', 'MeshGw'] as const) {
      const mesh = result.rungs[peer];
      if (!l4 || !mesh) continue;
      const ratio = l4.rps / mesh.rps;
      out.push(
        `| L4 ≥ 5 × ${RUNG_NAMES[peer].slice(6)} | ${vendor} | ${ratio.toFixed(2)} | ${pass(ratio >= 5)} |`,
      );
    }
    const shared = result.underLoadCallsPerQuery < result.plan.warmCalls * 0.9;
    out.push(
      `| identical concurrent queries share vendor calls | ${vendor} | ${result.underLoadCallsPerQuery.toFixed(2)} calls/query for 16 at once vs ${result.plan.warmCalls} alone | ${pass(shared)} |`,
    );
  }
  if (results.sparse) {
    const s = results.sparse;
    out.push(
      `| sparse 90-day chat ≤ 3 × call latency | WEIZHIPIN | ${(s.warmMs / s.latencyMs).toFixed(1)}× | ${pass(s.warmMs <= 3 * s.latencyMs)} |`,
    );
  }
  if (results.soak) {
    out.push(
      `| RSS flat ±10% | all | ${(results.soak.drift * 100).toFixed(1)}% over ${results.soak.minutes} min | ${pass(Math.abs(results.soak.drift) <= 0.1)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
