/**
 * `POST /webhooks/<source>`: a vendor's callback wakes the live walk of the conversation it names
 * (`src/live/hub.ts`), at once instead of at the next poll. The callback is never trusted as the
 * message itself: subscribers still read through the paging engine, so a forged or replayed
 * callback costs at most one vendor call, and a lost one delays a message by one poll.
 *
 * Each source's secret comes from configuration (`webhooks.<source>.secret`); the vendor sends it
 * as `Authorization: Bearer <secret>` or, where it can only be given a URL, as `?secret=`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { App } from '../app.js';
import { liveHub } from '../live/hub.js';
import { vendorDefinition } from '../sources/index.js';
import type { ChatgraphPlugin } from './index.js';

export const WEBHOOK_PATH = '/webhooks/';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A source name from the path, percent-decoded; null when the path is not valid percent-encoding. */
function decodedName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

export function useWebhooks(app: App): ChatgraphPlugin {
  const secrets = new Map(
    Object.entries(app.policy.webhooks ?? {}).map(([source, { secret }]) => [source, digest(secret)]),
  );
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(WEBHOOK_PATH)) return;
      return receive(request, url, endResponse, fetchAPI);
    },
  };

  async function receive(
    request: Request,
    url: URL,
    endResponse: (response: Response) => void,
    fetchAPI: { Response: typeof Response },
  ): Promise<void> {
    const answer = (status: number, code: string, message: string) =>
      endResponse(fetchAPI.Response.json({ code, message }, { status }));
    const notFound = () => answer(404, 'NOT_FOUND', 'No webhook is configured for that source.');
    const name = decodedName(url.pathname.slice(WEBHOOK_PATH.length));
    if (name === null) return notFound();
    const source = app.sources.find(name);
    const parse = source && vendorDefinition(source.vendor, app.vendors)?.webhook;
    const expected = secrets.get(name);
    if (!source || !parse || !expected) return notFound();
    if (request.method !== 'POST') return answer(405, 'METHOD_NOT_ALLOWED', 'Webhooks are POSTed.');
    const bearer = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const given = bearer ?? url.searchParams.get('secret');
    if (given === null || !timingSafeEqual(digest(given), expected)) {
      return answer(401, 'UNAUTHENTICATED', 'The webhook secret is missing or wrong.');
    }
    // At most `maxBodyBytes`: `useRequestSizeLimit` refused a larger body before this route.
    const text = await request.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(400, 'INVALID_ARGUMENT', 'The body is not JSON.');
    }
    const hint = parse(body);
    if (!hint) return answer(400, 'INVALID_ARGUMENT', 'The body is not a callback this source sends.');
    let conversation: string;
    try {
      conversation = source.conversationId(hint.conversation);
    } catch {
      return answer(400, 'INVALID_ARGUMENT', 'The callback names no valid conversation.');
    }
    app.logger.debug({ source: name, event: hint.event }, 'webhook');
    if (hint.ended) void liveHub(app).endSession(name, conversation, hint.event);
    else void liveHub(app).wake(name, conversation);
    return answer(202, 'ACCEPTED', 'Subscribers of that conversation read it now.');
  }
}
