/**
 * `messages(around: <cursor>)`: the page of a conversation that holds the message at `around`,
 * with about as many newer messages before it as older ones after it, in the same connection and
 * cursor space as any other page: its `startCursor` pages on toward newer messages with
 * `last`/`before`, its `endCursor` toward older ones with `first`/`after`, and page info is exact
 * both ways. Built from two ordinary pages of the engine on either side of the message; where one
 * side proves the history ends before its share is full (the newest or oldest messages), the
 * other side's page is asked again for the rest, so the page holds `size` messages wherever the
 * history has them.
 */
import { invalidArgument } from '../errors.js';
import type { ConversationRef } from '../model/index.js';
import type { Engine } from './engine.js';
import { canonicalFilter, matchesFilter, messagesScope } from './filter.js';
import {
  type ConnectionArgs,
  findMessage,
  type MessageConnection,
  pageMessages,
  pageRequest,
} from './paging.js';

export async function pageAround(
  engine: Engine,
  conversation: ConversationRef,
  args: ConnectionArgs & { around: string },
): Promise<MessageConnection> {
  if (args.after != null || args.before != null) {
    throw invalidArgument('"around" opens a page of its own: pass it without "after" or "before".', {
      field: 'around',
    });
  }
  const { size } = pageRequest(args);
  const filter = canonicalFilter(args.filter);
  const source = engine.sources.get(conversation.source);
  const position = engine.cursors.decode(
    args.around,
    messagesScope(source.name, conversation.externalId, filter),
  );
  const newerCount = Math.floor(Math.max(0, size - 1) / 2);
  const olderCount = Math.max(0, size - 1 - newerCount);
  const newerPage = (count: number) =>
    pageMessages(engine, conversation, { last: count, before: args.around, filter: args.filter });
  const olderPage = (count: number) =>
    pageMessages(engine, conversation, { first: count, after: args.around, filter: args.filter });
  let [newer, older, message] = await Promise.all([
    newerPage(newerCount),
    olderPage(olderCount),
    size > 0 ? findMessage(engine, conversation, position) : Promise.resolve(null),
  ]);
  // Only a proven end fills from the other side: a side cut by its call budget is not one. The
  // pages read already are the operation's, so the second ask reads only what lies beyond them.
  const newerMissing = newerCount - newer.edges.length;
  const olderMissing = olderCount - older.edges.length;
  if (newerMissing > 0 && !newer.pageInfo.hasPreviousPage && older.pageInfo.hasNextPage) {
    older = await olderPage(olderCount + newerMissing);
  } else if (olderMissing > 0 && !older.pageInfo.hasNextPage && newer.pageInfo.hasPreviousPage) {
    newer = await newerPage(newerCount + olderMissing);
  }
  // A message gone since the cursor was issued leaves its neighbours, still in order.
  const hit = message && matchesFilter(message, filter) ? [{ cursor: args.around, node: message }] : [];
  const edges = [...newer.edges, ...hit, ...older.edges];
  return {
    edges,
    pageInfo: {
      hasPreviousPage: newer.pageInfo.hasPreviousPage,
      hasNextPage: older.pageInfo.hasNextPage,
      // A side that spent its vendor-call budget ends at a cursor resuming its scan, not at an edge.
      startCursor: newer.pageInfo.startCursor ?? edges[0]?.cursor ?? null,
      endCursor: older.pageInfo.endCursor ?? edges.at(-1)?.cursor ?? null,
    },
    scannedUntil: older.scannedUntil,
  };
}
