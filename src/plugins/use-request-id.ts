/**
 * A request id per operation: the client's `x-request-id` when acceptable, else the one the
 * context was built with; echoed as a response header (also on `/health`, `/metrics`…), carried
 * by `ctx.log` and by the operation's vendor-call log lines, and closing each operation with one
 * `graphql operation` line (type, name, status, ms, error codes). Never headers, variables or
 * results: they may hold what clients consider private.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../app.js';
import { bindRequestId, type Context } from '../context.js';
import { errorCodes, operationInfo, resultErrors } from '../telemetry/operation.js';
import { acceptedRequestId, newRequestId, REQUEST_ID_HEADER } from '../telemetry/request-id.js';
import type { ChatgraphPlugin } from './index.js';

export function useRequestId(app: App): ChatgraphPlugin {
  return {
    onContextBuilding({ context }) {
      const incoming = acceptedRequestId(context.request.headers.get(REQUEST_ID_HEADER));
      if (incoming) bindRequestId(context, incoming);
    },
    onExecute({ args }) {
      // The line is info: below that level the operation's logger is not even made for it.
      if (!app.logger.isLevelEnabled('info')) return;
      const { log } = args.contextValue;
      const operation = operationInfo(args.document, args.operationName);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = errorCodes(resultErrors(result));
          log.info(
            {
              operationType: operation.type,
              operationName: operation.name,
              status: errors.length > 0 ? 'error' : 'ok',
              ms: Math.round(performance.now() - started),
              ...(errors.length > 0 ? { errors } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
    onResponse({ request, response, serverContext }) {
      // Yoga makes the operation's context on the request's server context, the object this hook
      // is handed: it holds the operation's id once the context is made (not for a request
      // answered before, such as /health).
      const id =
        (serverContext as Partial<Context> | undefined)?.requestId ??
        acceptedRequestId(request.headers.get(REQUEST_ID_HEADER)) ??
        newRequestId();
      response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
