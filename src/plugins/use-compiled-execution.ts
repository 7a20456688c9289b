/**
 * Executes operations with graphql-jit: each document is compiled once (yoga's parser cache hands
 * back the same document object for the same query text) into a function that resolves and
 * serializes without graphql-js' per-field bookkeeping. It halves the CPU per page of messages
 * (BENCHMARKS.md).
 *
 * graphql-jit reports errors with `locations` but without the source they point into, and yoga
 * rebuilds every error from `nodes` / `source` / `positions` before answering, which would drop
 * them. Its errors are turned back into graphql-js errors anchored in the operation's source, so
 * error masking and serialization see what graphql-js itself would have produced.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, type Source, type SourceLocation } from 'graphql';
import type { App } from '../app.js';
import type { ChatgraphPlugin } from './index.js';

export function useCompiledExecution(app: App): ChatgraphPlugin {
  return {
    onPluginInit({ addPlugin }) {
      const jit = useGraphQlJit(
        {},
        {
          // Validation runs first, so a document that does not compile is a bug, not input.
          onError: (result) =>
            app.logger.error({ errors: result.errors?.map((error) => error.message) }, 'graphql-jit'),
        },
      ) as ChatgraphPlugin;
      // Queries only: graphql-jit 0.8 hands a subscription field the operation's variables in
      // place of its arguments, so subscriptions stay on graphql-js.
      addPlugin({ onExecute: jit.onExecute });
    },
    onExecute({ args }) {
      const source = args.document.loc?.source;
      if (!source) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((error) => anchored(error, source)) });
        },
      };
    },
  };
}

/** A graphql-js error pointing into `source` where the jit error only names line and column. */
function anchored(error: GraphQLError, source: Source): GraphQLError {
  if (error.nodes || error.positions || !error.locations?.length) return error;
  return new GraphQLError(error.message, {
    source,
    positions: error.locations.map((location) => positionOf(source.body, location)),
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** The offset in `body` of a 1-based line and column (the inverse of graphql's `getLocation`). */
function positionOf(body: string, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const newline = body.indexOf('\n', offset);
    if (newline < 0) break;
    offset = newline + 1;
  }
  return offset + column - 1;
}
