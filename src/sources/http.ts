/**
 * The one way sources talk HTTP: a JSON request through the source's own undici dispatcher, with
 * every failure turned into a `ChatgraphError` that has a stable code and names the source, and
 * nothing secret (headers, query strings, bodies) in messages or log lines.
 */
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import { ChatgraphError, ERROR_CODES } from '../errors.js';
import type { Logger } from '../logger.js';

export interface HttpTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, headersMs: 15_000, bodyMs: 15_000 };

/** One agent per source: its connections, timeouts and (later) limits belong to that source. */
export function createAgent(timeouts: HttpTimeouts = DEFAULT_TIMEOUTS): Agent {
  return new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 30_000,
  });
}

export interface HttpClientDeps {
  /** Source name, for errors and logs. */
  source: string;
  /** Vendor base URL, e.g. `https://store.weixin.qq.com`; a path prefix is kept. */
  baseUrl: string;
  dispatcher: Dispatcher;
  logger: Logger;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
}

export class HttpClient {
  readonly #deps: HttpClientDeps;
  readonly #base: URL;

  constructor(deps: HttpClientDeps) {
    this.#deps = deps;
    this.#base = new URL(deps.baseUrl.endsWith('/') ? deps.baseUrl : `${deps.baseUrl}/`);
  }

  /** Sends the request and returns the parsed JSON body of a 2xx answer. */
  async json(req: JsonRequest): Promise<unknown> {
    const { source, dispatcher, logger } = this.#deps;
    const url = new URL(req.path.replace(/^\//, ''), this.#base);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const started = performance.now();
    let status: number;
    let text: string;
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: {
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...req.headers,
        },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'UNKNOWN';
      logger.warn({ source, path: url.pathname, code }, 'vendor call failed');
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_UNREACHABLE,
        `Source "${source}" could not be reached (${code}).`,
        { source, cause: code },
      );
    }
    const ms = Math.round(performance.now() - started);
    logger.debug({ source, path: url.pathname, status, ms }, 'vendor call');

    if (status === 429) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_RATE_LIMITED,
        `Source "${source}" is being rate-limited by its vendor.`,
        { source, httpStatus: status },
      );
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
    try {
      return JSON.parse(text);
    } catch {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_BAD_RESPONSE,
        `Source "${source}" answered with a body that is not JSON.`,
        { source, field: '(body)' },
      );
    }
  }
}
