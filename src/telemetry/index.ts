/**
 * An app's telemetry: its metrics registry and its tracer, and the observer its sources report
 * vendor calls to. Built before the sources (they take it in `SourceDeps.telemetry`) and given to
 * `createApp`, so that the Yoga plugins serve the same instance (`app.telemetry`).
 */
import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import type { SourceTelemetry, VendorCallEvent } from '../sources/http.js';
import type { RequestScope } from '../sources/request-scope.js';
import { ChatgraphMetrics } from './metrics.js';
import { recordVendorCallSpan, TRACER_NAME } from './tracing.js';

export interface Telemetry extends SourceTelemetry {
  metrics: ChatgraphMetrics;
  tracer: Tracer;
}

export function createTelemetry(
  options: {
    /** Where spans go; the global provider (a no-op until an SDK registers) by default. */
    tracerProvider?: TracerProvider;
    /** Also export Node's process metrics (CPU, memory, event loop). */
    processMetrics?: boolean;
  } = {},
): Telemetry {
  const metrics = new ChatgraphMetrics({ processMetrics: options.processMetrics });
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  return {
    metrics,
    tracer,
    onVendorCall(event: VendorCallEvent, scope?: RequestScope) {
      metrics.vendorCall(event);
      recordVendorCallSpan(tracer, event, scope?.trace);
    },
  };
}
