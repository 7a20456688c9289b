/** Listens: the HTTP server around a Yoga instance. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatgraphYoga } from './yoga.js';

export async function listen(
  yoga: ChatgraphYoga,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; url: string }> {
  const server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { server, url: `http://${shown}:${address.port}` };
}
