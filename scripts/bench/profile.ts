/**
 * Where the time goes in a `--cpu-prof` profile: self time grouped by package / layer, the
 * hottest functions, and inclusive time of a few entry points the fixes are about. Also runnable
 * on its own: `tsx scripts/bench/profile.ts bench/profiles/l4.cpuprofile`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of non-idle time per layer, largest first. */
  layers: Array<{ layer: string; ms: number; share: number }>;
  /** Hottest functions by self time. */
  functions: Array<{ name: string; where: string; ms: number; share: number }>;
  /** Inclusive time of selected functions (outermost frame only, so recursion is not counted twice). */
  inclusive: Array<{ name: string; ms: number; share: number }>;
}

const LAYERS: Array<[RegExp, string]> = [
  [/node_modules\/graphql\/validation\//, 'graphql-js validate'],
  [/node_modules\/graphql\/language\//, 'graphql-js parse'],
  [/node_modules\/graphql\/execution\//, 'graphql-js execute'],
  [/node_modules\/graphql\//, 'graphql-js other'],
  [
    /node_modules\/(graphql-yoga|@graphql-yoga|@envelop|@whatwg-node|@graphql-tools)\//,
    'yoga / envelop / whatwg-node',
  ],
  [/node_modules\/@pothos\//, 'pothos'],
  [/node_modules\/zod\//, 'zod'],
  [/node_modules\/undici\//, 'undici'],
  [/node_modules\/dataloader\//, 'dataloader'],
  [/node_modules\/(pino|fast-redact|sonic-boom|thread-stream)/, 'pino'],
  // The rungs run the compiled `dist/`, which mirrors `src/`.
  [/\/(src|dist)\/normalize\//, 'src/normalize'],
  [/\/(src|dist)\/resolvers\//, 'src/resolvers (paging engine, cursors)'],
  [/\/(src|dist)\/sources\//, 'src/sources (clients, wire, http)'],
  [/\/(src|dist)\/schema\//, 'src/schema (field resolvers)'],
  [/\/(src|dist)\//, 'src other'],
  [/node_modules\/(tsx|esbuild|get-tsconfig)/, 'tsx loader'],
  [/^node:/, 'node internals (http, net, streams)'],
];

function layerOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (url === '') return `native: ${functionName || '(anonymous)'}`;
  for (const [pattern, layer] of LAYERS) if (pattern.test(url)) return layer;
  return 'other JS';
}

const shortUrl = (url: string): string =>
  url.replace(/^file:\/\/.*?\/(node_modules|src|dist|scripts)\//, '$1/').replace(/^node:/, 'node:');

export function summarizeProfile(file: string, inclusiveOf: string[] = []): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let totalMs = 0;
  const layers = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName === '(idle)') continue;
    totalMs += ms;
    const layer = layerOf(node);
    layers.set(layer, (layers.get(layer) ?? 0) + ms);
    const where = `${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }

  // Inclusive time: a node's self time counts for every distinct selected name on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>(inclusiveOf.map((name) => [name, 0]));
  for (const [id, ms] of self) {
    if ((byId.get(id) as ProfileNode).callFrame.functionName === '(idle)') continue;
    const names = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = (byId.get(at) as ProfileNode).callFrame.functionName;
      if (inclusive.has(name)) names.add(name);
    }
    for (const name of names) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  }

  const share = (ms: number) => ms / totalMs;
  return {
    totalMs,
    layers: [...layers].map(([layer, ms]) => ({ layer, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()]
      .map((f) => ({ ...f, share: share(f.ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 25),
    inclusive: [...inclusive]
      .map(([name, ms]) => ({ name, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx scripts/bench/profile.ts <file.cpuprofile>');
  console.log(JSON.stringify(summarizeProfile(file, process.argv.slice(3)), null, 2));
}
