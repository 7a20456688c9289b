/** Builds the GraphQL server for an app; `server.ts` only listens. */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { App } from './app.js';
import { type Context, createContext } from './context.js';
import { createMaskError } from './mask-error.js';
import { chatgraphPlugins } from './plugins/index.js';
import { requestClient } from './plugins/use-api-keys.js';
import { schema } from './schema/index.js';

export interface YogaOptions {
  /** Serve GraphiQL on GET /graphql (default on). */
  graphiql?: boolean;
  /** A query GraphiQL opens with. */
  defaultQuery?: string;
}

export type ChatgraphYoga = YogaServerInstance<Record<string, never>, Context>;

export function createChatgraphYoga(app: App, options: YogaOptions = {}): ChatgraphYoga {
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    context: ({ request }) => createContext(app, requestClient(request), request.signal),
    maskedErrors: { maskError: createMaskError(app.logger) },
    plugins: chatgraphPlugins(app),
    graphiql:
      options.graphiql === false || !app.policy.graphiql
        ? false
        : { title: 'chatgraph', defaultQuery: options.defaultQuery, shouldPersistHeaders: false },
    // Yoga's default GraphiQL page loads its scripts from a CDN; this one inlines them, so
    // GraphiQL also works offline and behind firewalls.
    renderGraphiQL,
    logging: {
      debug: (...args) => app.logger.debug({ yoga: args.map(String) }, 'yoga'),
      info: (...args) => app.logger.info({ yoga: args.map(String) }, 'yoga'),
      warn: (...args) => app.logger.warn({ yoga: args.map(String) }, 'yoga'),
      error: (...args) => app.logger.error({ yoga: args.map(String) }, 'yoga'),
    },
  });
}
