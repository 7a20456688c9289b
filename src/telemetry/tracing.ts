/**
 * OpenTelemetry spans through `@opentelemetry/api` only: without an SDK (see `otel-sdk.ts`, set up
 * by the CLI when configured) every span is a no-op. A `graphql.operation` span per operation and
 * a `vendor.call` span per vendor call, the latter a child of the former through the request
 * scope (not the active context: that needs a context manager, and the scope is already there).
 */
import {
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Context as TraceContext,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { VendorCallEvent } from '../sources/http.js';

export const TRACER_NAME = 'chatgraph';

/**
 * The operation's span, and the trace context its vendor calls' spans are children of; no
 * context when the span is a no-op (no SDK set up): nothing would be recorded under it, and the
 * operation need not be told about it.
 */
export function startOperationSpan(
  tracer: Tracer,
  operation: { type: string; name: string | null; requestId: string },
): { span: Span; context: TraceContext | undefined } {
  const span = tracer.startSpan('graphql.operation', {
    attributes: {
      'graphql.operation.type': operation.type,
      ...(operation.name ? { 'graphql.operation.name': operation.name } : {}),
      'chatgraph.request_id': operation.requestId,
    },
  });
  // A span sampled out is not recording but has a valid context: its children must know it.
  const noop = !span.isRecording() && !isSpanContextValid(span.spanContext());
  return { span, context: noop ? undefined : trace.setSpan(ROOT_CONTEXT, span) };
}

export function endOperationSpan(span: Span, errorCodes: string[]): void {
  if (errorCodes.length > 0) {
    span.setAttribute('chatgraph.error_codes', errorCodes);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** A finished vendor call as a span, dated from the event (the call is over when it is reported). */
export function recordVendorCallSpan(
  tracer: Tracer,
  event: VendorCallEvent,
  parent: TraceContext | undefined,
): void {
  const span = tracer.startSpan(
    'vendor.call',
    {
      kind: SpanKind.CLIENT,
      startTime: event.startedAt,
      attributes: {
        'chatgraph.source': event.source,
        'chatgraph.call_id': event.callId,
        'http.request.method': event.method,
        'url.path': event.path,
        ...(event.status === null ? {} : { 'http.response.status_code': event.status }),
        ...(event.code === null ? {} : { 'chatgraph.error_code': event.code }),
      },
    },
    parent ?? ROOT_CONTEXT,
  );
  if (event.code !== null) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(event.startedAt + event.ms);
}
