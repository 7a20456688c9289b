/** Listens: the HTTP server around a Yoga instance. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OperationsHandler } from './plugins/operations-endpoints.js';
import type { ChatgraphYoga } from './yoga.js';

export function listen(
  yoga: ChatgraphYoga,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; url: string }> {
  return listening(createServer(yoga), port, host);
}

/** Starts `server` on `host:port` and says where it can be reached. */
async function listening(
  server: Server,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { server, url: `http://${shown}:${address.port}` };
}

/**
 * The operators' endpoints on their own port (`operationsPort`): `/readiness` and `/metrics` as
 * `handler` answers them, `/health`, and 404 for anything else. Nothing of the API is reachable
 * here, so the port can be opened to a monitoring network only.
 */
export function listenOperations(
  handler: OperationsHandler,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    answerOperations(handler, req)
      .catch(() => new Response('Internal error', { status: 500 }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      // The client left while the answer was written: nothing is left to tell it.
      .catch(() => res.destroy());
  });
  return listening(server, port, host);
}

/**
 * What the operations port answers `req`. Only GET and HEAD are asked of it: any other method is
 * refused before a `Request` is built, whose constructor throws on some that Node's parser accepts
 * (TRACE), and is built inside this promise for the same reason.
 */
async function answerOperations(handler: OperationsHandler, req: IncomingMessage): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const request = new Request(new URL(req.url ?? '/', 'http://operations'), { method: req.method, headers });
  if (new URL(request.url).pathname === '/health') return Response.json({ message: 'alive' });
  return (await handler(request)) ?? new Response('Not found', { status: 404 });
}
