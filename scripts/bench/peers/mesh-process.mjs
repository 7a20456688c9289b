/**
 * The peer rungs (`npm run bench -- --peers`): GraphQL Mesh's JSON-schema source
 * (`@omnigraph/json-schema`) over the same emulators, one schema per vendor (see
 * `scripts/bench/peers.ts`), served at `POST /<VENDOR>/graphql` in one of two ways:
 *
 * - default: the source's executable schema in graphql-yoga, the leanest way to run Mesh (no
 *   gateway runtime, no composition): a lower bound of Mesh's cost;
 * - `--gateway`: Mesh as its documentation deploys it, the source composed into a supergraph
 *   (`@graphql-mesh/compose-cli`, as `mesh-compose` does) served by Hive Gateway's runtime
 *   (`@graphql-hive/gateway-runtime`, what `hive-gateway supergraph` runs) with the REST transport.
 *
 * Plain JavaScript run by plain Node, with its own dependencies (`package.json` here, installed on
 * demand by the bench): not type-checked with the project, and not a dependency of it. It speaks
 * the bench's IPC protocol (`scripts/bench/ipc.ts`: `{ id, method, args }` → `{ id, result | error }`).
 */
import { createServer } from 'node:http';
import { loadGraphQLSchemaFromJSONSchemas, loadJSONSchemaSubgraph } from '@omnigraph/json-schema';

const gateway = process.argv.includes('--gateway');

const quiet = {
  log() {},
  debug() {},
  info() {},
  warn() {},
  error: (...args) => console.error(...args),
  child() {
    return quiet;
  },
};

/** One vendor's server: `{ vendor, endpoint, headers, operations }` (see `scripts/bench/peers.ts`). */
async function serveVendor({ vendor, endpoint, headers, operations }) {
  const options = { endpoint, operationHeaders: headers, operations };
  const graphqlEndpoint = `/${vendor}/graphql`;
  // Each way loads only its own packages, so that neither's memory counts against the other.
  if (!gateway) {
    const { createYoga } = await import('graphql-yoga');
    const schema = await loadGraphQLSchemaFromJSONSchemas(vendor, options);
    return createYoga({ schema, graphqlEndpoint, logging: false });
  }
  const { getComposedSchemaFromConfig } = await import('@graphql-mesh/compose-cli');
  const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
  const supergraph = await getComposedSchemaFromConfig(
    { subgraphs: [{ sourceHandler: loadJSONSchemaSubgraph(vendor, options) }] },
    quiet,
  );
  return createGatewayRuntime({ supergraph, graphqlEndpoint, logging: false, landingPage: false });
}

let close = async () => {};

async function start(setup) {
  const yogas = new Map();
  for (const vendor of setup.vendors) yogas.set(vendor.vendor, await serveVendor(vendor));
  const server = createServer((req, res) => {
    const yoga = yogas.get((req.url ?? '/').split('/')[1]);
    if (yoga) yoga(req, res);
    else res.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = async () => {
    server.closeAllConnections();
    server.close();
  };
  return server.address().port;
}

const handlers = {
  ready: () => true,
  start,
  rss: () => process.memoryUsage().rss,
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  stop: async () => {
    await close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

// The orchestrator is gone (killed, or crashed): a child serving a port must not outlive it.
process.once('disconnect', () => process.exit(0));

process.on('message', async (message) => {
  const reply = { id: message.id };
  try {
    const handler = handlers[message.method];
    if (!handler) throw new Error(`No handler "${message.method}"`);
    reply.result = await handler(message.args);
  } catch (error) {
    reply.error = error?.stack ?? String(error);
  }
  process.send?.(reply);
});
