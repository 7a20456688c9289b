/**
 * The OpenTelemetry SDK, for the CLI only (the library code uses `@opentelemetry/api` alone):
 * set up when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, spans
 * exported over OTLP/HTTP; or with `CHATGRAPH_OTEL=console`, printed on stdout (no collector
 * needed). Off otherwise, and whenever `OTEL_SDK_DISABLED=true`. The exporter reads the standard
 * `OTEL_EXPORTER_OTLP_*` variables (headers, timeout) itself.
 */
import { trace } from '@opentelemetry/api';

export type TracingMode = 'otlp' | 'console' | null;

export function tracingMode(env: Record<string, string | undefined>): TracingMode {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  if (env.CHATGRAPH_OTEL === 'console') return 'console';
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return 'otlp';
  return null;
}

/** Registers a global tracer provider when configured; `shutdown` flushes the spans still queued. */
export async function startTracing(
  env: Record<string, string | undefined>,
): Promise<{ mode: TracingMode; shutdown(): Promise<void> }> {
  const mode = tracingMode(env);
  if (!mode) return { mode, shutdown: async () => {} };
  // Loaded only when used: the SDK and the exporter cost start-up time nobody else should pay.
  const sdk = await import('@opentelemetry/sdk-trace-base');
  const { defaultResource, resourceFromAttributes } = await import('@opentelemetry/resources');
  const processor =
    mode === 'console'
      ? new sdk.SimpleSpanProcessor(new sdk.ConsoleSpanExporter())
      : new sdk.BatchSpanProcessor(
          new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(),
        );
  const provider = new sdk.BasicTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'chatgraph' }),
    ),
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(provider);
  return { mode, shutdown: () => provider.shutdown() };
}
