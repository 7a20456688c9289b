/**
 * The HTTP server every vendor emulator runs on: a real `node:http` server on a free loopback
 * port, so the API reaches it through the same client code and undici agent as the real vendor.
 * It counts the calls it serves, which is how tests prove what the gateway asked for.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type Faults } from './faults.js';

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
  /** The fault injected into this answer, if any. */
  fault?: string;
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
  /** Faults injected from now on (see `src/sandbox/faults.ts`); `{}` for none. */
  setFaults(faults: Faults): void;
  close(): Promise<void>;
}

export async function startEmulator(
  handler: EmulatorHandler,
  options: { host?: string; port?: number } = {},
): Promise<RunningEmulator> {
  const calls = new CallLog();
  let faults = new FaultPlan({});
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
      const fault = faults.next();
      const call = {
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        body,
        status: response.status,
      };
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      switch (fault.kind) {
        case 'none':
          calls.record(call);
          return send(res, response.status, JSON.stringify(response.body), response.headers);
        case 'error':
          calls.record({ ...call, status: fault.status, fault: fault.kind });
          return send(res, fault.status, JSON.stringify({ error: 'injected fault' }));
        case 'rate-limit':
          calls.record({ ...call, status: 429, fault: fault.kind });
          return send(res, 429, JSON.stringify({ error: 'too many requests' }), {
            'retry-after': String(fault.retryAfterSeconds),
          });
        case 'hang':
          // Never answer: the client's timeouts have to cope. `close()` ends the connection.
          calls.record({ ...call, fault: fault.kind });
          return;
        case 'malformed':
          calls.record({ ...call, fault: fault.kind });
          return send(res, 200, `${JSON.stringify(response.body).slice(0, -1)},}`);
        case 'truncated': {
          calls.record({ ...call, fault: fault.kind });
          const payload = Buffer.from(JSON.stringify(response.body));
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': payload.length,
          });
          res.write(payload.subarray(0, Math.floor(payload.length / 2)));
          res.socket?.destroy();
          return;
        }
        case 'wrong-type':
          calls.record({ ...call, fault: fault.kind });
          return send(res, response.status, JSON.stringify(faults.mistype(response.body)), response.headers);
      }
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
    setFaults: (next) => {
      faults = new FaultPlan(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  payload: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
