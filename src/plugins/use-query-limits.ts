/**
 * Limits against abuse, checked before execution: query depth, aliases, and the vendor calls the
 * operation's plan needs (see `operationCost`). The page loaders enforce the actual count too.
 */
import { createGraphQLError } from 'graphql-yoga';
import type { App } from '../app.js';
import type { Context } from '../context.js';
import { operationCost } from '../resolvers/cost.js';
import type { ChatgraphPlugin } from './index.js';

export function useQueryLimits(app: App): ChatgraphPlugin {
  const { maxDepth, maxAliases, maxPlannedVendorCalls } = app.policy;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Context;
      const sources = ctx.sources.list();
      const cost = operationCost(args.document, {
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        vendorPageSize: Math.min(50, ...sources.map((source) => source.capabilities.vendorMaxPageSize)),
        sourceCount: sources.length,
        operationName: args.operationName,
      });
      const exceeded =
        cost.depth > maxDepth
          ? { kind: 'depth', limit: maxDepth, actual: cost.depth }
          : cost.aliases > maxAliases
            ? { kind: 'aliases', limit: maxAliases, actual: cost.aliases }
            : cost.vendorCalls > maxPlannedVendorCalls
              ? { kind: 'vendorCalls', limit: maxPlannedVendorCalls, actual: cost.vendorCalls }
              : null;
      if (!exceeded) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `The operation is too complex: ${exceeded.kind} ${exceeded.actual} is over the limit of ${exceeded.limit}.`,
            { extensions: { code: 'QUERY_TOO_COMPLEX', ...exceeded } },
          ),
        ],
      });
    },
  };
}
