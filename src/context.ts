import type { App } from './app.js';
import { RequestLoaders } from './resolvers/loaders.js';

/** The GraphQL context: the process-wide app and this operation's own loaders. */
export interface Context {
  app: App;
  loaders: RequestLoaders;
}

export function createContext(app: App): Context {
  return { app, loaders: new RequestLoaders(Date.now() + app.requestTimeoutMs) };
}
