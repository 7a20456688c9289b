/**
 * One rung of the ladder in a process of its own (`--rung L1|L2|L3|L4`), serving every vendor on
 * one loopback port:
 *
 * - L1 `POST /<VENDOR>`: a byte proxy. node:http in, one undici pool per vendor out, the vendor's
 *   bytes streamed back untouched (several vendor calls as a JSON array of their bodies).
 * - L2: L1 plus `JSON.parse` of each vendor body and `JSON.stringify` of the page.
 * - L3: L2 plus zod validation and normalization (the sources' own wire schemas and normalizers),
 *   answering the query's selection as plain JSON: a hand-written REST backend-for-frontend.
 * - L4 `POST /graphql`: the full API, built as `src/main.ts` builds it but with no vendor page
 *   shared across operations (`sharePages: false`), so that it makes the calls L1–L3 make.
 * - L4s: the same API as shipped, sharing in-flight calls and keeping settled pages.
 * - Lf `POST /<VENDOR>` with L4's GraphQL request: the stack's floor (`floor.ts`). L2's calls made
 *   and parsed, then the request answered by a bare Yoga from the page's answer kept in memory.
 *
 * L1–L3 and Lf make the same vendor calls, in the same order, as L4 makes for the benchmark query (the
 * plan recorded at the emulator), so that each rung differs from the next by one layer of work.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import { printSchema } from 'graphql';
import { Pool } from 'undici';
import { type App, closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { Message, Vendor } from '../../src/model/index.js';
import { createSources, type SourceConfig } from '../../src/sources/index.js';
import { createChatgraphYoga } from '../../src/yoga.js';
import { capturePage, checkFloor, createFloorYoga, type FloorData } from './floor.js';
import { serve } from './ipc.js';
import {
  conversationNodeId,
  directHeaders,
  longConversation,
  normalizeAnswer,
  pageQuery,
  restShape,
} from './vendors.js';

/**
 * L4 makes its own vendor calls per operation, as L1–L3 do; L4s is L4 as shipped (pages shared);
 * Lf is the stack's floor.
 */
export type Rung = 'L1' | 'L2' | 'L3' | 'L4' | 'L4s' | 'Lf';
const RUNGS: Rung[] = ['L1', 'L2', 'L3', 'L4', 'L4s', 'Lf'];

export interface PlannedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface RungSetup {
  sources: SourceConfig[];
  /** The vendor calls of the benchmark query, per vendor (L1–L3). */
  plans: Partial<Record<Vendor, PlannedCall[]>>;
  /** Messages per page (L3 keeps this many). */
  first: number;
  cursorSecret: string;
}

const { values } = parseArgs({ options: { rung: { type: 'string' } } });
const rung = values.rung as Rung;
if (!RUNGS.includes(rung)) throw new Error(`--rung ${RUNGS.join('|')}`);

/** As many connections per vendor as a source's agent allows by default (`maxConcurrency`). */
const POOL_CONNECTIONS = 16;

interface Upstream {
  vendor: Vendor;
  pool: Pool;
  calls: Array<{ method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string }>;
}

async function upstreams(setup: RungSetup): Promise<Map<string, Upstream>> {
  const out = new Map<string, Upstream>();
  for (const config of setup.sources) {
    const plan = setup.plans[config.vendor];
    if (!plan) continue;
    const auth = await directHeaders(config);
    out.set(config.vendor, {
      vendor: config.vendor,
      pool: new Pool(config.baseUrl, { connections: POOL_CONNECTIONS, keepAliveTimeout: 30_000 }),
      calls: plan.map((call) => ({
        method: call.method as 'GET' | 'POST',
        path: call.path,
        headers:
          call.body === undefined
            ? { accept: 'application/json', ...auth }
            : { accept: 'application/json', 'content-type': 'application/json', ...auth },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      })),
    });
  }
  return out;
}

async function l1(upstream: Upstream, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const many = upstream.calls.length > 1;
  if (many) res.write('[');
  for (const [index, call] of upstream.calls.entries()) {
    const { statusCode, body } = await upstream.pool.request(call);
    if (statusCode !== 200) throw new Error(`vendor answered ${statusCode}`);
    if (index > 0) res.write(',');
    for await (const chunk of body) res.write(chunk);
  }
  res.end(many ? ']' : undefined);
}

async function vendorBodies(upstream: Upstream): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (const call of upstream.calls) {
    const { statusCode, body } = await upstream.pool.request(call);
    if (statusCode !== 200) throw new Error(`vendor answered ${statusCode}`);
    bodies.push(JSON.parse(await body.text()));
  }
  return bodies;
}

