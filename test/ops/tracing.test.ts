/** Spans: one `graphql.operation` per operation, its vendor calls as `vendor.call` children. */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { tracingMode } from '../../src/telemetry/otel-sdk.js';
import { startOperationSpan } from '../../src/telemetry/tracing.js';
import { type OpsHarness, startOpsHarness, WECHAT_FIRST_PAGE } from './ops-harness.js';

let harness: OpsHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function traced(options: Parameters<typeof startOpsHarness>[0] = {}) {
  const exporter = new InMemorySpanExporter();
  // A provider of the test's own, never the global one: nothing else in the process sees it.
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  harness = await startOpsHarness({ ...options, tracerProvider });
  return { harness, spans: () => exporter.getFinishedSpans() };
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);

describe('spans', () => {
  it("makes each vendor call a child of its operation's span", async () => {
    const { harness, spans } = await traced({ vendors: ['WECHAT_STORE', 'WEIZHIPIN'] });
    await harness.graphql(WECHAT_FIRST_PAGE, { 'x-request-id': 'traced-1' });
    // weizhipin: a tenant token and then one window (one second of a chat), two calls.
    await harness.graphql(`query Window { source(name: "weizhipin") {
      conversation(externalId: "open_id:sandbox-empty") {
        messages(first: 1, filter: { since: "2026-01-01T00:00:00Z", until: "2026-01-01T00:00:01Z" }) { edges { cursor } }
      } } }`);

    const operations = named(spans(), 'graphql.operation');
    expect(operations.map((span) => span.attributes)).toEqual([
      {
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'FirstPage',
        'chatgraph.request_id': 'traced-1',
      },
      {
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'Window',
        'chatgraph.request_id': expect.any(String),
      },
    ]);
    const [first, second] = operations as [ReadableSpan, ReadableSpan];
    expect(first.parentSpanContext).toBeUndefined();
    expect(first.status.code).toBe(SpanStatusCode.UNSET);

    const calls = named(spans(), 'vendor.call');
    const childrenOf = (parent: ReadableSpan) =>
      calls.filter(
        (span) =>
          span.parentSpanContext?.spanId === parent.spanContext().spanId &&
          span.spanContext().traceId === parent.spanContext().traceId,
      );
    expect(calls).toHaveLength(3);
    expect(childrenOf(first).map((span) => span.attributes)).toEqual([
      {
        'chatgraph.source': 'wechat-store',
        'chatgraph.call_id': expect.any(String),
        'http.request.method': 'POST',
        'url.path': '/shop/commkf/msg',
        'http.response.status_code': 200,
      },
    ]);
    expect(childrenOf(second).map((span) => span.attributes['url.path'])).toEqual([
      '/open-apis/auth/tenant_access_token/internal',
      '/open-apis/im/v2/messages',
    ]);
    for (const call of calls) expect(call.kind).toBe(SpanKind.CLIENT);
    // The two operations are two traces.
    expect(first.spanContext().traceId).not.toBe(second.spanContext().traceId);
  });

  it('marks a failed call and its operation as errors, with their codes', async () => {
    const { harness, spans } = await traced({
      vendors: ['WECHAT_STORE'],
      configure: (configs) =>
        configs.map((config) => ({ ...config, baseUrl: 'http://127.0.0.1:9', http: { maxRetries: 0 } })),
    });
    await harness.graphql(WECHAT_FIRST_PAGE);
    const [operation] = named(spans(), 'graphql.operation');
    const [call] = named(spans(), 'vendor.call');
    expect(operation?.status.code).toBe(SpanStatusCode.ERROR);
    expect(operation?.attributes['chatgraph.error_codes']).toEqual(['VENDOR_UNREACHABLE']);
    expect(call?.status.code).toBe(SpanStatusCode.ERROR);
    expect(call?.attributes['chatgraph.error_code']).toBe('VENDOR_UNREACHABLE');
    expect(call?.attributes['http.response.status_code']).toBeUndefined();
    expect(call?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
  });
});

describe('tracingMode', () => {
  it('is off unless an OTLP endpoint or the console is asked for', () => {
    expect(tracingMode({})).toBeNull();
    expect(tracingMode({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracingMode({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(
      'otlp',
    );
    expect(tracingMode({ CHATGRAPH_OTEL: 'console' })).toBe('console');
    expect(tracingMode({ CHATGRAPH_OTEL: 'console', OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(tracingMode({ CHATGRAPH_OTEL: 'yes' })).toBeNull();
  });
});

describe('startOperationSpan', () => {
  const operation = { type: 'query', name: null, requestId: 'r-1' };

  it('gives no trace context to pass on when nothing records (no SDK set up)', () => {
    const { span, context } = startOperationSpan(trace.getTracer('chatgraph-test'), operation);
    expect(span.isRecording()).toBe(false);
    expect(context).toBeUndefined();
  });

  it("gives one for a span sampled out, so that its vendor calls' spans are sampled out too", () => {
    const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
    const { span, context } = startOperationSpan(provider.getTracer('chatgraph-test'), operation);
    expect(span.isRecording()).toBe(false);
    expect(context && trace.getSpan(context)).toBe(span);
  });

  it('gives one for a recorded span', () => {
    const provider = new BasicTracerProvider();
    const { span, context } = startOperationSpan(provider.getTracer('chatgraph-test'), operation);
    expect(span.isRecording()).toBe(true);
    expect(context && trace.getSpan(context)).toBe(span);
  });
});
