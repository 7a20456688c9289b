/**
 * The one way sources talk HTTP: a JSON request through the source's own undici agent, composed
 * with undici's retry interceptor (network errors, 5xx and 429 retried with jittered exponential
 * backoff, `Retry-After` honoured, never past the GraphQL operation's deadline), behind a circuit
 * breaker per source. Every failure becomes a `ChatgraphError` with a stable code that names the
 * source, and nothing secret (headers, query strings, bodies) reaches a message or a log line.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher, interceptors, type RetryHandler } from 'undici';
import { z } from 'zod';
import {
  ChatgraphError,
  clientLeft,
  ERROR_CODES,
  type ErrorCode,
  isChatgraphError,
  operationAborted,
  vendorTooLarge,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { parseJsonLossless } from '../normalize/wire.js';
import { CircuitBreaker, type CircuitBreakerOptions, DEFAULT_BREAKER } from './circuit-breaker.js';
import type { RequestScope } from './request-scope.js';

export interface HttpTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

/**
 * Well inside the operation's default deadline (`requestTimeoutMs`, 15 s): a hung call times out
 * while there is still time to retry it, instead of spending the whole deadline on one attempt.
 */
export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 3_000, headersMs: 4_000, bodyMs: 4_000 };

/**
 * The largest answer a source reads, in bytes: a page of 100 records with rich content is well
 * under 1 MB. A larger or endless body is cut off as it streams in (VENDOR_BAD_RESPONSE), never
 * buffered whole.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The backoff before retry n is drawn from [c/2, c] where c = min(maxDelayMs, minDelayMs · 2^(n-1)). */
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, minDelayMs: 100, maxDelayMs: 2_000 };

/** Reliability settings of one source; every source config accepts them under `http`. */
export interface SourceHttpOptions {
  timeouts: HttpTimeouts;
  retry: RetryPolicy;
  /** Most vendor calls in flight at once for this source; more wait in the agent's queue. */
  maxConcurrency: number;
  breaker: CircuitBreakerOptions;
  /** The largest answer body read, in bytes. */
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_OPTIONS: SourceHttpOptions = {
  timeouts: DEFAULT_TIMEOUTS,
  retry: DEFAULT_RETRY,
  maxConcurrency: 16,
  breaker: DEFAULT_BREAKER,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
};

/** The `http` block of a source's configuration; every part is optional. */
export const sourceHttpConfig = z
  .strictObject({
    connectTimeoutMs: z.int().min(1).max(120_000).optional(),
    headersTimeoutMs: z.int().min(1).max(300_000).optional(),
    bodyTimeoutMs: z.int().min(1).max(300_000).optional(),
    maxRetries: z.int().min(0).max(10).optional(),
    retryMinDelayMs: z.int().min(0).max(60_000).optional(),
    retryMaxDelayMs: z.int().min(0).max(300_000).optional(),
    maxConcurrency: z.int().min(1).max(1_000).optional(),
    breakerFailureThreshold: z.int().min(1).max(1_000).optional(),
    breakerCooldownMs: z.int().min(1).max(3_600_000).optional(),
    maxResponseBytes: z
      .int()
      .min(1_024)
      .max(256 * 1024 * 1024)
      .optional(),
  })
  .optional();

export type SourceHttpConfig = z.output<typeof sourceHttpConfig>;

export function httpOptions(config: SourceHttpConfig): SourceHttpOptions {
  const d = DEFAULT_HTTP_OPTIONS;
  return {
    timeouts: {
      connectMs: config?.connectTimeoutMs ?? d.timeouts.connectMs,
      headersMs: config?.headersTimeoutMs ?? d.timeouts.headersMs,
      bodyMs: config?.bodyTimeoutMs ?? d.timeouts.bodyMs,
    },
    retry: {
      maxRetries: config?.maxRetries ?? d.retry.maxRetries,
      minDelayMs: config?.retryMinDelayMs ?? d.retry.minDelayMs,
      maxDelayMs: config?.retryMaxDelayMs ?? d.retry.maxDelayMs,
    },
    maxConcurrency: config?.maxConcurrency ?? d.maxConcurrency,
    breaker: {
      failureThreshold: config?.breakerFailureThreshold ?? d.breaker.failureThreshold,
      cooldownMs: config?.breakerCooldownMs ?? d.breaker.cooldownMs,
    },
    maxResponseBytes: config?.maxResponseBytes ?? d.maxResponseBytes,
  };
}

const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];
const RETRY_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
];

