import type { App, SourceRegistry } from './app.js';
import type { ApiKeyClient } from './auth/api-keys.js';
import type { Logger } from './logger.js';
import type { Engine } from './resolvers/engine.js';
import { RequestLoaders } from './resolvers/loaders.js';
import { newRequestId } from './telemetry/request-id.js';

/** The GraphQL context: the process-wide app and this operation's own loaders and scope. */
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

/**
 * `clientSignal` is the HTTP request's (aborted when the client disconnects); the operation's own
 * signal also aborts at its deadline, and stops its vendor calls (see `RequestScope.signal`).
 */
export function createContext(
  app: App,
  client: ApiKeyClient | null = null,
  clientSignal?: AbortSignal,
): Context {
  const { requestTimeoutMs } = app.policy;
  const deadline = AbortSignal.timeout(requestTimeoutMs);
  const loaders = new RequestLoaders(
    Date.now() + requestTimeoutMs,
    app.policy.maxVendorCalls,
    app.sharedPages,
    clientSignal ? AbortSignal.any([nativeSignal(clientSignal), deadline]) : deadline,
  );
  return {
    app,
    loaders,
    sources: app.sources.scoped(client?.sources ?? null),
    client,
    ...bindRequestId({ app, loaders }, newRequestId()),
  };
}

/**
 * A signal of this runtime's own that follows `signal`. The server adapter may hand Yoga a
 * request whose signal is its own implementation (it does on Node 24), which `AbortSignal.any`
 * refuses.
 */
function nativeSignal(signal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}

/**
 * Gives an operation its request id, and so its logger; its vendor calls' log lines (through the
 * loaders' request scope) carry it too. Returns the context fields to set.
 */
export function bindRequestId(
  context: Pick<Context, 'app' | 'loaders'>,
  requestId: string,
): Pick<Context, 'requestId' | 'log'> {
  const log = context.app.logger.child({ requestId });
  context.loaders.scope.requestId = requestId;
  context.loaders.scope.log = log;
  return { requestId, log };
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
