/**
 * /inbox: a transcript viewer for people (see src/inbox). It lists conversations through
 * /graphql (`conversations`, the store's) like any client, so API keys and scopes apply to it as
 * they do to GraphiQL; `conversations.json` is its list without a store: the conversations the
 * app knows (the sandbox's); `listing-version.json?after=<n>` answers once the store's listing has
 * changed since version n (a long poll: the page refreshes its list then). Served when GraphiQL is.
 */
import type { App } from '../app.js';
import { encodeNodeId } from '../ids.js';
import { inboxAssets } from '../inbox/assets.js';
import type { ChatgraphPlugin } from './index.js';

/** The longest a `listing-version.json` request waits for a change before answering anyway. */
const LISTING_WAIT_MS = 25_000;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Vendor media URLs are signed and temporary: do not tell vendor CDNs where they were shown.
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: http: data:; media-src https: http:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

export function useInbox(app: App): ChatgraphPlugin {
  const conversationsJson = () =>
    JSON.stringify(
      app.knownConversations
        .filter((c) => app.sources.find(c.source))
        .map((c) => ({
          id: encodeNodeId({ kind: 'Conversation', source: c.source, conversation: c.externalId }),
          source: c.source,
          externalId: c.externalId,
          description: c.description,
        })),
    );
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!app.policy.graphiql) return;
      if (url.pathname !== '/inbox' && !url.pathname.startsWith('/inbox/')) return;
      return serve(request, url, endResponse, fetchAPI);
    },
  };

  async function serve(
    request: Request,
    url: URL,
    endResponse: (response: Response) => void,
    fetchAPI: { Response: typeof Response },
  ): Promise<void> {
    const respond = (status: number, body: string | null, type?: string) =>
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status,
          headers: {
            ...SECURITY_HEADERS,
            'cache-control': 'no-cache',
            ...(type ? { 'content-type': type } : {}),
          },
        }),
      );
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null);
    switch (url.pathname) {
      case '/inbox':
      case '/inbox/':
        return respond(200, (await inboxAssets()).html, 'text/html; charset=utf-8');
      case '/inbox/inbox.js':
        return respond(200, (await inboxAssets()).js, 'text/javascript; charset=utf-8');
      case '/inbox/inbox.css':
        return respond(200, (await inboxAssets()).css, 'text/css; charset=utf-8');
      case '/inbox/conversations.json':
        return respond(200, conversationsJson(), 'application/json; charset=utf-8');
      case '/inbox/listing-version.json': {
        const recorder = app.store?.recorder;
        const after = Number(url.searchParams.get('after') ?? Number.NaN);
        const version = !recorder
          ? null
          : Number.isSafeInteger(after)
            ? await untilChanged(recorder, after, request.signal)
            : recorder.version;
        return respond(200, JSON.stringify({ version }), 'application/json; charset=utf-8');
      }
      default:
        return respond(404, 'Not found', 'text/plain; charset=utf-8');
    }
  }
}

/**
 * The store's listing version once it is past `after`, or at `LISTING_WAIT_MS`, or when the page
 * leaves. Not `AbortSignal.any`: the server adapter may hand over a request signal of its own
 * implementation (it does on Node 24), which `AbortSignal.any` refuses; and a timer cleared when
 * the answer is ready does not outlive the request.
 */
async function untilChanged(
  recorder: NonNullable<NonNullable<App['store']>['recorder']>,
  after: number,
  left: AbortSignal,
): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const timer = setTimeout(stop, LISTING_WAIT_MS);
  if (left.aborted) stop();
  else left.addEventListener('abort', stop, { once: true });
  try {
    return await recorder.changed(after, controller.signal);
  } finally {
    clearTimeout(timer);
    left.removeEventListener('abort', stop);
  }
}
