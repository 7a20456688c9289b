/**
 * Prometheus metrics of the app's telemetry, served at `GET /metrics` (by `useHealth` or on the
 * operations port, see `operationsHandler`): GraphQL operations by type
 * and outcome with their latency; vendor calls and their latency per source (counted by the
 * sources' HTTP clients) and failed vendor pages per source and code (counted by the page loaders
 * of the operations, which see errors in an answer's body too).
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../app.js';
import { setScope } from '../context.js';
import { isChatgraphError } from '../errors.js';
import { errorCodes, operationInfo, resultErrors } from '../telemetry/operation.js';
import type { ChatgraphPlugin } from './index.js';

export function useMetrics(app: App): ChatgraphPlugin {
  const { metrics } = app.telemetry;
  const onPageError = (source: string, error: unknown) =>
    metrics.vendorError(source, isChatgraphError(error) ? error.code : 'UNEXPECTED');
  return {
    onParse() {
      return ({ result }) => {
        if (result instanceof Error) metrics.operation('unknown', 'invalid');
      };
    },
    onValidate({ params }) {
      return ({ valid }) => {
        if (!valid) metrics.operation(operationInfo(params.documentAST).type, 'invalid');
      };
    },
    onExecute({ args }) {
      setScope(args.contextValue, 'onPageError', onPageError);
      const { type } = operationInfo(args.document, args.operationName);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const status = errorCodes(resultErrors(result)).length > 0 ? 'error' : 'ok';
          metrics.operation(type, status, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
