/**
 * Limits against abuse, checked on the operation as it will run, before it is compiled or any
 * vendor is called:
 *
 * - before parsing, the document's nesting of `{`, `[` and `(` (`maxNesting`): the parser and the
 *   validation rules recurse, and a document nested thousands deep would overflow the stack;
 *   and parsing stops after `maxTokens` tokens;
 * - before executing (or subscribing), on the operation with its variables coerced (defaults
 *   included) and its fragments expanded by `operationCost`: depth, aliases, expanded selections,
 *   and the vendor calls its plan needs. The page loaders enforce the actual count too. The cost is
 *   kept for `useCompiledExecution`, which compiles only what is cheap to compile.
 *
 * Both costs are remembered per parsed document (Yoga hands a repeated query the same parsed
 * document), the second per operation, variables and sources: a client repeating its queries
 * pays for the walk over its document once, not on every request.
 */
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  parse,
} from 'graphql';
import type { App, SourceRegistry } from '../app.js';
import type { Context } from '../context.js';
import { type ChatgraphError, type ComplexityKind, queryTooComplex } from '../errors.js';
import { type OperationCost, operationCost, selectOperation } from '../resolvers/cost.js';
import type { ChatgraphPlugin } from './index.js';
import { documentError } from './request-error.js';

const costs = new WeakMap<object, OperationCost>();

/** What a planned cost takes from the sources an operation may read (see `sourcesShape`). */
interface SourcesShape {
  vendorPageSize: number;
  sourceCount: number;
}
const shapesOfSources = new WeakMap<SourceRegistry, SourcesShape>();

/** Kept per registry: the app's own (an open API, or a key of every source) is the same each time. */
function sourcesShape(registry: SourceRegistry): SourcesShape {
  let shape = shapesOfSources.get(registry);
  if (!shape) {
    const sources = registry.list();
    shape = {
      vendorPageSize: Math.min(50, ...sources.map((source) => source.capabilities.vendorMaxPageSize)),
      sourceCount: sources.length,
    };
    shapesOfSources.set(registry, shape);
  }
  return shape;
}

/**
 * Planned costs kept per document (enough for a client's few variants of each of its queries),
 * and only for variables this short as JSON: with Yoga's 1,000 parsed documents, at most ~4 MB.
 */
const PLANS_PER_DOCUMENT = 8;
const NO_VARIABLES: Record<string, unknown> = Object.freeze({});
const MAX_PLAN_KEY = 512;

/** The cost `useQueryLimits` computed for the operation run with this context, if it did. */
export function plannedCost(context: object): OperationCost | undefined {
  return costs.get(context);
}