function reply(res: ServerResponse, payload: string): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function l2(upstream: Upstream, res: ServerResponse): Promise<void> {
  reply(res, JSON.stringify({ pages: await vendorBodies(upstream) }));
}

async function l3(upstream: Upstream, res: ServerResponse, first: number): Promise<void> {
  const bodies = await vendorBodies(upstream);
  const conversation = longConversation(upstream.vendor);
  const seen = new Set<string>();
  const messages: Message[] = [];
  for (const body of bodies) {
    for (const message of normalizeAnswer(upstream.vendor, body, conversation)) {
      if (seen.has(message.externalId)) continue;
      seen.add(message.externalId);
      messages.push(message);
    }
  }
  const page = messages.slice(0, first);
  reply(
    res,
    JSON.stringify({
      messages: page.map(restShape),
      hasNextPage: messages.length > first,
      endCursor: page.at(-1)?.externalId ?? null,
    }),
  );
}

/**
 * The floor's server: a bare Yoga answering each planned vendor's page as the API (L4, nothing
 * shared) answers it, checked to answer identically.
 */
async function floorYoga(setup: RungSetup) {
  const logger = silentLogger();
  const app: App = createApp({
    sources: createSources(setup.sources, { logger }),
    cursorSecret: setup.cursorSecret,
    logger,
    sharePages: false,
  });
  try {
    const api = createChatgraphYoga(app, { graphiql: false });
    const data: FloorData = new Map();
    const answers: Array<{ query: string; id: string; answer: string }> = [];
    for (const vendor of Object.keys(setup.plans) as Vendor[]) {
      const query = pageQuery(vendor, setup.first);
      const id = conversationNodeId(vendor);
      const { conversation, answer } = await capturePage(api.fetch, query, id);
      data.set(id, conversation);
      answers.push({ query, id, answer });
    }
    const yoga = createFloorYoga(printSchema(api.getEnveloped().schema), data);
    for (const { query, id, answer } of answers) await checkFloor(yoga.fetch, query, id, answer);
    return yoga;
  } finally {
    await closeApp(app);
  }
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', () => {});
    req.on('end', () => resolve());
  });
}

let close: () => Promise<void> = async () => {};

async function start(setup: RungSetup): Promise<number> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  if (rung === 'L4' || rung === 'L4s') {
    const logger = silentLogger();
    const app = createApp({
      sources: createSources(setup.sources, { logger }),
      cursorSecret: setup.cursorSecret,
      logger,
      // The ladder's L4 reads what it answers from the vendor every time, like L1–L3: no page
      // shared with a concurrent operation or kept from an earlier one.
      ...(rung === 'L4' ? { sharePages: false } : {}),
    });
    const yoga = createChatgraphYoga(app, { graphiql: false });
    handler = yoga;
    close = () => closeApp(app);
  } else {
    const byVendor = await upstreams(setup);
    let work: (upstream: Upstream, req: IncomingMessage, res: ServerResponse) => Promise<void>;
    if (rung === 'Lf') {
      const yoga = await floorYoga(setup);
      work = async (upstream, req, res) => {
        // The request's body waits in its stream while the vendor calls are made.
        await vendorBodies(upstream);
        req.url = '/graphql';
        await yoga(req, res);
      };
    } else {
      const answer =
        rung === 'L1' ? l1 : rung === 'L2' ? l2 : (u: Upstream, r: ServerResponse) => l3(u, r, setup.first);
      work = async (upstream, req, res) => {
        await drain(req);
        await answer(upstream, res);
      };
    }
    handler = (req, res) => {
      const upstream = byVendor.get((req.url ?? '/').slice(1));
      if (!upstream) {
        res.writeHead(404).end();
        return;
      }
      work(upstream, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(String((error as Error).message));
      });
    };
    close = async () => {
      await Promise.all([...byVendor.values()].map((u) => u.pool.close()));
    };
  }
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const previous = close;
  close = async () => {
    server.closeAllConnections();
    server.close();
    await previous();
  };
  return (server.address() as AddressInfo).port;
}

serve({
  ready: () => true,
  start: (setup) => start(setup as RungSetup),
  rss: () => process.memoryUsage().rss,
  /** Where the memory is: V8's spaces (used / committed, bytes), external and array buffers. */
  memory: () => ({
    ...process.memoryUsage(),
    spaces: Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, [space.space_used_size, space.space_size]]),
    ),
  }),
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  stop: async () => {
    await close();
    // Exiting normally is what makes `--cpu-prof` write its profile.
    setImmediate(() => process.exit(0));
    return true;
  },
});
