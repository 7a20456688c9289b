/**
 * The peer rung (`npm run bench -- --peers`): GraphQL Mesh's JSON-schema source
 * (`@omnigraph/json-schema`, what Mesh's `json-schema` handler and `compose-cli` load) over the
 * same emulators, one schema per vendor built from the vendor's real sample answer
 * (`fixtures/vendors/`), served by graphql-yoga at `POST /<VENDOR>/graphql`. That is the leanest
 * way to run Mesh (no gateway runtime, no composition), so the comparison flatters the peer.
 *
 * Plain JavaScript run by plain Node, with its own dependencies (`package.json` here, installed on
 * demand by the bench): not type-checked with the project, and not a dependency of it. It speaks
 * the bench's IPC protocol (`scripts/bench/ipc.ts`: `{ id, method, args }` → `{ id, result | error }`).
 */
import { createServer } from 'node:http';
import { loadGraphQLSchemaFromJSONSchemas } from '@omnigraph/json-schema';
import { createYoga } from 'graphql-yoga';

let close = async () => {};

/** `setup.vendors`: `{ vendor, endpoint, headers, operations }` each (see `scripts/bench/peers.ts`). */
async function start(setup) {
  const yogas = new Map();
  for (const { vendor, endpoint, headers, operations } of setup.vendors) {
    const schema = await loadGraphQLSchemaFromJSONSchemas(vendor, {
      endpoint,
      operationHeaders: headers,
      operations,
    });
    yogas.set(vendor, createYoga({ schema, graphqlEndpoint: `/${vendor}/graphql`, logging: false }));
  }
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
  stop: async () => {
    await close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

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