/**
 * One agent per source: its connections, timeouts, concurrency cap and retries belong to that
 * source. The retry interceptor's own policy is replaced per request (see `retryPolicy`) so that
 * backoff is jittered and bounded by the operation's deadline.
 */
export function createAgent(options: Partial<SourceHttpOptions> = {}): Agent {
  const { timeouts, maxConcurrency, retry } = { ...DEFAULT_HTTP_OPTIONS, ...options };
  return new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 30_000,
    connections: maxConcurrency,
  }).compose(
    interceptors.retry({
      maxRetries: retry.maxRetries,
      methods: ['GET', 'POST'],
      statusCodes: RETRY_STATUS_CODES,
      errorCodes: RETRY_ERROR_CODES,
    }),
    // `compose` wraps the agent in a proxy that only swaps `dispatch`: it is still the agent.
  ) as Agent;
}

/** undici's retry decision with jittered backoff and a deadline; the rest as undici's default. */
export function retryPolicy(
  policy: RetryPolicy,
  deadline: number,
  random = Math.random,
): RetryHandler.RetryCallback {
  return (error, { state }, callback) => {
    const { statusCode, code, headers } = error as Error & {
      statusCode?: number;
      code?: string;
      headers?: Record<string, string | string[] | undefined>;
    };
    const retryable =
      statusCode !== undefined
        ? RETRY_STATUS_CODES.includes(statusCode)
        : RETRY_ERROR_CODES.includes(code ?? '');
    if (!retryable || state.counter > policy.maxRetries) return callback(error);
    const retryAfter = retryAfterMs(headers?.['retry-after']);
    const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (state.counter - 1));
    // "Equal jitter": at least half the exponential step, so retries of many clients spread out
    // without any of them hammering the vendor straight away.
    const delay = retryAfter ?? Math.round(ceiling / 2 + (random() * ceiling) / 2);
    // A wait that would end after the deadline only delays the failure the client will get.
    if (Date.now() + delay >= deadline) return callback(error);
    setTimeout(() => callback(null), delay);
  };
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** One vendor call as `HttpClient.json` saw it, retries included; nothing secret in it. */
export interface VendorCallEvent {
  /** Unique per call; the same id is on the call's log lines. */
  callId: string;
  source: string;
  method: 'GET' | 'POST';
  /** The URL's path, never its query string. */
  path: string;
  /** HTTP status of the (last) answer; null when none arrived (network, timeout, open circuit). */
  status: number | null;
  /** The error's code when the call failed (UNEXPECTED for a bug, not a vendor error), else null. */
  code: ErrorCode | 'UNEXPECTED' | null;
  /** Epoch ms when the call started. */
  startedAt: number;
  ms: number;
}

/** Where a source reports its vendor calls (metrics, traces); see `src/telemetry`. */
export interface SourceTelemetry {
  /** `scope` is the operation the call served (its trace context); absent outside an operation. */
  onVendorCall(event: VendorCallEvent, scope?: RequestScope): void;
}

export interface HttpClientDeps {
  /** Source name, for errors and logs. */
  source: string;
  /** Vendor base URL, e.g. `https://store.weixin.qq.com`; a path prefix is kept. */
  baseUrl: string;
  dispatcher: Dispatcher;
  logger: Logger;
  retry?: RetryPolicy;
  breaker?: CircuitBreaker;
  /** Deadline of calls made outside a GraphQL operation (start-up checks, scripts). */
  defaultTimeoutMs?: number;
  /** The largest answer body read, in bytes; `DEFAULT_MAX_RESPONSE_BYTES` when absent. */
  maxResponseBytes?: number;
  /** Told about every call once it is over, failed or not, with the scope the call was made in. */
  onCall?: (event: VendorCallEvent, scope: RequestScope | undefined) => void;
}

