/**
 * A guard around each plugin's server hooks: what they throw is answered as an unexpected error,
 * masked, never as the server adapter's 500 with the error's stack.
 */
import type { Logger } from '../logger.js';
import type { ChatgraphPlugin } from './index.js';

/** The body of every answer to a request a server hook failed on: masked, as GraphQL masks. */
const UNEXPECTED = {
  errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
};

/**
 * A plugin's server hooks (`onRequest`, `onResponse`) run outside GraphQL's error handling: what
 * they throw reaches the server adapter, which answers 500 with the error's stack. Guarded, it is
 * logged as an unexpected error, and the request answered as one, masked.
 */
export function guardServerHooks(plugin: ChatgraphPlugin, logger: Logger): ChatgraphPlugin {
  const { onRequest, onResponse } = plugin;
  if (!onRequest && !onResponse) return plugin;
  const failed = (error: unknown, hook: string, url: string) => {
    const cause = error instanceof Error ? error : new Error(String(error));
    const path = URL.canParse(url) ? new URL(url).pathname : undefined;
    logger.error(
      { hook, path, err: { name: cause.name, message: cause.message, stack: cause.stack } },
      'unexpected error',
    );
  };
  type RequestPayload = Parameters<NonNullable<ChatgraphPlugin['onRequest']>>[0];
  const refuse = (error: unknown, payload: RequestPayload) => {
    failed(error, 'onRequest', payload.request.url);
    payload.endResponse(payload.fetchAPI.Response.json(UNEXPECTED, { status: 500 }));
  };
  const guarded: ChatgraphPlugin = { ...plugin };
  if (onRequest) {
    guarded.onRequest = (payload) => {
      try {
        const result = onRequest.call(plugin, payload);
        return isPromiseLike(result)
          ? Promise.resolve(result).catch((error) => refuse(error, payload))
          : result;
      } catch (error) {
        refuse(error, payload);
      }
    };
  }
  if (onResponse) {
    guarded.onResponse = (payload) => {
      try {
        const result = onResponse.call(plugin, payload);
        return isPromiseLike(result)
          ? Promise.resolve(result).catch((error: unknown) =>
              failed(error, 'onResponse', payload.request.url),
            )
          : result;
      } catch (error) {
        failed(error, 'onResponse', payload.request.url);
      }
    };
  }
  return guarded;
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
