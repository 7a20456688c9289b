import { setMaxListeners } from 'node:events';
import type { App, SourceRegistry } from './app.js';
import type { ApiKeyClient } from './auth/api-keys.js';
import type { Logger } from './logger.js';
import type { Engine } from './resolvers/engine.js';
import { RequestLoaders } from './resolvers/loaders.js';
import type { RequestScope } from './sources/request-scope.js';
import { newRequestId } from './telemetry/request-id.js';

/**
 * The GraphQL context: the process-wide app and this operation's own loaders and scope.
 *
 * `loaders` and `log` are made on first use: a subscription that waits for messages (its reads
 * have their own loaders, see `src/live/hub.ts`) never makes them, nor the deadline timer and
 * abort signals the loaders carry, and that is most of what a context costs.
 */
export interface Context {
  app: App;
  loaders: RequestLoaders;
  /** The sources this operation's client may read: resolvers look sources up here, never in `app`. */
  sources: SourceRegistry;
  /** The authenticated client; null when the API runs open. */
  client: ApiKeyClient | null;
  /** This operation's request id: the client's `x-request-id` when acceptable (`useRequestId`). */
  requestId: string;
  /** The app's logger with `requestId`: log through it, never through `app.logger`. */
  log: Logger;
}

/** What an operation makes only when it first needs it, and what it needs to make it. */
interface Lazy {
  /** Epoch ms the operation began: its deadline counts from here, not from its first read. */
  began: number;
  clientSignal: ClientSignal | undefined;
  loaders?: RequestLoaders;
  log?: Logger;
  /** Clears the deadline timer and the client listener of the loaders' signal (`endOperation`). */
  release?: () => void;
  /** What the plugins told the vendor calls' scope before the loaders were made (`setScope`). */
  scope?: Pick<RequestScope, 'trace' | 'onPageError'>;
}

const LAZY = Symbol('chatgraph.context.lazy');
type LazyContext = Context & { [LAZY]: Lazy };

/**
 * Accessors rather than values, and not enumerable: envelop copies a context factory's result
 * onto the context with `Object.assign`, which would call a getter (and make what it makes).
 */
const lazyFields = {
  loaders: {
    get(this: LazyContext) {
      const lazy = this[LAZY];
      lazy.loaders ??= operationLoaders(this, lazy);
      return lazy.loaders;
    },
    set(this: LazyContext, loaders: RequestLoaders) {
      this[LAZY].loaders = loaders;
    },
    configurable: true,
  },
  log: {
    get(this: LazyContext) {
      const lazy = this[LAZY];
      lazy.log ??= operationLogger(this.app, this.requestId);
      return lazy.log;
    },
    set(this: LazyContext, log: Logger) {
      this[LAZY].log = log;
    },
    configurable: true,
  },
} satisfies PropertyDescriptorMap;

/** The client's signal, or what holds it (a `Request`, whose signal is made on first use). */
type ClientSignal = AbortSignal | { readonly signal: AbortSignal };

/**
 * `clientSignal` is the HTTP request's (aborted when the client disconnects), or the request
 * itself: it is read when the loaders are made. The operation's own signal also aborts at its
 * deadline, and stops its vendor calls (see `RequestScope.signal`).
 * `target`: the object to make the context of (Yoga's initial context, which envelop then
 * extends); a new one when absent.
 */
export function createContext(
  app: App,
  client: ApiKeyClient | null = null,
  clientSignal?: ClientSignal,
  target: object = {},
): Context {
  const lazy: Lazy = { began: Date.now(), clientSignal };
  // One property at a time, the descriptors made once: half the cost of `defineProperties` and
  // `Object.assign`, on every request.
  Object.defineProperty(target, LAZY, { value: lazy });
  Object.defineProperty(target, 'loaders', lazyFields.loaders);
  Object.defineProperty(target, 'log', lazyFields.log);
  const ctx = target as LazyContext;
  ctx.app = app;
  ctx.sources = app.sources.scoped(client?.sources ?? null);
  ctx.client = client;
  ctx.requestId = newRequestId();
  return ctx;
}