/** What one call learns on the way, for its log lines and its `VendorCallEvent`. */
interface CallState {
  callId: string;
  path: string;
  status: number | null;
  /** The call's logger (a child carrying `callId` and `source`), made on its first line. */
  log: () => Logger;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Error statuses whose JSON body is the vendor's own error envelope, returned like a 2xx body
   * so the client can read its code (e.g. an invalid-token code sent with HTTP 400).
   */
  envelopeStatuses?: readonly number[];
}

/** Errors that say the vendor is not answering (as opposed to answering something wrong). */
const AVAILABILITY_CODES = new Set<string>([
  ERROR_CODES.VENDOR_UNREACHABLE,
  ERROR_CODES.VENDOR_TIMEOUT,
  ERROR_CODES.VENDOR_RATE_LIMITED,
]);
const isAvailabilityFailure = (error: unknown): boolean =>
  isChatgraphError(error) &&
  (AVAILABILITY_CODES.has(error.code) ||
    (error.code === ERROR_CODES.VENDOR_ERROR && Number(error.details.httpStatus) >= 500));

/** Distinct paths a client remembers resolved; vendor clients call a handful of constant paths. */
const MAX_REMEMBERED_PATHS = 64;

export class HttpClient {
  readonly #deps: HttpClientDeps;
  readonly #base: URL;
  readonly #breaker: CircuitBreaker;
  /**
   * `new URL(path, base)` per path, resolved once: its origin and pathname, or null when the path
   * brings its own query or fragment (then each call resolves it in full, as it always did).
   */
  readonly #paths = new Map<string, { origin: string; pathname: string } | null>();

  constructor(deps: HttpClientDeps) {
    this.#deps = deps;
    this.#base = new URL(deps.baseUrl.endsWith('/') ? deps.baseUrl : `${deps.baseUrl}/`);
    this.#breaker = deps.breaker ?? new CircuitBreaker(deps.source);
  }

  /**
   * Sends the request and returns the parsed JSON body of a 2xx answer. `scope` is the GraphQL
   * operation the call serves (its deadline, logger and trace); without one (start-up checks,
   * scripts, tests) the call has `defaultTimeoutMs` and logs through the client's own logger.
   */
  async json(req: JsonRequest, scope?: RequestScope): Promise<unknown> {
    const { source, logger, onCall } = this.#deps;
    const url = this.#target(req);
    const callId = randomUUID();
    // The operation's logger when there is one, so the line carries its request id.
    const parent = scope?.log ?? logger;
    // Most calls write no line at all (the debug line is usually off): the child logger is only
    // made for a line that is written.
    let child: Logger | undefined;
    const callLog = (): Logger => {
      child ??= parent.child({ callId, source });
      return child;
    };
    const call: CallState = { callId, path: url.pathname, status: null, log: callLog };
    const startedAt = Date.now();
    const started = performance.now();
    let code: VendorCallEvent['code'] = null;
    try {
      this.#breaker.admit();
      let body: unknown;
      try {
        body = await this.#send(req, url, call, scope);
      } catch (error) {
        this.#breaker.settle(isAvailabilityFailure(error));
        throw error;
      }
      this.#breaker.settle(false);
      return body;
    } catch (error) {
      code = isChatgraphError(error) ? error.code : 'UNEXPECTED';
      throw error;
    } finally {
      const ms = Math.round(performance.now() - started);
      if (parent.isLevelEnabled('debug')) {
        callLog().debug({ path: call.path, status: call.status, ms, code }, 'vendor call');
      }
      try {
        onCall?.(
          {
            callId,
            source,
            method: req.method,
            path: call.path,
            status: call.status,
            code,
            startedAt,
            ms,
          },
          scope,
        );
      } catch (error) {
        // Telemetry must never decide a vendor call's outcome.
        callLog().error({ err: error }, 'vendor call observer failed');
      }
    }
  }

