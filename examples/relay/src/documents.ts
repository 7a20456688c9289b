/**
 * The Relay documents, read only by relay-compiler (no Babel plugin: `paging.ts` imports the
 * artifacts it writes to `__generated__/`, committed; `npm run relay` writes them again and
 * `npm run relay:check` proves them current).
 *
 * `first` and `last` have no defaults on purpose: with `first: { defaultValue: 20 }` Relay's
 * loadPrevious would send that `first` together with `last`, which the API refuses
 * (INVALID_ARGUMENT). The query that spreads the fragment passes the first page size.
 */
import { graphql } from 'relay-runtime';

export const conversationQuery = graphql`
  query relayConversationQuery($id: ID!, $first: Int, $last: Int) {
    conversation(id: $id) {
      ...relayMessages_conversation @arguments(first: $first, last: $last)
    }
  }
`;

export const messagesFragment = graphql`
  fragment relayMessages_conversation on Conversation
  @refetchable(queryName: "relayMessagesPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int" }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  ) {
    messages(first: $first, after: $after, last: $last, before: $before)
      @connection(key: "relayMessages_messages") {
      edges {
        node {
          id
          sentAt
          text
        }
      }
    }
  }
`;