export function useQueryLimits(app: App): ChatgraphPlugin {
  const { maxDepth, maxAliases, maxPlannedVendorCalls, maxSelections, maxNesting, maxTokens } = app.policy;

  const shapeLimits = (cost: OperationCost): Array<[ComplexityKind, number, number]> => [
    ['depth', maxDepth, cost.depth],
    ['aliases', maxAliases, cost.aliases],
    ['selections', maxSelections, cost.selections],
  ];
  /** The shape limit each document exceeds, if any (null: none). */
  const shapes = new WeakMap<DocumentNode, [ComplexityKind, number, number] | null>();
  /** Planned costs per document, by operation, variables and sources (see `planKey`). */
  const plans = new WeakMap<DocumentNode, Map<string, OperationCost>>();

  const plannedCostOf = (
    document: DocumentNode,
    options: Parameters<typeof operationCost>[1] & { variables: Record<string, unknown> },
  ): OperationCost => {
    const key = planKey(options);
    if (key === null) return operationCost(document, options);
    let byKey = plans.get(document);
    if (!byKey) {
      byKey = new Map();
      plans.set(document, byKey);
    }
    const known = byKey.get(key);
    if (known) return known;
    const cost = operationCost(document, options);
    // A client that sends ever new variables (a cursor per page) starts the document's set over.
    if (byKey.size >= PLANS_PER_DOCUMENT) byKey.clear();
    byKey.set(key, cost);
    return cost;
  };

  const check = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    rawVariables: unknown,
    ctx: Context,
  ) => {
    const { vendorPageSize, sourceCount } = sourcesShape(ctx.sources);
    const operation = selectOperation(document, operationName);
    // Variables that do not coerce fail the operation before any resolver runs; their cost is
    // then that of the document alone.
    const coerced = operation?.variableDefinitions?.length
      ? getVariableValues(
          schema,
          operation.variableDefinitions,
          (rawVariables ?? {}) as Record<string, unknown>,
          {
            maxErrors: 1,
          },
        ).coerced
      : undefined;
    const cost = plannedCostOf(document, {
      variables: coerced ?? NO_VARIABLES,
      vendorPageSize,
      sourceCount,
      operationName,
      schema,
    });
    costs.set(ctx, cost);
    // In the order a client is told about them: the shape first, then the vendor calls.
    if (cost.depth > maxDepth) return queryTooComplex('depth', maxDepth, cost.depth);
    if (cost.aliases > maxAliases) return queryTooComplex('aliases', maxAliases, cost.aliases);
    if (cost.selections > maxSelections) return queryTooComplex('selections', maxSelections, cost.selections);
    if (cost.vendorCalls > maxPlannedVendorCalls) {
      return queryTooComplex('vendorCalls', maxPlannedVendorCalls, cost.vendorCalls);
    }
    return null;
  };

  /** Stops an operation over its limits before it runs (`onExecute` and `onSubscribe` alike). */
  const refuseOverLimits = ({
    args,
    setResultAndStopExecution,
  }: {
    args: ExecutionArgs;
    setResultAndStopExecution: (result: ExecutionResult) => void;
  }) => {
    const refused = check(
      args.schema,
      args.document,
      args.operationName,
      args.variableValues,
      args.contextValue as Context,
    );
    if (refused) setResultAndStopExecution({ errors: [documentError(refused)] });
  };

  return {
    onParams({ params, setResult }) {
      if (typeof params.query !== 'string') return;
      const refused = nestingRefusal(params.query, maxNesting);
      if (refused) setResult({ errors: [documentError(refused)] });
    },
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens }));
    },
    onValidate({ params, setResult }) {
      // Before the validation rules run: OverlappingFieldsCanBeMerged compares fields pairwise,
      // and a thousand repeated selections cost it a hundred milliseconds and more. The shape
      // limits need no valid document (unknown fields and fragments count as what they are).
      // Every operation of the document: the request may choose any of them by name.
      const document = params.documentAST;
      let exceeded = shapes.get(document);
      if (exceeded === undefined) {
        exceeded =
          operationNames(document)
            .map((operationName) =>
              operationCost(document, { variables: {}, vendorPageSize: 1, sourceCount: 0, operationName }),
            )
            .flatMap(shapeLimits)
            .find(([, limit, actual]) => actual > limit) ?? null;
        shapes.set(document, exceeded);
      }
      if (exceeded) setResult([documentError(queryTooComplex(...exceeded))]);
    },
    // Subscriptions are documents like any other: the same limits before they start.
    onExecute: refuseOverLimits,
    onSubscribe: refuseOverLimits,
  };
}

/**
 * What a planned cost depends on besides the document; null when the variables cannot be written
 * as JSON (a scalar coerced to something JSON cannot hold) or are long: that cost is not kept.
 */
function planKey(options: {
  operationName?: string | null;
  vendorPageSize: number;
  sourceCount: number;
  variables: Record<string, unknown>;
}): string | null {
  try {
    const key = `${options.operationName ?? ''}\n${options.vendorPageSize}\n${options.sourceCount}\n${JSON.stringify(options.variables)}`;
    return key.length <= MAX_PLAN_KEY ? key : null;
  } catch {
    return null;
  }
}

/** The names to select each operation by (undefined: the document's only one). */
function operationNames(document: DocumentNode): Array<string | undefined> {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.length === 1 ? [undefined] : operations.map((operation) => operation.name?.value);
}

/**
 * A document nested deeper than `maxNesting`, refused before it is parsed (the parser recurses);
 * null when it is not. Over HTTP in `onParams`; over WebSocket by `src/live/websocket.ts`.
 */
export function nestingRefusal(query: string, maxNesting: number): ChatgraphError | null {
  const nesting = maxNestingOf(query, maxNesting);
  return nesting > maxNesting ? queryTooComplex('nesting', maxNesting, nesting) : null;
}

/**
 * The deepest nesting of `{`, `[` and `(` in a GraphQL document, outside strings and comments;
 * stops counting once past `stopAbove`. One pass, no recursion: it is what protects the recursive
 * parser.
 */
export function maxNestingOf(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    switch (char) {
      case 0x7b: // {
      case 0x5b: // [
      case 0x28: // (
        depth++;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > stopAbove) return deepest;
        }
        break;
      case 0x7d: // }
      case 0x5d: // ]
      case 0x29: // )
        if (depth > 0) depth--;
        break;
      case 0x23: {
        // # comment, to the end of the line
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end;
        break;
      }
      case 0x22: {
        // "string" or """block string"""
        if (text.startsWith('"""', i)) {
          let end = i + 3;
          for (;;) {
            end = text.indexOf('"""', end);
            if (end < 0 || text[end - 1] !== '\\') break;
            end += 3;
          }
          i = end < 0 ? text.length : end + 2;
        } else {
          let j = i + 1;
          while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
          i = j;
        }
        break;
      }
    }
  }
  return deepest;
}
