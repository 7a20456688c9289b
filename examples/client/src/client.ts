/**
 * A chatgraph client in a few lines: `fetch` and the typed documents GraphQL Code Generator made
 * from `documents.graphql`. Runs in Node and in the browser (the /inbox viewer uses it).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  ConversationPageDocument,
  type ConversationPageQuery,
  type MessageFilter,
  type TranscriptMessageFragment,
} from './gql/graphql.js';

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Defaults to the global `fetch`; tests pass `yoga.fetch` to stay in-process. */
  fetch?: (url: string, init: RequestInit) => Response | Promise<Response>;
  /** Sent with every request, e.g. `{ authorization: 'Bearer <key>' }`. */
  headers?: Record<string, string>;
}

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

/** The API answered errors (a GraphQL `errors` array, or an HTTP failure without one). */
export class ChatgraphRequestError extends Error {
  constructor(
    readonly errors: GraphQLErrorBody[],
    readonly status: number,
  ) {
    super(
      errors
        .map((error) => (error.extensions?.code ? `${error.extensions.code}: ` : '') + error.message)
        .join('; '),
    );
    this.name = 'ChatgraphRequestError';
  }
}

/** Operations with no variables may omit them. */
type VariablesArgs<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export type Request = <R, V>(document: TypedDocumentNode<R, V>, ...args: VariablesArgs<V>) => Promise<R>;

export function createClient(options: ClientOptions): Request {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  // Documents are module constants: print each once.
  const printed = new WeakMap<object, string>();
  return async (document, ...[variables]) => {
    let query = printed.get(document);
    if (query === undefined) {
      query = print(document);
      printed.set(document, query);
    }
    const response = await send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => null)) as {
      data?: unknown;
      errors?: GraphQLErrorBody[];
    } | null;
    if (body?.errors?.length) throw new ChatgraphRequestError(body.errors, response.status);
    if (!response.ok || !body?.data) {
      throw new ChatgraphRequestError([{ message: `HTTP ${response.status}` }], response.status);
    }
    // The server validated the operation against the schema the document was generated from.
    return body.data as never;
  };
}

export type ConversationInfo = NonNullable<ConversationPageQuery['conversation']>;

export interface MessagePage {
  conversation: ConversationInfo;
  /** Newest first, as the API pages. */
  messages: TranscriptMessageFragment[];
  /** Pass as `after` for the next (older) page; null when there is none. */
  olderCursor: string | null;
  /** The page's newest message's cursor (`messageAdded`'s `after`); null when the page is empty. */
  newestCursor: string | null;
}

/** One page of a conversation's messages, toward older ones from `after` (the newest when null). */
export async function fetchOlderPage(
  request: Request,
  conversationId: string,
  options: { first: number; after?: string | null; filter?: MessageFilter | null },
): Promise<MessagePage> {
  const data = await request(ConversationPageDocument, {
    id: conversationId,
    first: options.first,
    after: options.after ?? null,
    filter: options.filter ?? null,
  });
  if (!data.conversation) throw new ChatgraphRequestError([{ message: 'No such conversation' }], 200);
  const { messages } = data.conversation;
  return {
    conversation: data.conversation,
    messages: messages.edges.map((edge) => edge.node),
    olderCursor: messages.pageInfo.hasNextPage ? messages.pageInfo.endCursor : null,
    newestCursor: messages.edges[0]?.cursor ?? null,
  };
}

export interface SubscribeOptions extends Omit<ClientOptions, 'url'> {
  url: string;
  /** Ends the subscription (and its HTTP request). */
  signal?: AbortSignal;
  /** Called once the server has accepted the subscription and started streaming. */
  onOpen?: () => void;
}

/**
 * A subscription over GraphQL SSE (Yoga's distinct-connections mode): a POST with
 * `Accept: text/event-stream`, read as a stream. POST rather than `EventSource`, which can send
 * neither a body nor the `authorization` header (nor a GET's CSRF header). Yields each `next`
 * event's data; throws `ChatgraphRequestError` on errors, and returns when the server completes.
 */
export async function* subscribe<R, V>(
  options: SubscribeOptions,
  document: TypedDocumentNode<R, V>,
  variables: V,
): AsyncGenerator<R> {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const response = await send(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...options.headers },
    body: JSON.stringify({ query: print(document), variables }),
    signal: options.signal,
  });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
    // Refused before streaming (auth, validation): the body is an ordinary GraphQL result.
    const body = (await response.json().catch(() => null)) as { errors?: GraphQLErrorBody[] } | null;
    throw new ChatgraphRequestError(
      body?.errors ?? [{ message: `HTTP ${response.status}` }],
      response.status,
    );
  }
  options.onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += value.replaceAll('\r\n', '\n');
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const lines = event.split('\n');
        const name = lines
          .find((line) => line.startsWith('event:'))
          ?.slice(6)
          .trim();
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (name === 'complete') return;
        if (name !== 'next' || !data) continue; // keep-alive comments and unknown events
        const result = JSON.parse(data) as { data?: R | null; errors?: GraphQLErrorBody[] };
        if (result.errors?.length) throw new ChatgraphRequestError(result.errors, response.status);
        if (result.data) yield result.data;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
