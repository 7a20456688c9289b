/**
 * Tells the context when its operation is over (`endOperation`): when a query's or mutation's
 * result is out, or when a subscription's stream ends (or it never started). Until then the
 * operation's deadline timer holds its loaders and the pages they read.
 */
import { isAsyncIterable } from 'graphql-yoga';
import { type Context, endOperation } from '../context.js';
import type { ChatgraphPlugin } from './index.js';

export function useOperationEnd(): ChatgraphPlugin {
  const ended = (ctx: Context, result: unknown) => {
    if (!isAsyncIterable(result)) {
      endOperation(ctx);
      return;
    }
    return { onEnd: () => endOperation(ctx) };
  };
  return {
    onExecute({ args }) {
      return { onExecuteDone: ({ result }) => ended(args.contextValue, result) };
    },
    onSubscribe({ args }) {
      return { onSubscribeResult: ({ result }) => ended(args.contextValue, result) };
    },
  };
}
