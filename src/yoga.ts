/** Builds the GraphQL server for an app; `server.ts` only listens. */
import { GraphQLError } from 'graphql';
import { type CORSOptions, createYoga, type GraphiQLOptions, type YogaServerInstance } from 'graphql-yoga';
import type { App } from './app.js';
import { type Context, createContext } from './context.js';
import type { Logger } from './logger.js';
import { createMaskError } from './mask-error.js';
import { chatgraphPlugins } from './plugins/index.js';
import { requestClient } from './plugins/use-api-keys.js';
import { corsOriginsOf } from './policy.js';
import { createSchema } from './schema/index.js';

export interface YogaOptions {
  /** Serve GraphiQL on GET /graphql (default on). */
  graphiql?: boolean;
  /** A query GraphiQL opens with; by default one on the first conversation the app knows. */
  defaultQuery?: string;
}

/** What GraphiQL opens with when the app knows a conversation (the sandbox's): a first page. */
export function exampleQuery(
  conversation: { source: string; externalId: string } | undefined,
): string | undefined {
  if (!conversation) return undefined;
  return `# An example: the newest messages of a sandbox conversation. Press the run button.
query ExampleConversation {
  source(name: ${JSON.stringify(conversation.source)}) {
    conversation(externalId: ${JSON.stringify(conversation.externalId)}) {
      id
      messages(first: 5) {
        edges {
          cursor
          node {
            sentAt
            kind
            text
            sender { role displayName }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
`;
}

/**
 * Yoga's GraphiQL page opens on `query` (or its own welcome text), never on `defaultQuery`; both
 * are set so the example shows. `query` would also win over a `?query=` in the address (a shared
 * link, or the text GraphiQL keeps there as one edits), so that one is passed as `query` instead.
 */
function graphiqlOptions(example: string | undefined, request: Request) {
  const shown = new URL(request.url).searchParams.get('query') ?? example;
  return {
    title: 'chatgraph',
    shouldPersistHeaders: false,
    ...(example ? { defaultQuery: example } : {}),
    ...(shown ? { query: shown } : {}),
  };
}

/**
 * GraphiQL's page with its scripts inlined, loaded with the first page asked for: the bundle is
 * ~27 MB of heap once imported (its module's source text and the script string), which every API
 * process held from its start whether anyone opened GraphiQL or not.
 */
async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL: render } = await import('@graphql-yoga/render-graphiql');
  return scriptSafe(render(options), options);
}

/**
 * The page with its options written so that no text of theirs can end the script they sit in.
 * The renderer writes `JSON.stringify(options)` into a `<script>` as is, and `query` comes from the
 * address: `?query=</script><script>…` would run the link's script on this origin. Every `<` of
 * that JSON is written `\u003c`, which JavaScript reads back as `<`. Should the renderer ever write
 * the options otherwise, the page is refused rather than served unchecked.
 */
function scriptSafe(html: string, options: GraphiQLOptions): string {
  const raw = JSON.stringify(options ?? {});
  if (!raw.includes('<')) return html;
  const at = html.indexOf(raw);
  if (at < 0) throw new Error('GraphiQL: the options are not where they were expected in the page.');
  return html.slice(0, at) + raw.replaceAll('<', '\\u003c') + html.slice(at + raw.length);
}

export type ChatgraphYoga = YogaServerInstance<Record<string, never>, Context>;

export function createChatgraphYoga(app: App, options: YogaOptions = {}): ChatgraphYoga {
  return createYoga<Record<string, never>, Context>({
    schema: createSchema(app.vendors).schema,
    graphqlEndpoint: '/graphql',
    // The context is made on Yoga's own initial context, so its lazy parts stay lazy.
    context: (initial) => createContext(app, requestClient(initial.request), initial.request, initial),
    maskedErrors: { maskError: createMaskError(app.logger) },
    cors: corsOptions(corsOriginsOf(app.policy)),
    plugins: chatgraphPlugins(app),
    // Parsed documents stay Yoga's to keep; their validation results are `useValidationCache`'s.
    parserAndValidationCache: { validationCache: false },
    graphiql:
      options.graphiql === false || !app.policy.graphiql
        ? false
        : (request) =>
            graphiqlOptions(options.defaultQuery ?? exampleQuery(app.knownConversations[0]), request),
    // Yoga's default GraphiQL page loads its scripts from a CDN; this one inlines them, so
    // GraphiQL also works offline and behind firewalls.
    renderGraphiQL,
    logging: {
      debug: yogaLog(app.logger, 'debug'),
      info: yogaLog(app.logger, 'info'),
      warn: yogaLog(app.logger, 'warn'),
      error: yogaLog(app.logger, 'error'),
    },
  });
}

/**
 * CORS for the origins `corsOriginsOf` allows. Never with credentials: the API authenticates by
 * header, not by cookie, and Yoga's default (any origin, credentials allowed) let every page a
 * user visited read an API that runs open. Preflights are kept for ten minutes.
 */
function corsOptions(origins: readonly string[] | '*'): CORSOptions {
  if (origins !== '*' && origins.length === 0) return false;
  // Yoga answers the request's own origin when it is allowed, with `Vary: Origin` (one allowed
  // origin is answered as is, which the browser compares).
  return { origin: origins === '*' ? ['*'] : [...origins], credentials: false, maxAge: 600 };
}

/**
 * Yoga's log lines through the app's logger. Yoga logs at debug a few times per request: the
 * level is checked before the line's object is built. It also logs, as an error, every GraphQL
 * error its masking replaced: a client's mistake (an id that is not one, a variable of the wrong
 * type) is no error of the server's, and an unexpected one the mask has logged with its path
 * ('unexpected error'), so those lines are debug.
 */
function yogaLog(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error') {
  return (...args: unknown[]) => {
    const at = level === 'error' && args.length === 1 && args[0] instanceof GraphQLError ? 'debug' : level;
    if (logger.isLevelEnabled(at)) logger[at]({ yoga: args.map(String) }, 'yoga');
  };
}
