/**
 * Executes operations with graphql-jit: each document is compiled once into a function that
 * resolves and serializes without graphql-js' per-field bookkeeping. It halves the CPU per page of
 * messages (BENCHMARKS.md).
 *
 * Compiling is work a client causes, and graphql-jit generates code for every possible type below
 * an interface or union field, again below each of those: a 220-byte document of nested abstract
 * selections once cost seconds of CPU and a gigabyte of heap. So a document whose compile cost
 * (`OperationCost.compileCost`, computed by `useQueryLimits` before anything runs) is over
 * `maxCompileCost` runs uncompiled, by graphql-js, which only walks the data there is, as does any
 * new document once the process has spent `compileCostPerMinute` on compiling. A document is
 * compiled on its `compileAfter`-th run (the second, by default): a stream of distinct documents
 * compiles nothing, an application's documents are compiled as soon as they repeat. And the
 * compiled documents are kept in a cache bounded in entries and bytes (`CompiledDocuments`), keyed
 * by the document's text and operation name, so changing an alias costs one more compilation,
 * within the budget, and evicts the oldest.
 *
 * Subscriptions are not compiled: graphql-js runs them.
 *
 * graphql-jit reports errors with `locations` but without the source they point into, and yoga
 * rebuilds every error from `nodes` / `source` / `positions` before answering, which would drop
 * them. Its errors are turned back into graphql-js errors anchored in the operation's source, so
 * error masking and serialization see what graphql-js itself would have produced.
 */
import {
  type DocumentNode,
  type ExecutionArgs,
  execute,
  GraphQLError,
  type Source,
  type SourceLocation,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { App } from '../app.js';
import { BYTES_PER_COMPILED_SELECTION } from './compiled-documents.js';
import type { ChatgraphPlugin } from './index.js';
import { plannedCost } from './use-query-limits.js';

export function useCompiledExecution(app: App): ChatgraphPlugin {
  const cache = app.compiledDocuments;
  const { maxCompileCost } = app.policy;
  return {
    onExecute({ args, setExecuteFn }) {
      const source = args.document.loc?.source;
      const cost = plannedCost(args.contextValue);
      const key = source ? cacheKey(args.document, source, args.operationName) : '';
      let compiled = source ? cache.get(key) : undefined;
      if (
        !compiled &&
        source &&
        cost &&
        cost.compileCost <= maxCompileCost &&
        cache.hot(key) &&
        cache.takeBudget(cost.compileCost)
      ) {
        cache.compilations++;
        const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
        if (isCompiledQuery(result)) {
          compiled = result;
          cache.set(key, result, source.body.length + cost.compileCost * BYTES_PER_COMPILED_SELECTION);
        } else {
          // Validation ran first, so a document that does not compile is a bug, not input:
          // log it and let graphql-js answer.
          app.logger.error({ errors: result.errors?.map((error) => error.message) }, 'graphql-jit');
        }
      }
      if (compiled) {
        const query = compiled;
        setExecuteFn(((execution: ExecutionArgs) => {
          const run = query.query(execution.rootValue, execution.contextValue, execution.variableValues);
          const stringify = (result: object) => {
            (result as { stringify?: unknown }).stringify = query.stringify;
            return result;
          };
          return run instanceof Promise ? run.then(stringify) : stringify(run);
        }) as Parameters<typeof setExecuteFn>[0]);
      } else {
        if (cost) cache.uncompiled++;
        // graphql-js itself: Yoga's default executor answers fields in the order they resolve,
        // graphql-js (like graphql-jit) in the order the query asks for them.
        setExecuteFn(execute as Parameters<typeof setExecuteFn>[0]);
      }
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

/**
 * The last cache key made for each parsed document (Yoga hands a repeated query the same one),
 * with the operation name it was made for: the same string each time, so the cache hashes it
 * once rather than a new copy of the query's text per request.
 */
const lastKey = new WeakMap<DocumentNode, { operationName: string; key: string }>();

function cacheKey(document: DocumentNode, source: Source, operationName: string | null | undefined): string {
  const name = operationName ?? '';
  const last = lastKey.get(document);
  if (last?.operationName === name) return last.key;
  const key = `${name}\n${source.body}`;
  lastKey.set(document, { operationName: name, key });
  return key;
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
