/**
 * What a vendor call needs to know about the GraphQL operation it serves: the operation's
 * deadline, and what ties the call to the operation in logs and traces. It is passed explicitly,
 * from the page loaders through `Source.fetchPage` and the vendor's client to `HttpClient.json`
 * (and its telemetry observer), rather than kept in an AsyncLocalStorage, whose promise hooks
 * cost every promise of every request on Node 20. So retries never outlive the operation and
 * every vendor-call log line carries the operation's request id.
 */
import type { Context as TraceContext } from '@opentelemetry/api';
import type { Logger } from '../logger.js';

export interface RequestScope {
  /** Epoch ms after which no vendor call of this operation may start or wait. */
  deadline: number;
  /**
   * Aborts when the operation's client goes away or its deadline passes: no vendor call starts
   * after, and the calls in flight for it alone are aborted (see `SharedPages.get`).
   */
  signal?: AbortSignal;
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
