/**
 * The HTTP server every vendor emulator runs on: a real `node:http` server on a free loopback
 * port, so the API reaches it through the same client code and undici agent as the real vendor.
 * It counts the calls it serves, which is how tests prove what the gateway asked for.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON; undefined when empty or not JSON (see `rawBody`). */
  body: unknown;
  rawBody: string;
}

export interface EmulatorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type EmulatorHandler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface RecordedCall {
  method: string;
  /** Path and query string. */
  path: string;
  body: unknown;
  status: number;
}

/** The most recent calls kept for inspection; `count` keeps counting past it. */
const KEPT_CALLS = 2_000;

export class CallLog {
  count = 0;
  readonly recent: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.count++;
    this.recent.push(call);
    if (this.recent.length > KEPT_CALLS) this.recent.shift();
  }

  reset(): void {
    this.count = 0;
    this.recent.length = 0;
  }
}

export interface RunningEmulator {
  readonly baseUrl: string;
  readonly calls: CallLog;
  close(): Promise<void>;
}

export async function startEmulator(
  handler: EmulatorHandler,
  options: { host?: string; port?: number } = {},
): Promise<RunningEmulator> {
  const calls = new CallLog();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://emulator');
      let response: EmulatorResponse;
      try {
        response = await handler({ method: req.method ?? 'GET', url, headers: req.headers, body, rawBody });
      } catch {
        response = { status: 500, body: { error: 'emulator failure' } };
      }
      calls.record({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        body,
        status: response.status,
      });
      const payload = JSON.stringify(response.body);
      res.writeHead(response.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
        ...response.headers,
      });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${address}:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
