/**
 * `npm run bench:probe`: one served rung of the ladder, looked at closely, for finding where a
 * cost comes from rather than for the ladder's tables.
 *
 *   npm run bench:probe -- --vendor MYSCRM --shapes typename,ids,page --rates 10,100,1000
 *   npm run bench:probe -- --flags=--max-semi-space-size=16 --prof
 *
 * For each query shape: requests and CPU per request at saturation (32 connections), peak RSS and
 * V8's spaces after it, and CPU per request at each fixed `--rates` (open model): how much a request
 * that arrives alone costs against one among many. Shapes: `typename` (Yoga and the plugins alone,
 * no vendor call), `ids` (the page of 50, node ids only), `page` (the ladder's L4 query).
 * `--flags` gives the server Node flags (none by default, as it ships); `--prof`
 * writes a `--cpu-prof` profile of the rung to bench/profiles/probe/.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Vendor } from '../../src/model/index.js';
import type { SourceConfig } from '../../src/sources/index.js';
import { compileRungProcess } from './compiled.js';
import { spawnChild } from './ipc.js';
import { type OpenLoadRequest, openLoad } from './open-load.js';
import { conversationNodeId, pageQuery } from './vendors.js';

const { values } = parseArgs({
  options: {
    vendor: { type: 'string', default: 'WECHAT_STORE' },
    rung: { type: 'string', default: 'L4' },
    shapes: { type: 'string', default: 'typename,ids,page' },
    rates: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '6' },
    flags: { type: 'string', default: '' },
    prof: { type: 'boolean', default: false },
  },
});
const vendor = values.vendor as Vendor;
const seconds = Number(values.seconds);
const SHAPES: Record<string, string> = {
  typename: '{ __typename }',
  ids: 'query Ids($id: ID!) { conversation(id: $id) { messages(first: 50) { edges { node { id } } } } }',
  page: pageQuery(vendor),
};
const PROFILES = new URL('../../bench/profiles/probe/', import.meta.url).pathname;
const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

const emulators = await spawnChild('./emulator-process.ts');
const sources = await emulators.call<SourceConfig[]>('sources');
if (values.prof) {
  rmSync(PROFILES, { recursive: true, force: true });
  mkdirSync(PROFILES, { recursive: true });
}
const child = await spawnChild(
  await compileRungProcess(),
  [
    ...(values.flags as string).split(' ').filter(Boolean),
    ...(values.prof ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`] : []),
  ],
  ['--rung', values.rung as string],
);
const origin = `http://127.0.0.1:${await child.call<number>('start', { sources, plans: {}, first: 50, cursorSecret: 'chatgraph-bench-cursor-secret' })}`;
const cpuMs = async () => (await child.call<number>('cpu')) / 1000;

for (const shape of (values.shapes as string).split(',')) {
  const request: OpenLoadRequest = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SHAPES[shape], variables: { id: conversationNodeId(vendor) } }),
  };
  const saturate = (duration: number) =>
    autocannon({ url: origin, connections: 32, duration, requests: [request] });
  await saturate(3);
  let peak = 0;
  const sampler = setInterval(() => {
    child.call<number>('rss').then(
      (rss) => {
        peak = Math.max(peak, rss);
      },
      () => {},
    );
  }, 250);
  const before = await cpuMs();
  const result = await saturate(seconds);
  const used = (await cpuMs()) - before;
  clearInterval(sampler);
  const memory = await child.call<{ rss: number; spaces: Record<string, [number, number]> }>('memory');
  const spaces = Object.entries(memory.spaces)
    .filter(([, [, committed]]) => committed >= 2 ** 20)
    .map(([name, [used, committed]]) => `${name} ${MiB(used)}/${MiB(committed)}`)
    .join(', ');
  const rates: string[] = [];
  for (const rate of (values.rates as string).split(',').filter(Boolean).map(Number)) {
    const start = await cpuMs();
    const run = await openLoad({ origin, requests: [request], rate, durationMs: 4000 });
    rates.push(`@${rate}/s ${(((await cpuMs()) - start) / run.sent).toFixed(3)}`);
  }
  console.log(
    `${shape}: ${(result.requests.total / result.duration).toFixed(0)} req/s, CPU ms/request ${(used / result.requests.total).toFixed(3)} saturated, ${rates.join(', ')}; ` +
      `${(result.throughput.total / result.requests.total).toFixed(0)} bytes/response, non-2xx ${result.non2xx}; ` +
      `peak RSS ${MiB(peak)} MiB, after: RSS ${MiB(memory.rss)} MiB, used/committed MiB: ${spaces}`,
  );
}
await child.stop();
await emulators.stop();
if (values.prof) {
  const [largest] = readdirSync(PROFILES).sort(
    (a, b) => statSync(PROFILES + b).size - statSync(PROFILES + a).size,
  );
  console.log(`profile: ${PROFILES}${largest}`);
}
