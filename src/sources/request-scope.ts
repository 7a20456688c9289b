/**
 * What a vendor call needs to know about the GraphQL operation it serves, without every source
 * passing it along: the operation's deadline. The page loaders enter the scope around each
 * `fetchPage`, and `HttpClient` reads it, so retries never outlive the operation.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** Epoch ms after which no vendor call of this operation may start or wait. */
  deadline: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
