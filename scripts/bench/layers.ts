/**
 * `npm run bench:layers`: where the CPU of one L4 page goes, layer by layer, in this process.
 *
 *   npm run bench:layers -- --vendors WECHAT_STORE,MYSCRM --requests 2000 --rounds 5
 *
 * The ladder's L4 query (`pageQuery`), sent with `yoga.fetch` (no HTTP server) by 16 concurrent
 * loops, against the bench's emulators in a child process; CPU ms per page is this process's
 * CPU time over the loops divided by the pages, the median of `--rounds` rounds in which every
 * variant runs once, in turn, so that the machine's other load falls on all of them alike:
 *
 * - `real`: the vendor answers come over loopback, as L4 reads them;
 * - `replayed`: the same answers replayed from memory by the sources' dispatcher (`Replay`):
 *   every byte is decoded, parsed, validated, normalized, paged, executed and serialized, but no
 *   socket is read or written;
 * - `pages kept`: each vendor page read once and handed out again by `Source.fetchPage`: the
 *   GraphQL layer alone (plugins, engine, resolvers, node ids, cursors, serialization);
 * - `reads`: the page's vendor reads alone (`Source.fetchPage` over the replayed answers):
 *   decoding, JSON parse, wire readers and normalizers, as L3 does them;
 * - `typename`: `{ __typename }`, what Yoga and the plugins cost a request that reads nothing;
 * - `L2`: the ladder's L2 on the page's calls (each answer over loopback and `JSON.parse`d, the
 *   page `JSON.stringify`d), without its HTTP server: `L2 ÷ real` is the ladder's L4 ÷ L2 here.
 * - `floor`: the page's calls made and parsed as L2 makes them (not stringified), then the query
 *   answered by the stack's floor (`floor.ts`: a bare Yoga with the page's answer in memory):
 *   `L2 ÷ floor` is the best ratio graphql-yoga and graphql-jit allow.
 *
 * Derived: `socket I/O` = real − replayed; `together − apart` = replayed − pages kept − reads, the
 * cost of the layers running together beyond their costs apart. Measured, it is no work of its
 * own: the reads and a kept page run back to back cost what `replayed` costs, each part being
 * dearer beside the other than alone in a loop (BENCHMARKS.md, "Where one page's CPU goes").
 *
 * A second table gives, per page and variant, the KB allocated (V8's sampling heap profiler in a
 * pass of its own, freed objects counted) and the collector's main-thread pauses (Node's `gc`
 * performance entries over the timed rounds, median): what the garbage collector is given, and
 * what it takes. Numbers for reading, not for `npm test`; BENCHMARKS.md quotes them.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { printSchema } from 'graphql';
import { Agent, Dispatcher } from 'undici';
import { closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { Vendor } from '../../src/model/index.js';
import { createSources, type SourceConfig } from '../../src/sources/index.js';
import type { AnySource } from '../../src/sources/source.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { capturePage, checkFloor, createFloorYoga } from './floor.js';
import { spawnChild } from './ipc.js';
import { conversationNodeId, pageQuery, VENDORS } from './vendors.js';

const { values } = parseArgs({
  options: {
    vendors: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});
const vendors = values.vendors ? (values.vendors.split(',') as Vendor[]) : VENDORS;
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const CURSOR_SECRET = 'chatgraph-bench-cursor-secret';

/**
 * A dispatcher that forwards a call to the network the first time and answers it from memory
 * after: the status, headers and bytes the vendor sent, delivered on the next turn of the event
 * loop, as a socket's would be. Calls are told apart by origin, method, path and body.
 */
class Replay extends Dispatcher {
  readonly network = new Agent({ connections: 16 });
  #log: Dispatcher.DispatchOptions[] | null = null;
  readonly #answers = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const key = `${String(options.origin)} ${options.method} ${options.path} ${typeof options.body === 'string' ? options.body : ''}`;
    this.#log?.push(options);
    const known = this.#answers.get(key);
    if (!known) return this.network.dispatch(options, this.#recording(key, handler));
    const controller = { abort() {}, pause() {}, resume() {}, aborted: false, paused: false, reason: null };
    setImmediate(() => {
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, known.status, known.headers, '');
      // A copy, as a socket hands each read its own buffer.
      handler.onResponseData?.(controller, Buffer.from(known.body));
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }

  override async close(): Promise<void> {
    await this.network.close();
  }

  /** The calls dispatched while `run` runs, as dispatched. */
  async calls(run: () => Promise<void>): Promise<Dispatcher.DispatchOptions[]> {
    this.#log = [];
    try {
      await run();
      return this.#log;
    } finally {
      this.#log = null;
    }
  }

  #recording(key: string, handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: Record<string, string> = {};
    return {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller, statusCode, responseHeaders, message) => {
        status = statusCode;
        headers = responseHeaders as Record<string, string>;
        handler.onResponseStart?.(controller, statusCode, responseHeaders, message);
      },
      onResponseData: (controller, chunk) => {
        chunks.push(chunk);
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd: (controller, trailers) => {
        if (status === 200) this.#answers.set(key, { status, headers, body: Buffer.concat(chunks) });
        handler.onResponseEnd?.(controller, trailers);
      },
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    };
  }
}