  async #send(
    req: JsonRequest,
    url: RequestTarget,
    call: CallState,
    scope: RequestScope | undefined,
  ): Promise<unknown> {
    const { source, dispatcher } = this.#deps;
    const deadline = scope?.deadline ?? Date.now() + (this.#deps.defaultTimeoutMs ?? 30_000);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw this.#timeout('DEADLINE');

    const maxBytes = this.#deps.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const answer = new AnswerReader(maxBytes, source);
    // The call's own deadline, also after its operation is over (`endOperation`); and the
    // operation's signal, which aborts when its client leaves (see `RequestScope.signal`). Both are
    // released when the call ends: a timer or listener left behind would hold the call's answer.
    const timer = setTimeout(timeOut, remaining, answer);
    const operation = scope?.signal;
    if (operation?.aborted) answer.abort(operation.reason);
    else operation?.addEventListener('abort', answer, { once: true });
    let text: string;
    try {
      try {
        dispatcher.dispatch(
          {
            origin: url.origin,
            path: url.path,
            method: req.method,
            headers: {
              accept: 'application/json',
              ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...req.headers,
            },
            body: req.body === undefined ? undefined : JSON.stringify(req.body),
            retryOptions: { retry: retryPolicy(this.#deps.retry ?? DEFAULT_RETRY, deadline) },
          } as Dispatcher.DispatchOptions,
          answer,
        );
      } catch (error) {
        // Refused before it started (invalid options): the call's error like any other.
        answer.abort(error);
      }
      text = await answer.text;
    } catch (error) {
      // Cut off because the client left: not the vendor's failure (the circuit must not count it).
      if (operation && clientLeft(operation)) throw operationAborted(operation);
      if (answer.status === 0) throw isChatgraphError(error) ? error : this.#transportError(error, call);
      // The answer had begun: its status is the call's, and what stopped it is about its body.
      call.status = answer.status;
      if (isChatgraphError(error)) {
        call.log().warn({ path: url.pathname, cause: error.details.cause }, 'vendor answer refused');
        throw error;
      }
      call
        .log()
        .warn({ path: url.pathname, code: (error as { code?: string }).code }, 'vendor answer cut off');
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_BAD_RESPONSE,
        `Source "${source}" answered with a body that was cut off.`,
        { source, field: '(body)', cause: 'truncated' },
      );
    } finally {
      clearTimeout(timer);
      operation?.removeEventListener('abort', answer);
    }
    const status = answer.status;
    call.status = status;

    if (req.envelopeStatuses?.includes(status)) {
      const envelope = parseJson(text);
      if (envelope !== undefined) return envelope;
    }
    if (status === 401 || status === 403) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_AUTH_FAILED,
        `The vendor rejected the credentials of source "${source}".`,
        { source, httpStatus: status },
      );
    }
    if (status < 200 || status >= 300) {
      throw new ChatgraphError(ERROR_CODES.VENDOR_ERROR, `Source "${source}" answered HTTP ${status}.`, {
        source,
        httpStatus: status,
      });
    }
    const body = parseJson(text);
    if (body === undefined) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_BAD_RESPONSE,
        `Source "${source}" answered with a body that is not JSON.`,
        { source, field: '(body)' },
      );
    }
    return body;
  }

  /**
   * Where the request goes: `req.path` resolved against the base URL and `req.query` appended,
   * byte for byte what `new URL` and `searchParams.set` make, without parsing a URL per call.
   */
  #target(req: JsonRequest): RequestTarget {
    let resolved = this.#paths.get(req.path);
    if (resolved === undefined) {
      const url = new URL(req.path.replace(/^\//, ''), this.#base);
      resolved = url.search === '' && url.hash === '' ? { origin: url.origin, pathname: url.pathname } : null;
      if (this.#paths.size < MAX_REMEMBERED_PATHS) this.#paths.set(req.path, resolved);
    }
    if (resolved === null) return slowTarget(this.#base, req);
    const query = queryString(req.query);
    return {
      origin: resolved.origin,
      pathname: resolved.pathname,
      path: query === '' ? resolved.pathname : `${resolved.pathname}?${query}`,
    };
  }

  /** What went wrong before a whole answer arrived, retries included. */
  #transportError(error: unknown, call: CallState): ChatgraphError {
    const { source } = this.#deps;
    const { code, statusCode, name } = error as { code?: string; statusCode?: number; name?: string };
    // undici's retry handler gives up with the last answer's status: the call did get an answer.
    if (statusCode !== undefined) call.status = statusCode;
    call.log().warn({ path: call.path, code: code ?? name, httpStatus: statusCode }, 'vendor call failed');
    if (statusCode === 429) {
      return new ChatgraphError(
        ERROR_CODES.VENDOR_RATE_LIMITED,
        `Source "${source}" is being rate-limited by its vendor.`,
        { source, httpStatus: statusCode },
      );
    }
    if (statusCode !== undefined) {
      return new ChatgraphError(ERROR_CODES.VENDOR_ERROR, `Source "${source}" answered HTTP ${statusCode}.`, {
        source,
        httpStatus: statusCode,
      });
    }
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_ABORTED')
      return this.#timeout('DEADLINE');
    if (
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return this.#timeout(code);
    }
    return new ChatgraphError(
      ERROR_CODES.VENDOR_UNREACHABLE,
      `Source "${source}" could not be reached (${code ?? name ?? 'unknown'}).`,
      { source, cause: code ?? name ?? 'unknown' },
    );
  }

  #timeout(cause: string): ChatgraphError {
    const { source } = this.#deps;
    return new ChatgraphError(
      ERROR_CODES.VENDOR_TIMEOUT,
      `Source "${source}" did not answer in time (${cause}).`,
      {
        source,
        cause,
      },
    );
  }
}

