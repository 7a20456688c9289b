/**
 * What reading one vendor page costs in this process, without HTTP or GraphQL: `npx tsx
 * scripts/bench/wire-read.ts --vendor WECHAT_STORE [--runs 7] [--iterations 2000]`. The page is the
 * one the ladder's L1–L3 fetch for the bench query (the calls L4 makes for it, recorded at the
 * sandbox emulator and replayed for their bytes). Per page, median of the runs, in µs:
 * `parse` (the vendor's JSON), then on the parsed bodies the wire step through zod alone and
 * through the fast path (`VendorBench.readAnswer`), and L3's step after parsing (`normalizeAnswer`:
 * wire and normalizer); the normalizer's share is the last minus the fast wire step.
 * Times are for reading, not for `npm test`; BENCHMARKS.md quotes them.
 */
import { parseArgs } from 'node:util';
import { closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import { parseJsonLossless } from '../../src/normalize/wire.js';
import { sandboxSourceName, startSandbox } from '../../src/sandbox/index.js';
import { createSources, vendorDefinition } from '../../src/sources/index.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { conversationNodeId, directHeaders, longConversation, pageQuery } from './vendors.js';

const { values } = parseArgs({
  options: {
    vendor: { type: 'string', default: 'WECHAT_STORE' },
    runs: { type: 'string', default: '7' },
    iterations: { type: 'string', default: '2000' },
  },
});
const vendor = values.vendor as Vendor;
const definition = vendorDefinition(vendor);
if (!definition) throw new Error(`--vendor: no vendor "${vendor}"`);
const runs = Number(values.runs);
const iterations = Number(values.iterations);

/** The bodies of the vendor calls behind one bench page, as text. */
async function pageTexts(): Promise<string[]> {
  const sandbox = await startSandbox({ vendors: [vendor] });
  const emulator = sandbox.emulators.get(vendor);
  const config = sandbox.sources.find((source) => source.vendor === vendor);
  if (!emulator || !config) throw new Error(`no ${vendor} sandbox`);
  const logger = silentLogger();
  const app = createApp({
    sources: createSources(sandbox.sources, { logger }),
    cursorSecret: 'wire-read-bench-secret-0123456789',
    logger,
    sharePages: false,
  });
  const yoga = createChatgraphYoga(app, { graphiql: false });
  const query = async () => {
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: pageQuery(vendor), variables: { id: conversationNodeId(vendor) } }),
    });
    const answer = (await response.json()) as { errors?: unknown };
    if (answer.errors) throw new Error(JSON.stringify(answer.errors).slice(0, 500));
  };
  try {
    await query();
    emulator.calls.reset();
    // The warm query's calls are the ones the ladder replays (tokens already fetched).
    await query();
    const auth = await directHeaders(config);
    const texts: string[] = [];
    for (const call of [...emulator.calls.recent]) {
      const response = await fetch(new URL(call.path, config.baseUrl), {
        method: call.method,
        headers: { accept: 'application/json', 'content-type': 'application/json', ...auth },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      if (response.status !== 200) throw new Error(`${call.path}: ${response.status}`);
      texts.push(await response.text());
    }
    return texts;
  } finally {
    await closeApp(app);
    await sandbox.close();
  }
}

const texts = await pageTexts();
const source = sandboxSourceName(vendor);
const ctx = { source, conversation: longConversation(vendor), fetchedAt: Date.now(), warn: () => {} };
const { bench } = definition;
/** Each vendor body parsed once: the wire and normalize steps read these, so parse noise stays out. */
const bodies = texts.map((text) => parseJsonLossless(text));
const steps: Record<string, (index: number) => unknown> = {
  parse: (index) => parseJsonLossless(texts[index] as string),
  ...(bench.readAnswer && {
    'wire, zod only': (index: number) => bench.readAnswer?.zodOnly(bodies[index], source),
    'wire, fast path': (index: number) => bench.readAnswer?.fast(bodies[index], source),
  }),
  'wire + normalize (L3 minus parse)': (index) => bench.normalizeAnswer(bodies[index], ctx),
};

let sink = 0;
function microsPerPage(step: (index: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    for (let index = 0; index < texts.length; index++) sink += step(index) === undefined ? 0 : 1;
  }
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

const median = (values: number[]): number =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
console.log(
  `${vendor}: ${texts.length} vendor call(s), ${bytes} bytes per page; ${runs} runs × ${iterations}`,
);
const samples = new Map<string, number[]>(Object.keys(steps).map((name) => [name, []]));
for (const step of Object.values(steps)) microsPerPage(step); // warm-up
for (let run = 0; run < runs; run++) {
  // Interleaved, so that a busy moment of the machine falls on every step alike.
  for (const [name, step] of Object.entries(steps)) samples.get(name)?.push(microsPerPage(step));
}
for (const [name, values] of samples) {
  const sorted = values.toSorted((a, b) => a - b);
  console.log(
    `${name.padEnd(32)} ${median(values).toFixed(1).padStart(8)} µs/page  (${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)})`,
  );
}
if (sink < 0) console.log(sink);
