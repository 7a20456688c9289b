/**
 * What a vendor call needs to know about the GraphQL operation it serves, without every source
 * passing it along: the operation's deadline, and what ties the call to the operation in logs and
 * traces. The page loaders enter the scope around each `fetchPage`, and `HttpClient` (and its
 * telemetry observer) read it, so retries never outlive the operation and every vendor-call log
 * line carries the operation's request id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context as TraceContext } from '@opentelemetry/api';
import type { Logger } from '../logger.js';

export interface RequestScope {
  /** Epoch ms after which no vendor call of this operation may start or wait. */
  deadline: number;
  /** The operation's request id (see `useRequestId`). */
  requestId?: string;
  /** The operation's logger, carrying `requestId`: vendor-call lines are its children. */
  log?: Logger;
  /** The trace context of the operation's span: vendor-call spans are its children. */
  trace?: TraceContext;
  /**
   * Told about every failed page fetch, whatever failed: the HTTP exchange, or the answer's
   * envelope or fields, which only the vendor's client reads (after `HttpClient` is done).
   */
  onPageError?: (source: string, error: unknown) => void;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