/** A request's origin, its path (logged), and its path with the query (sent, never logged). */
interface RequestTarget {
  origin: string;
  pathname: string;
  path: string;
}

/** The target as `new URL` and `URLSearchParams` make it: for a path that has its own query. */
function slowTarget(base: URL, req: JsonRequest): RequestTarget {
  const url = new URL(req.path.replace(/^\//, ''), base);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return { origin: url.origin, pathname: url.pathname, path: url.pathname + url.search };
}

/**
 * `query` as `URLSearchParams` serializes it after a `set` per defined value: pairs in order, each
 * name and value form-urlencoded (UTF-8; alphanumerics and `*-._` kept, space as `+`).
 */
export function queryString(query: JsonRequest['query']): string {
  let text = '';
  if (query === undefined) return text;
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined) continue;
    if (text !== '') text += '&';
    text += `${formEncode(key)}=${formEncode(String(value))}`;
  }
  return text;
}

const FORM_KEPT = /^[\w*.-]*$/;
/** What `encodeURIComponent` keeps or writes that form-urlencoding does not. */
const FORM_DIFFERENT = /[!'()~]|%20/g;
const FORM_INSTEAD: Record<string, string> = {
  '!': '%21',
  "'": '%27',
  '(': '%28',
  ')': '%29',
  '~': '%7E',
  '%20': '+',
};
const formInstead = (text: string): string => FORM_INSTEAD[text] ?? text;

function formEncode(text: string): string {
  if (FORM_KEPT.test(text)) return text;
  try {
    return encodeURIComponent(text).replace(FORM_DIFFERENT, formInstead);
  } catch {
    // A lone surrogate, which `URLSearchParams` writes as U+FFFD.
    return new URLSearchParams([['', text]]).toString().slice(1);
  }
}

/** A source's HTTP client and the agent behind it, built from its configuration. */
export function createSourceHttp(
  config: { name: string; baseUrl: string; http?: SourceHttpConfig },
  deps: { logger: Logger; dispatcher?: Dispatcher; telemetry?: SourceTelemetry },
): { http: HttpClient; close(): Promise<void> } {
  const options = httpOptions(config.http);
  const agent = deps.dispatcher ? null : createAgent(options);
  const http = new HttpClient({
    source: config.name,
    baseUrl: config.baseUrl,
    dispatcher: deps.dispatcher ?? (agent as Dispatcher),
    logger: deps.logger,
    retry: options.retry,
    maxResponseBytes: options.maxResponseBytes,
    breaker: new CircuitBreaker(config.name, options.breaker),
    onCall: deps.telemetry && ((event, scope) => deps.telemetry?.onVendorCall(event, scope)),
  });
  return { http, close: async () => agent?.close() };
}

/**
 * One call's answer, collected as undici hands it over (retries happen below it, in undici's retry
 * handler): no stream and no promise per chunk, one promise for the whole body. The body is cut off
 * (the connection dropped) as soon as it passes `maxBytes`, declared or streamed: a 200 MB or endless
 * answer costs `maxBytes` of memory, not its size. It is also the call's abort: its deadline timer
 * and the operation's signal (`handleEvent`) end the exchange, queued, waiting or streaming.
 */
class AnswerReader implements Dispatcher.DispatchHandler {
  /** The answer's HTTP status once its headers arrived; 0 before. */
  status = 0;
  /** The whole body as text, or the error that ended the exchange. */
  readonly text: Promise<string>;
  readonly #maxBytes: number;
  readonly #source: string;
  #resolve!: (text: string) => void;
  #reject!: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | null = null;
  #chunks: Buffer[] = [];
  #received = 0;
  #settled = false;
  /** Why the call was aborted; an attempt that starts later is aborted with it. */
  #reason: Error | undefined;

  constructor(maxBytes: number, source: string) {
    this.#maxBytes = maxBytes;
    this.#source = source;
    this.text = new Promise<string>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Ends the call with `reason`, whatever it is doing (queued, between retries, streaming). */
  abort(reason: unknown): void {
    if (this.#settled) return;
    this.#fail(reason);
    this.#reason = reason as Error;
    this.#controller?.abort(this.#reason);
  }

  /** The operation's signal aborted: its client left, or its deadline passed. */
  handleEvent(event: Event): void {
    this.abort((event.target as AbortSignal).reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Aborted while queued or waiting to retry: this attempt is not sent.
    if (this.#settled) this.#stop(controller);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (this.#settled) {
      this.#stop(controller);
      return;
    }
    // 1xx answers are interim; the call's answer comes after.
    if (statusCode < 200) return;
    this.status = statusCode;
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxBytes) this.#refuse(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) {
      this.#stop(controller);
      return;
    }
    this.#received += chunk.length;
    if (this.#received > this.#maxBytes) this.#refuse(controller);
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settled = true;
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#resolve(
      chunks.length === 1
        ? (chunks[0] as Buffer).toString('utf8')
        : Buffer.concat(chunks, this.#received).toString('utf8'),
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.#settled) this.#fail(error);
  }

  /** An attempt that goes on after the call ended (a retry resuming its body) goes no further. */
  #stop(controller: Dispatcher.DispatchController): void {
    controller.abort(this.#reason ?? new Error('The vendor call is over.'));
  }

  #refuse(controller: Dispatcher.DispatchController): void {
    const error = vendorTooLarge(this.#source, `a body larger than ${this.#maxBytes} bytes`);
    this.#fail(error);
    this.#reason = error;
    controller.abort(error);
  }

  #fail(error: unknown): void {
    this.#settled = true;
    this.#chunks = [];
    this.#reject(error);
  }
}

function timeOut(answer: AnswerReader): void {
  answer.abort(new DOMException('The vendor call timed out.', 'TimeoutError'));
}

/**
 * The parsed JSON text, or undefined when it is not JSON (`null` is a JSON value). Integers too
 * long for a double keep their digits, as strings (`parseJsonLossless`).
 */
function parseJson(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}
