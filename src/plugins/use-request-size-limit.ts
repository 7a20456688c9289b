/** Refuses request bodies larger than the policy allows, before the GraphQL parser sees them. */
import type { App } from '../app.js';
import type { ChatgraphPlugin } from './index.js';

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
  const tooLarge = () =>
    Response.json(
      {
        errors: [
          {
            message: `The request body is larger than ${max} bytes.`,
            extensions: { code: 'REQUEST_TOO_LARGE' },
          },
        ],
      },
      { status: 413, headers: { 'content-type': 'application/graphql-response+json' } },
    );
  return {
    async onRequest({ request, endResponse }) {
      if (request.method !== 'POST' || request.body === null) return;
      const length = request.headers.get('content-length');
      // Without a declared length (a streamed body), count it on a copy of the stream.
      const large =
        length !== null ? Number(length) > max : await exceeds(request.clone().body as ReadableStream, max);
      if (large) endResponse(tooLarge());
    },
  };
}
