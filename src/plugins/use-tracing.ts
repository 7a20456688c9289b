/**
 * A `graphql.operation` span per executed operation; the operation's vendor calls become its
 * `vendor.call` children through the request scope. Spans go nowhere unless an OpenTelemetry SDK
 * is set up (the CLI does when `OTEL_EXPORTER_OTLP_ENDPOINT` or `CHATGRAPH_OTEL=console` is set).
 */
import type { App } from '../app.js';
import { setScope } from '../context.js';
import { errorCodes, operationInfo, resultErrors } from '../telemetry/operation.js';
import { endOperationSpan, startOperationSpan } from '../telemetry/tracing.js';
import type { ChatgraphPlugin } from './index.js';

export function useTracing(app: App): ChatgraphPlugin {
  const { tracer } = app.telemetry;
  return {
    onExecute({ args }) {
      const ctx = args.contextValue;
      const { span, context } = startOperationSpan(tracer, {
        ...operationInfo(args.document, args.operationName),
        requestId: ctx.requestId,
      });
      if (!context) return;
      setScope(ctx, 'trace', context);
      return {
        onExecuteDone({ result }) {
          endOperationSpan(span, errorCodes(resultErrors(result)));
        },
      };
    },
  };
}
