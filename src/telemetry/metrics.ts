/**
 * Prometheus metrics, in a registry of their own per app (never prom-client's global one, so that
 * tests and embedders can build several apps in one process). Labels are bounded: operation types,
 * a few statuses, source names from the configuration, HTTP statuses and error codes; never an
 * operation name, a path or an id.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { VendorCallEvent } from '../sources/http.js';

/** `ok`: no error; `error`: executed with errors (partial results too); `invalid`: not executed. */
export type OperationStatus = 'ok' | 'error' | 'invalid';

/** Operation and vendor-call latencies: from a cache hit to the 15 s operation deadline and past it. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export class ChatgraphMetrics {
  readonly registry = new Registry();
  readonly #operations: Counter<'operation_type' | 'status'>;
  readonly #operationDuration: Histogram<'operation_type'>;
  readonly #vendorCalls: Counter<'source' | 'status'>;
  readonly #vendorCallDuration: Histogram<'source'>;
  readonly #vendorErrors: Counter<'source' | 'code'>;

  /** `processMetrics`: also Node's own (CPU, memory, event loop lag), as a server wants. */
  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.#operations = new Counter({
      name: 'chatgraph_graphql_operations_total',
      help: 'GraphQL operations by type and outcome (ok, error: executed with errors, invalid: not executed).',
      labelNames: ['operation_type', 'status'],
      registers,
    });
    this.#operationDuration = new Histogram({
      name: 'chatgraph_graphql_duration_seconds',
      help: 'Time to execute a GraphQL operation, vendor calls included.',
      labelNames: ['operation_type'],
      buckets: BUCKETS,
      registers,
    });
    this.#vendorCalls = new Counter({
      name: 'chatgraph_vendor_calls_total',
      help: 'Vendor calls by source and HTTP status of the answer ("none" when no answer came).',
      labelNames: ['source', 'status'],
      registers,
    });
    this.#vendorCallDuration = new Histogram({
      name: 'chatgraph_vendor_call_duration_seconds',
      help: 'Time of one vendor call, retries included.',
      labelNames: ['source'],
      buckets: BUCKETS,
      registers,
    });
    this.#vendorErrors = new Counter({
      name: 'chatgraph_vendor_errors_total',
      help: 'Failed vendor calls by source and chatgraph error code.',
      labelNames: ['source', 'code'],
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** One operation; `seconds` is left out for operations that never ran (`invalid`). */
  operation(operationType: string, status: OperationStatus, seconds?: number): void {
    this.#operations.inc({ operation_type: operationType, status });
    if (seconds !== undefined) this.#operationDuration.observe({ operation_type: operationType }, seconds);
  }

  /** One HTTP exchange with a vendor, however it ended (its errors are counted by `vendorError`). */
  vendorCall(event: VendorCallEvent): void {
    const { source } = event;
    this.#vendorCalls.inc({ source, status: event.status === null ? 'none' : String(event.status) });
    this.#vendorCallDuration.observe({ source }, event.ms / 1000);
  }

  /**
   * One failed vendor page: counted where the whole page is known to have failed, since a vendor
   * may refuse in a 200 answer's body (an expired cookie, a business error code).
   */
  vendorError(source: string, code: string): void {
    this.#vendorErrors.inc({ source, code });
  }

  /** The exposition text `/metrics` serves. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