/** A vendor read the page made: the source and its request, to be made again on its own. */
interface Read {
  source: AnySource;
  request: unknown;
}

/**
 * The sources with `fetchPage` answering each request from the first answer to it, and every
 * first request listed in `reads`. A proxy, so the sources themselves are untouched; their other
 * methods run on the source itself (they use private fields).
 */
function keepingPages(sources: AnySource[], reads: Read[]): AnySource[] {
  return sources.map((source) => {
    const kept = new Map<string, Promise<unknown>>();
    const fetchPage = (request: unknown, scope?: unknown) => {
      const key = source.pageKey(request as never);
      let page = kept.get(key);
      if (!page) {
        reads.push({ source, request });
        page = source.fetchPage(request as never, scope as never);
        kept.set(key, page);
      }
      return page;
    };
    return new Proxy(source, {
      get(target, property) {
        if (property === 'fetchPage') return fetchPage;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
}

type Variant = 'real' | 'replayed' | 'pages kept' | 'reads' | 'typename' | 'L2' | 'floor';
const VARIANTS: Variant[] = ['real', 'replayed', 'pages kept', 'reads', 'typename', 'L2', 'floor'];

/** `count` runs, `concurrency` at a time. */
async function loops(run: () => Promise<void>, count: number): Promise<void> {
  let left = count;
  const loop = async () => {
    while (left-- > 0) await run();
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

/** The collector's pauses of this process's main thread, in ms, as Node reports them. */
let gcPauseMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauseMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** GC entries are delivered on a later turn of the event loop: let those of a window arrive. */
const gcEntriesIn = () => new Promise((resolve) => setTimeout(resolve, 10));

/** CPU ms and the collector's pause ms per page, after a warm-up of a quarter as many pages. */
async function measure(run: () => Promise<void>): Promise<{ cpu: number; gc: number }> {
  await loops(run, Math.ceil(requests / 4));
  await gcEntriesIn();
  const gcBefore = gcPauseMs;
  const start = process.cpuUsage();
  await loops(run, requests);
  const { user, system } = process.cpuUsage(start);
  await gcEntriesIn();
  return { cpu: (user + system) / 1000 / requests, gc: (gcPauseMs - gcBefore) / requests };
}

/**
 * KB allocated per page, dead or alive: V8's sampling heap profiler (one sample per ~1 KB
 * allocated, scaled to an estimate of all bytes) counting objects the collector has freed too.
 * A pass of its own after the timed rounds, as sampling slows what it samples.
 */
async function allocatedKb(session: Session, run: () => Promise<void>): Promise<number> {
  const pages = Math.ceil(requests / 4);
  // Node 20's V8 reads both flags; its type definitions do not list them yet.
  const options = {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  await session.post('HeapProfiler.startSampling', options);
  await loops(run, pages);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let bytes = 0;
  const stack = [profile.head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    bytes += node.selfSize;
    stack.push(...node.children);
  }
  return bytes / 1024 / pages;
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const emulators = await spawnChild('./emulator-process.ts');
const configs = await emulators.call<SourceConfig[]>('sources');
const logger = silentLogger();
const replay = new Replay();
const reads: Read[] = [];
const realApp = createApp({
  sources: createSources(configs, { logger }),
  cursorSecret: CURSOR_SECRET,
  logger,
  sharePages: false,
});
const replaySources = createSources(configs, { logger, dispatcher: replay });
const replayApp = createApp({
  sources: replaySources,
  cursorSecret: CURSOR_SECRET,
  logger,
  sharePages: false,
});
const keptApp = createApp({
  sources: keepingPages(replaySources, reads),
  cursorSecret: CURSOR_SECRET,
  logger,
  sharePages: false,
});
const apps = [realApp, replayApp, keptApp];

const sdl = printSchema(createChatgraphYoga(keptApp, { graphiql: false }).getEnveloped().schema);

/** The floor's page (`floor.ts`): a bare Yoga answering as the API does, checked to. */
async function floorSender(query: string, id: string) {
  const { conversation, answer } = await capturePage(
    createChatgraphYoga(replayApp, { graphiql: false }).fetch,
    query,
    id,
  );
  const floor = createFloorYoga(sdl, new Map([[id, conversation]]));
  await checkFloor(floor.fetch, query, id, answer);
  return poster(floor.fetch, query, { id });
}

function sender(app: typeof realApp, query: string, variables: Record<string, unknown>) {
  return poster(createChatgraphYoga(app, { graphiql: false }).fetch, query, variables);
}

/** Sends the request with `fetch` each time it is called; throws unless the answer is all data. */
function poster(
  fetch: (url: string, init: RequestInit) => Promise<Response> | Response,
  query: string,
  variables: Record<string, unknown>,
) {
  const body = JSON.stringify({ query, variables });
  return async () => {
    const response = await fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (!text.startsWith('{"data"') || text.includes('"errors"')) throw new Error(text.slice(0, 500));
  };
}

console.log(
  `bench:layers: CPU ms per page in-process, ${requests} pages × ${rounds} rounds, ${concurrency} at once, Node ${process.version}\n`,
);
console.log(
  '| vendor | real | replayed | pages kept (GraphQL layer) | reads (vendor data) | `{ __typename }` | socket I/O | together − apart | L2 | L2 ÷ real | floor | L2 ÷ floor |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
const session = new Session();
session.connect();
/** The second table's rows: what each variant allocates and collects per page. */
const memoryRows: string[] = [];
for (const vendor of vendors) {
  const variables = { id: conversationNodeId(vendor) };
  const query = pageQuery(vendor);
  reads.length = 0;
  const keptPage = sender(keptApp, query, variables);
  // The first page fills the replay's answers (and fetches a token where the vendor has one);
  // the second, through the kept pages, lists the reads one page makes.
  await sender(replayApp, query, variables)();
  const calls = await replay.calls(sender(replayApp, query, variables));
  await keptPage();
  const pageReads = [...reads];
  const floor = await floorSender(query, variables.id);
  /** The page's calls made and parsed, as L2 makes them. */
  const parsedCalls = async (): Promise<unknown[]> => {
    const pages: unknown[] = [];
    for (const call of calls) {
      const { body } = await replay.network.request(call as Dispatcher.RequestOptions);
      pages.push(JSON.parse(await body.text()));
    }
    return pages;
  };
  const run: Record<Variant, () => Promise<void>> = {
    real: sender(realApp, query, variables),
    replayed: sender(replayApp, query, variables),
    'pages kept': keptPage,
    reads: async () => {
      for (const read of pageReads) await read.source.fetchPage(read.request as never);
    },
    typename: sender(replayApp, '{ __typename }', {}),
    // The ladder's L2 on the same calls: each answer over loopback and parsed, the page stringified.
    L2: async () => {
      const pages = await parsedCalls();
      if (JSON.stringify({ pages }).length < 10) throw new Error('no pages');
    },
    floor: async () => {
      if ((await parsedCalls()).length !== calls.length) throw new Error('a call went missing');
      await floor();
    },
  };
  const samples = new Map<Variant, { cpu: number; gc: number }[]>(VARIANTS.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++)
    for (const variant of VARIANTS) samples.get(variant)?.push(await measure(run[variant]));
  const medianOf = (what: 'cpu' | 'gc') =>
    Object.fromEntries(
      VARIANTS.map((variant) => [
        variant,
        median((samples.get(variant) ?? []).map((sample) => sample[what])),
      ]),
    ) as Record<Variant, number>;
  const m = medianOf('cpu');
  const gc = medianOf('gc');
  const allocated = {} as Record<Variant, number>;
  for (const variant of VARIANTS) allocated[variant] = await allocatedKb(session, run[variant]);
  memoryRows.push(
    `| ${vendor} | KB allocated | ${VARIANTS.map((variant) => allocated[variant].toFixed(0)).join(' | ')} |`,
    `| ${vendor} | GC pause ms (share of CPU) | ${VARIANTS.map((variant) => `${gc[variant].toFixed(3)} (${((gc[variant] / m[variant]) * 100).toFixed(0)} %)`).join(' | ')} |`,
  );
  const cells = [m.real, m.replayed, m['pages kept'], m.reads, m.typename, m.real - m.replayed];
  const apart = m.replayed - m['pages kept'] - m.reads;
  console.log(
    `| ${vendor} | ${cells.map((ms) => ms.toFixed(3)).join(' | ')} | ${apart.toFixed(3)} (${((apart / m.replayed) * 100).toFixed(0)} % of replayed) | ${m.L2.toFixed(3)} | ${(m.L2 / m.real).toFixed(2)} | ${m.floor.toFixed(3)} | ${(m.L2 / m.floor).toFixed(2)} |`,
  );
}
console.log(
  `\nPer page, the same variants: KB allocated (a sampled pass of ${Math.ceil(requests / 4)} pages each) and the collector's main-thread pauses (medians of the rounds)\n`,
);
console.log(`| vendor | per page | ${VARIANTS.join(' | ')} |`);
console.log(`|---|---|${VARIANTS.map(() => '--:').join('|')}|`);
for (const row of memoryRows) console.log(row);
session.disconnect();
await Promise.all(apps.map((app) => closeApp(app)));
await replay.close();
await emulators.stop();
