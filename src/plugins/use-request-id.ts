/**
 * A request id per operation: the client's `x-request-id` when acceptable, else the one the
 * context was built with; echoed as a response header (also on `/health`, `/metrics`…), carried
 * by `ctx.log` and by the operation's vendor-call log lines, and closing each operation with one
 * `graphql operation` line (type, name, status, ms, error codes). Never headers, variables or
 * results: they may hold what clients consider private.
 */
import { performance } from 'node:perf_hooks';
import { bindRequestId } from '../context.js';
import { errorCodes, operationInfo, resultErrors } from '../telemetry/operation.js';
import { acceptedRequestId, newRequestId, REQUEST_ID_HEADER } from '../telemetry/request-id.js';
import type { ChatgraphPlugin } from './index.js';

export function useRequestId(): ChatgraphPlugin {
  const ids = new WeakMap<Request, string>();
  return {
    onContextBuilding({ context }) {
      const incoming = acceptedRequestId(context.request.headers.get(REQUEST_ID_HEADER));
      if (incoming) bindRequestId(context, incoming);
      ids.set(context.request, incoming ?? context.requestId);
    },
    onExecute({ args }) {
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
    onResponse({ request, response }) {
      const id =
        ids.get(request) ?? acceptedRequestId(request.headers.get(REQUEST_ID_HEADER)) ?? newRequestId();
      response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
