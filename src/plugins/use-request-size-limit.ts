/** Refuses request bodies larger than the policy allows, before the GraphQL parser sees them. */
import type { App } from '../app.js';
import { requestTooLarge } from '../errors.js';
import type { ChatgraphPlugin } from './index.js';
import { errorExtensions } from './request-error.js';

/** Reads at most `max + 1` bytes of a body to learn whether it is larger than `max`. */
async function exceeds(body: ReadableStream<Uint8Array>, max: number): Promise<boolean> {
  const reader = body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return true;
    }
  }
}

export function useRequestSizeLimit(app: App): ChatgraphPlugin {
  const max = app.policy.maxBodyBytes;
  // Answered before Yoga reads the request, so as a response of its own, in GraphQL's shape.
  const tooLarge = () => {
    const error = requestTooLarge(max);
    return Response.json(
      { errors: [{ message: error.message, extensions: errorExtensions(error) }] },
      { status: 413, headers: { 'content-type': 'application/graphql-response+json' } },
    );
  };
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'POST') return;
      // The declared length first: the server adapter's `request.body` builds a stream wrapper
      // on every read, not worth making when the length is known.
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (Number(length) > max) endResponse(tooLarge());
        return;
      }
      if (request.body === null) return;
      // Without a declared length (a streamed body), count it on a copy of the stream.
      return exceeds(request.clone().body as ReadableStream, max).then((large) => {
        if (large) endResponse(tooLarge());
      });
    },
  };
}
