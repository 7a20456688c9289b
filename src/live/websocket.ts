/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the server's `/graphql` path, next to
 * Yoga's own SSE. Operations run through Yoga's envelop (`getEnveloped`), so they are parsed,
 * validated, limited and executed exactly as over HTTP, with the same context. Yoga's request
 * hooks do not run here: what they enforce over HTTP before parsing (persisted operations, the
 * nesting limit) is applied in `onSubscribe`.
 *
 * The API key comes from the upgrade request's `Authorization` header or, since browsers cannot
 * set headers on a WebSocket, from the connection's `connectionParams.authorization`; a missing or
 * wrong key closes the socket with 4403 before any operation runs. A browser page of a site that is
 * neither the server's own nor allowed by CORS (`corsOriginsOf`) is refused at the handshake (401).
 */
import type { IncomingMessage, Server } from 'node:http';
import { type DocumentNode, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { App } from '../app.js';
import { type ApiKeyClient, authenticate } from '../auth/api-keys.js';
import { ChatgraphError } from '../errors.js';
import { errorExtensions, streamedError } from '../plugins/request-error.js';
import { setRequestClient } from '../plugins/use-api-keys.js';
import { trustedDocument } from '../plugins/use-persisted-operations.js';
import { nestingRefusal } from '../plugins/use-query-limits.js';
import { corsOriginsOf } from '../policy.js';
import type { ChatgraphYoga } from '../yoga.js';

/** What a connection knows of its client, from `onConnect` on. */
const clientOf = new WeakMap<object, ApiKeyClient>();

type Enveloped = ReturnType<ChatgraphYoga['getEnveloped']>;

export interface GraphQLWsServer {
  close(): Promise<void>;
}

/** Whether a WebSocket handshake from a page of `origin` may go on (see `serveGraphQLWs`). */
export function allowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[] | '*',
): boolean {
  if (origin === undefined || allowed === '*' || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function serveGraphQLWs(server: Server, yoga: ChatgraphYoga, app: App): GraphQLWsServer {
  const sockets = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: app.policy.maxBodyBytes,
    // WebSockets know no CORS: a page of any site may open one. A browser says which site in
    // `Origin`; one that is neither this server's own nor allowed (`corsOriginsOf`) is refused, as
    // its fetch would be. Clients outside browsers send no `Origin`.
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      allowedOrigin(origin, req.headers.host, corsOriginsOf(app.policy)),
  });
  const { clients } = app.policy;
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onConnect(ctx) {
        if (clients === null) return true;
        const headers = new Headers();
        const upgrade = ctx.extra.request.headers.authorization;
        const given = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        if (typeof given === 'string') headers.set('authorization', given);
        else if (upgrade) headers.set('authorization', upgrade);
        const client = authenticate(clients, headers);
        if (!client) return false;
        clientOf.set(ctx.extra.socket, client);
        return true;
      },
      async onSubscribe(ctx, _id, params) {
        const request = new Request(`http://localhost${yoga.graphqlEndpoint}`, { method: 'POST' });
        const client = clientOf.get(ctx.extra.socket);
        if (client) setRequestClient(request, client);
        // Refusals are this operation's `error` message: thrown, they would close the socket
        // (4500) and end the client's other operations on it.
        const refusal = (error: ChatgraphError) => [
          new GraphQLError(error.message, { extensions: errorExtensions(error) }),
        ];
        // Yoga's request hooks, where HTTP enforces persisted operations, do not run here.
        const query = trustedDocument(app.policy, params);
        if (query instanceof ChatgraphError) return refusal(query);
        const tooDeep = nestingRefusal(query, app.policy.maxNesting);
        if (tooDeep) return refusal(tooDeep);
        const enveloped = yoga.getEnveloped({ request, params: { ...params, query } });
        let document: DocumentNode;
        try {
          document = enveloped.parse(query);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return [streamedError(error, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0)
          return errors.map((error: GraphQLError) => streamedError(error, 'GRAPHQL_VALIDATION_FAILED'));
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
      },
    },
    sockets,
  );
  return {
    async close() {
      // Closes every socket with 1001 (going away): clients reconnect, and resume from their cursors.
      await disposable.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