function operationLoaders(ctx: Context, lazy: Lazy): RequestLoaders {
  const { requestTimeoutMs, maxVendorCalls } = ctx.app.policy;
  const deadline = lazy.began + requestTimeoutMs;
  const { clientSignal } = lazy;
  // Not `instanceof AbortSignal`: the server adapter's signal may be its own implementation.
  const client = clientSignal && !('addEventListener' in clientSignal) ? clientSignal.signal : clientSignal;
  const operation = operationSignal(deadline - Date.now(), client);
  // Each vendor call in flight listens to it (weizhipin reads many day windows at once): Node's
  // default of 10 would log a "possible memory leak" warning for a well-behaved operation.
  setMaxListeners(maxVendorCalls, operation.signal);
  lazy.release = operation.release;
  const loaders = new RequestLoaders(deadline, maxVendorCalls, ctx.app.sharedPages, operation.signal);
  // Its vendor calls' log lines carry the operation's request id.
  loaders.scope.requestId = ctx.requestId;
  loaders.scope.log = ctx.log;
  if (lazy.scope) Object.assign(loaders.scope, lazy.scope);
  return loaders;
}

/**
 * Tells the operation's vendor calls (their `RequestScope`) what a plugin knows of the operation:
 * its trace, who counts its failed pages. Into the loaders' scope when they are made, else kept
 * for when they are: an operation that calls no vendor (`{ __typename }`, a refused one) never
 * makes loaders, their deadline timer and their signal.
 */
export function setScope<K extends 'trace' | 'onPageError'>(
  ctx: Context,
  key: K,
  value: RequestScope[K],
): void {
  const lazy = (ctx as LazyContext)[LAZY];
  if (!lazy) {
    // A context not made by `createContext` (a test's): its loaders are plain values.
    ctx.loaders.scope[key] = value;
    return;
  }
  if (lazy.loaders) {
    lazy.loaders.scope[key] = value;
  } else {
    lazy.scope ??= {};
    lazy.scope[key] = value;
  }
}

/**
 * The operation is over (its result is out, or its subscription ended): its deadline timer and
 * its listener on the client's signal go. They held the operation's signal, and through it its
 * loaders and every page they read, until the deadline: each request's pages outlived it by
 * `requestTimeoutMs`, were promoted to the old generation and made the process's heap, its
 * collections and its tail latency grow with the request rate (BENCHMARKS.md). A vendor call still
 * running after this (a field that failed leaves its siblings' calls behind) keeps its own
 * deadline (`src/sources/http.ts`).
 */
export function endOperation(ctx: Context): void {
  const lazy = (ctx as LazyContext)[LAZY];
  lazy?.release?.();
  if (lazy) lazy.release = undefined;
}

/**
 * The operation's signal: aborted with a `TimeoutError` after `ms`, or with the client's reason
 * when `client` aborts (it disconnected). Not `AbortSignal.timeout`/`any`: their timer cannot be
 * cleared, and a timeout signal with listeners is kept alive until it fires. The server adapter
 * may also hand Yoga a request whose signal is its own implementation (it does on Node 24), which
 * `AbortSignal.any` refuses.
 */
function operationSignal(
  ms: number,
  client: AbortSignal | undefined,
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    Math.max(0, ms),
  );
  // A deadline is no reason to keep the process alive.
  timer.unref();
  const follow = () => controller.abort(client?.reason);
  if (client?.aborted) follow();
  else client?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      client?.removeEventListener('abort', follow);
    },
  };
}

/** The app's logger with an operation's request id. */
export function operationLogger(app: App, requestId: string): Logger {
  return app.logger.child({ requestId });
}

/** Which of an operation's parts made on first use it has made so far. */
export function madeParts(ctx: Context): { loaders: boolean; log: boolean } {
  const lazy = (ctx as LazyContext)[LAZY];
  return { loaders: lazy.loaders !== undefined, log: lazy.log !== undefined };
}

/**
 * Gives an operation its request id, and so its logger; its vendor calls' log lines (through the
 * loaders' request scope) carry it too.
 */
export function bindRequestId(ctx: Context, requestId: string): void {
  const lazy = (ctx as LazyContext)[LAZY];
  ctx.requestId = requestId;
  lazy.log = undefined;
  if (lazy.loaders) {
    lazy.loaders.scope.requestId = requestId;
    lazy.loaders.scope.log = ctx.log;
  }
}

/**
 * The engine's view of an operation: the one adapter from the GraphQL context to the explicit
 * dependencies the engine takes (src/resolvers/engine.ts).
 */
export function engineOf(ctx: Pick<Context, 'app' | 'loaders' | 'sources'>): Engine {
  const { app } = ctx;
  return {
    sources: ctx.sources,
    loaders: ctx.loaders,
    cursors: app.cursors,
    store: app.store?.store ?? null,
    maxVendorCalls: app.policy.maxVendorCalls,
    keepsPages: app.sharedPages?.keepsPages ?? false,
  };
}
