/**
 * The HTTP server every vendor emulator runs on: a real `node:http` server on a free loopback
 * port, so the API reaches it through the same client code and undici agent as the real vendor.
 * It counts the calls it serves, which is how tests prove what the gateway asked for.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type Faults } from './faults.js';
import { serveMedia, signMediaUrls } from './media.js';

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
  /**
   * Fields whose digit-string values are sent as bare JSON numbers, however long: how a vendor
   * sends a 64-bit id as a number, which `JSON.stringify` cannot write.
   */
  bareIntegers?: readonly string[];
}

/** `body` as JSON, the digit strings of `fields` written as bare numbers. */
function stringify(body: unknown, fields: readonly string[] = []): string {
  const text = JSON.stringify(body);
  if (text === undefined || fields.length === 0) return text;
  // A quote inside a string value is escaped, so `"name":"digits"` only matches a member itself.
  const names = fields.map((field) => field.replace(/[^\w]/g, '')).join('|');
  return text.replace(new RegExp(`"(${names})":"(\\d+)"`, 'g'), '"$1":$2');
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
  /**
   * Serve the sandbox's media under `/media/` and link it from answers (see `media.ts`); off by
   * default, so an emulator fed arbitrary records (the fuzz tests) answers them verbatim.
   */
  setMedia(on: boolean): void;
  /**
   * Serve precomputed answers (off by default). The first time a request is seen its answer is
   * computed by the handler as usual and its bytes stored; an identical request (method, path and
   * query, headers other than transport ones, body) is then answered with those bytes without
   * running the handler or serialising again. For benchmarks, so that the emulator costs as little
   * as a vendor's cache would: stateful answers (a fresh `request_id`, a token's remaining
   * lifetime, handler-side counters and latency) freeze at their first value. Calls are still
   * counted and faults still injected. Turning it off (or on) forgets what was stored.
   */
  setPrecomputed(on: boolean): void;
  close(): Promise<void>;
}

/** An answer ready to send, and what the call log records of the request it answers. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** The response body as the handler returned it: the faults that garble a body need it. */
  body: unknown;
  payload: Buffer;
  call: { method: string; path: string; body: unknown };
}

/** Stored answers kept at most; a benchmark asks for a handful of distinct pages. */
const KEPT_ANSWERS = 4_096;

/** Headers that say how the bytes travel, not what is asked: left out of a precomputed key. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'keep-alive',
  'transfer-encoding',
]);

/** The identity of a request for precomputed answers; credentials are part of it. */
function answerKey(method: string, url: string, rawHeaders: string[], rawBody: string): string {
  let headers = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (!TRANSPORT_HEADERS.has(name)) headers += `${name}:${rawHeaders[i + 1]}\n`;
  }
  return `${method} ${url}\n${headers}\n${rawBody}`;
}

export async function startEmulator(
  handler: EmulatorHandler,
  options: { host?: string; port?: number; clock?: () => number } = {},
): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  let baseUrl = '';
  let media = false;
  const calls = new CallLog();
  let faults = new FaultPlan({});
  let precomputed: Map<string, Answer> | null = null;

  const compute = async (
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    rawBody: string,
  ): Promise<Answer> => {
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const url = new URL(rawUrl, 'http://emulator');
    let response: EmulatorResponse;
    try {
      response = await handler({ method, url, headers, body, rawBody });
    } catch {
      response = { status: 500, body: { error: 'emulator failure' } };
    }
    // Media URLs in the answer become signed links on this emulator (see media.ts).
    const text = stringify(response.body, response.bareIntegers);
    const signed = text === undefined || !media ? text : signMediaUrls(text, baseUrl, clock());
    return {
      status: response.status,
      headers: response.headers,
      body: signed === text ? response.body : JSON.parse(signed),
      payload: Buffer.from(signed ?? 'undefined'),
      call: { method, path: url.pathname + url.search, body },
    };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const rawBody = chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      const rawUrl = req.url ?? '/';
      // The emulator's own media: not a vendor API call, so neither counted nor faulted.
      const file = media && method === 'GET' ? serveMedia(new URL(rawUrl, baseUrl), clock()) : null;
      if (file) return send(res, file.status, file.body, file.headers);
      let answer: Answer;
      const store = precomputed;
      if (store) {
        const key = answerKey(method, rawUrl, req.rawHeaders, rawBody);
        const kept = store.get(key);
        if (kept) {
          answer = kept;
        } else {
          answer = await compute(method, rawUrl, req.headers, rawBody);
          if (store.size >= KEPT_ANSWERS) store.delete(store.keys().next().value as string);
          store.set(key, answer);
        }
      } else {
        answer = await compute(method, rawUrl, req.headers, rawBody);
      }
      const fault = faults.next();
      const call = { ...answer.call, status: answer.status };
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      switch (fault.kind) {
        case 'none':
          calls.record(call);
          return send(res, answer.status, answer.payload, answer.headers);
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
          return send(res, 200, `${JSON.stringify(answer.body).slice(0, -1)},}`);
        case 'truncated': {
          calls.record({ ...call, fault: fault.kind });
          const payload = answer.payload;
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
          return send(res, answer.status, JSON.stringify(faults.mistype(answer.body)), answer.headers);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address}:${port}`;
  return {
    baseUrl,
    calls,
    setFaults: (next) => {
      faults = new FaultPlan(next);
    },
    setMedia: (on) => {
      media = on;
    },
    setPrecomputed: (on) => {
      precomputed = on ? new Map() : null;
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
  payload: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
    ...headers,
  });
  res.end(payload);
}
