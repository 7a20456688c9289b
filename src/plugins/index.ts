/**
 * The server's envelop / Yoga plugins, in order. Each lives in its own `use-xxx.ts` file and
 * takes what it needs from the app; add a plugin here with one line.
 */
import type { Plugin } from 'graphql-yoga';
import type { App } from '../app.js';
import type { Context } from '../context.js';

// biome-ignore lint/complexity/noBannedTypes: Yoga's plugin type takes the server context as `{}`.
export type ChatgraphPlugin = Plugin<Context & {}>;

export function chatgraphPlugins(_app: App): ChatgraphPlugin[] {
  return [];
}
