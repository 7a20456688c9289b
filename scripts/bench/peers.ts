/**
 * The peer rung (`npm run bench -- --peers`): what a user would deploy instead of chatgraph,
 * measured in the same run against the same emulators. Today one peer, GraphQL Mesh's JSON-schema
 * source (`peers/mesh-process.mjs`), answering with the vendor's own fields (no Relay, no
 * normalizing) and making exactly the vendor calls the L4 query makes (the recorded plan, as
 * L1–L3 replay it): one aliased field per call, each selecting the fields L4's mapping reads.
 *
 * The peers' dependencies live in `peers/package.json` and are installed here on first use
 * (`npm ci --prefix`), so the project's own `npm ci` (CI) never downloads them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Vendor } from '../../src/model/index.js';
import { type SourceConfig, vendorDefinition } from '../../src/sources/index.js';
import type { VendorBench } from '../../src/sources/vendor.js';
import type { OpenLoadRequest } from './open-load.js';
import type { PlannedCall, RungSetup } from './rung-process.js';
import { directHeaders } from './vendors.js';

const PEERS = fileURLToPath(new URL('peers/', import.meta.url));
export const MESH_PROCESS = './peers/mesh-process.mjs';

/** What the vendor's definition says a user would declare to Mesh (`VendorBench.peer`). */
function peerOf(vendor: Vendor): NonNullable<VendorBench['peer']> {
  const peer = vendorDefinition(vendor)?.bench.peer;
  if (!peer) throw new Error(`Vendor "${vendor}" has no peer descriptor (VendorBench.peer).`);
  return peer;
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema of a sample answer, as a user writes it when Mesh's own inference from the sample
 * fails: every number a `number` (Mesh infers millisecond timestamps as a 32-bit `Int`, which
 * then fails to serialize), array items merged (each sample message holds different fields), a
 * field of several types or only ever `null` left open.
 */
function schemaOf(value: unknown, any: string[], path = ''): JsonSchema | null {
  if (any.includes(path)) return {};
  if (value === null) return null;
  if (Array.isArray(value)) {
    const items = value.map((item) => schemaOf(item, any, path)).reduce(merge, null);
    return { type: 'array', items: items ?? {} };
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return { type: typeof value };
    case 'number':
      return { type: 'number' };
    case 'object': {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, v] of Object.entries(value as object)) {
        const schema = schemaOf(v, any, path ? `${path}.${key}` : key);
        properties[key] = schema ?? {};
      }
      return { type: 'object', properties };
    }
    default:
      return {};
  }
}

function merge(a: JsonSchema | null, b: JsonSchema | null): JsonSchema | null {
  if (!a || !b) return a ?? b;
  if (a.type !== b.type) return {};
  if (a.type === 'array')
    return { type: 'array', items: merge(a.items as JsonSchema, b.items as JsonSchema) ?? {} };
  if (a.type !== 'object') return a;
  const pa = a.properties as Record<string, JsonSchema>;
  const pb = b.properties as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {};
  for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)]))
    properties[key] = merge(pa[key] ?? null, pb[key] ?? null) ?? {};
  return { type: 'object', properties };
}

/** Installs the peers' pinned dependencies when missing or older than their lock file. */
export function installPeers(log: (line: string) => void): void {
  const installed = `${PEERS}node_modules/.package-lock.json`;
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(`${PEERS}package-lock.json`).mtimeMs)
    return;
  log('installing the peer rung dependencies (scripts/bench/peers)…');
  execFileSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: 'inherit',
  });
}

/** A GraphQL input literal of a JSON value (the plan's request bodies, inline in the query). */
function literal(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, v]) => `${key}: ${literal(v)}`)
    .join(', ')}}`;
}

export interface PeerVendor {
  vendor: Vendor;
  endpoint: string;
  headers: Record<string, string>;
  operations: unknown[];
  /** The benchmark query: one aliased field per planned vendor call. */
  query: string;
}

/** Mesh's configuration and the query for one vendor, from the recorded plan of the L4 query. */
async function peerVendor(config: SourceConfig, plan: PlannedCall[]): Promise<PeerVendor> {
  const vendor = config.vendor;
  const headers = await directHeaders(config);
  const sample = JSON.parse(readFileSync(peerOf(vendor).sample, 'utf8')) as unknown;
  const responseSchema = { title: `${vendor}_answer`, ...schemaOf(sample, peerOf(vendor).untyped) };
  // One Mesh operation per endpoint (path without its query); the calls differ in arguments only.
  const endpoints = [...new Set(plan.map((call) => call.path.split('?')[0] as string))];
  const operations = endpoints.map((pathname, index) => {
    const calls = plan.filter((call) => call.path.split('?')[0] === pathname);
    const method = (calls[0] as PlannedCall).method;
    const field = `messages${index}`;
    if (method === 'GET') {
      const sample: Record<string, string> = {};
      for (const call of calls)
        for (const [key, value] of new URL(call.path, 'http://x').searchParams) sample[key] = value;
      return { type: 'Query', field, path: pathname, method, queryParamsSample: sample, responseSchema };
    }
    // A fixed query string (`?action=get_room_msg`) stays in the path; the body is the argument.
    return {
      type: 'Query',
      field,
      path: calls[0]?.path,
      method,
      requestSample: calls[0]?.body,
      responseSchema,
    };
  });
  const fields = plan.map((call, index) => {
    const pathname = call.path.split('?')[0] as string;
    const field = `messages${endpoints.indexOf(pathname)}`;
    const args =
      call.method === 'GET'
        ? [...new URL(call.path, 'http://x').searchParams].map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        : [`input: ${literal(call.body)}`];
    return `c${index}: ${field}(${args.join(', ')}) { ${peerOf(vendor).selection} }`;
  });
  return {
    vendor,
    endpoint: config.baseUrl,
    headers,
    operations,
    query: `query Page {\n  ${fields.join('\n  ')}\n}`,
  };
}

export async function peerSetup(setup: RungSetup, vendors: Vendor[]): Promise<PeerVendor[]> {
  const out: PeerVendor[] = [];
  for (const vendor of vendors) {
    const config = setup.sources.find((s) => s.vendor === vendor);
    const plan = setup.plans[vendor];
    if (config && plan) out.push(await peerVendor(config, plan));
  }
  return out;
}

export function peerRequest(peer: PeerVendor): OpenLoadRequest {
  return {
    method: 'POST',
    path: `/${peer.vendor}/graphql`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: peer.query }),
  };
}

/** The records of all the calls' answers, or why the peer's answer is not a page. */
export function peerRecords(answer: unknown): number | string {
  const { data, errors } = answer as { data?: Record<string, Record<string, unknown>>; errors?: unknown };
  if (errors || !data) return JSON.stringify(answer).slice(0, 500);
  let records = 0;
  for (const call of Object.values(data)) {
    const list = Object.values(call ?? {}).find(Array.isArray);
    if (!list) return JSON.stringify(call).slice(0, 500);
    records += list.length;
  }
  return records;
}
