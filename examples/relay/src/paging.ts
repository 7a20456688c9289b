/**
 * A conversation's messages through Relay without a UI framework: what react-relay's
 * `usePaginationFragment` does, in a few lines of relay-runtime. The first page comes from the
 * query; `loadNext` / `loadPrevious` run the `@refetchable` pagination query with the cursor of the
 * connection's end, and Relay's `@connection` handler merges each page into the one list in the
 * store (appending after, prepending before), which `read` returns.
 */
import {
  createOperationDescriptor,
  Environment,
  type FetchFunction,
  type GraphQLResponse,
  type GraphQLTaggedNode,
  getRequest,
  getSelector,
  Network,
  RecordSource,
  Store,
  type Variables,
} from 'relay-runtime';
import conversationQuery from './__generated__/relayConversationQuery.graphql.js';
import messagesFragment from './__generated__/relayMessages_conversation.graphql.js';
import paginationQuery from './__generated__/relayMessagesPaginationQuery.graphql.js';

export interface RelayOptions {
  url: string;
  /** Defaults to the global `fetch`; tests pass the API's in-process `fetch`. */
  fetch?: (url: string, init: RequestInit) => Response | Promise<Response>;
  headers?: Record<string, string>;
}

export function createRelayEnvironment(options: RelayOptions): Environment {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const fetchFn: FetchFunction = async (params, variables) => {
    const response = await send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify({ query: params.text, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  return new Environment({ network: Network.create(fetchFn), store: new Store(new RecordSource()) });
}

export interface MessagesView {
  ids: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface ConnectionData {
  messages: {
    edges: ReadonlyArray<{ node: { id: string } | null } | null> | null;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

/** Runs an operation, keeps its data in the store, and fails on GraphQL errors. */
async function execute(environment: Environment, query: GraphQLTaggedNode, variables: Variables) {
  const operation = createOperationDescriptor(getRequest(query), variables);
  environment.retain(operation);
  await new Promise<void>((resolve, reject) => {
    environment.execute({ operation }).subscribe({
      next: (response) => {
        const errors = 'errors' in response ? response.errors : undefined;
        if (errors?.length) reject(new Error(errors.map((e) => e.message).join('; ')));
      },
      error: reject,
      complete: () => resolve(),
    });
  });
  return operation;
}

export class MessagesPager {
  private constructor(
    private readonly environment: Environment,
    private readonly id: string,
    private readonly conversationRef: object,
  ) {}

  /** The newest `first` messages, or the oldest `last`. */
  static async open(
    environment: Environment,
    id: string,
    size: { first: number } | { last: number },
  ): Promise<MessagesPager> {
    const operation = await execute(environment, conversationQuery, { id, first: null, last: null, ...size });
    const data = environment.lookup(operation.fragment).data as { conversation: object | null };
    if (!data.conversation) throw new Error(`No conversation ${id}.`);
    return new MessagesPager(environment, id, data.conversation);
  }

  read(): MessagesView {
    const selector = getSelector(messagesFragment, this.conversationRef);
    if (!selector || 'selectors' in selector) throw new Error('expected a single fragment selector');
    const { messages } = this.environment.lookup(selector).data as unknown as ConnectionData;
    return {
      ids: (messages.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node.id] : [])),
      ...messages.pageInfo,
    };
  }

  /** Older messages (the connection's end), appended. */
  async loadNext(count: number): Promise<void> {
    const { endCursor } = this.read();
    await execute(this.environment, paginationQuery, {
      id: this.id,
      first: count,
      after: endCursor,
      last: null,
      before: null,
    });
  }

  /** Newer messages (the connection's start), prepended; `first` is null, as it must be. */
  async loadPrevious(count: number): Promise<void> {
    const { startCursor } = this.read();
    await execute(this.environment, paginationQuery, {
      id: this.id,
      last: count,
      before: startCursor,
      first: null,
      after: null,
    });
  }
}
