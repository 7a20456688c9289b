/**
 * A subscription may stay open for hours, and its context with it (graphql-js resolves each event
 * with it). Once the subscription is set up, the context lets go of the HTTP request and its
 * parameters (body, headers, the query's text): nothing reads them after, and for an idle
 * subscriber they were a good part of its memory (BENCHMARKS.md, "Live conversations"). Yoga's
 * own hooks that need the request after this point are handed it directly, not through the context.
 */
import type { ChatgraphPlugin } from './index.js';

export function useSubscriptionRelease(): ChatgraphPlugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result }) {
          if (!(Symbol.asyncIterator in result)) return;
          const ctx = args.contextValue as { request?: Request; params?: unknown };
          ctx.request = undefined;
          ctx.params = undefined;
        },
      };
    },
  };
}
