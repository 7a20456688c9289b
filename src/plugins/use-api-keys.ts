/**
 * API keys: when clients are configured, every GraphQL operation needs a valid key, and the
 * operation only sees the sources that key is scoped to (see `createContext`). GraphiQL's page
 * itself is served without a key; the operations it sends need one (set it in GraphiQL's headers).
 */
import type { App } from '../app.js';
import { type ApiKeyClient, authenticate } from '../auth/api-keys.js';
import { unauthenticated } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { requestError } from './request-error.js';

/** Who sent each request, from `onParams` to the context factory. */
const clientOf = new WeakMap<Request, ApiKeyClient>();

export function requestClient(request: Request): ApiKeyClient | null {
  return clientOf.get(request) ?? null;
}

/** Who sent an operation that did not come as an HTTP request (graphql-ws, `src/live/websocket.ts`). */
export function setRequestClient(request: Request, client: ApiKeyClient): void {
  clientOf.set(request, client);
}

export function useApiKeys(app: App): ChatgraphPlugin {
  const { clients } = app.policy;
  return {
    onParams({ request, setResult }) {
      if (clients === null) return;
      const client = authenticate(clients, request.headers);
      if (client) {
        clientOf.set(request, client);
        return;
      }
      setResult({ errors: [requestError(unauthenticated(), 401, { 'www-authenticate': 'Bearer' })] });
    },
  };
}
