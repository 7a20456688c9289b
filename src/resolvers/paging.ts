/**
 * The paging engine: Relay connections over a conversation's messages, exact in both directions,
 * on top of whatever paging model the vendor has.
 *
 * The list is a conversation's messages newest first (ties in the vendor's own order).
 * `first`/`after` walk it toward older messages, `last`/`before` toward newer ones; both may be
 * bounded by the other cursor. The engine asks for one message more than the page to know
 * `hasNextPage` / `hasPreviousPage` exactly instead of guessing, and sizes each vendor call to what
 * the page still needs (all vendor calls go through the request-scoped page loader).
 *
 * Page info answers "is there a message on that side of this page" for the filtered list:
 * - toward the walk's end it is known from the extra message read;
 * - toward its start, a cursor that was passed is itself such a message.
 */
import type { Context } from '../context.js';
import { invalidArgument } from '../errors.js';
import type { ConversationRef, Message, MessageFilter, Position } from '../model/index.js';
import { positionOf } from '../model/index.js';
import type { AnySource, Direction, PageLoader } from '../sources/source.js';
import type { CursorScope } from './cursor.js';
import {
  canonicalFilter,
  filterKey,
  type MessageFilterInput,
  matchesFilter,
  residualFilter,
} from './filter.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** A walk that needs more vendor calls than this is a source bug (a continuation that never ends). */
const MAX_READS_PER_WALK = 10_000;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: MessageFilterInput | null;
}

export interface MessageEdge {
  cursor: string;
  node: Message;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface MessageConnection {
  edges: MessageEdge[];
  pageInfo: PageInfo;
}

export interface PageRequest {
  direction: Direction;
  size: number;
}

/** Validates `first` / `last` and picks the walk direction. */
export function pageRequest(args: Pick<ConnectionArgs, 'first' | 'last'>): PageRequest {
  const { first, last } = args;
  if (first != null && last != null) {
    throw invalidArgument('Pass either "first" or "last", not both.', { field: 'first' });
  }
  const field = last != null ? 'last' : 'first';
  const size = last ?? first ?? DEFAULT_PAGE_SIZE;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`"${field}" must be between 0 and ${MAX_PAGE_SIZE}.`, { field });
  }
  return { direction: last != null ? 'newer' : 'older', size };
}

export async function pageMessages(
  ctx: Context,
  conversation: ConversationRef,
  args: ConnectionArgs,
): Promise<MessageConnection> {
  const source = ctx.sources.get(conversation.source);
  const { direction, size } = pageRequest(args);
  const filter = canonicalFilter(args.filter);
  const scope: CursorScope = {
    source: source.name,
    conversation: conversation.externalId,
    filter: filterKey(filter),
  };
  const after = args.after != null ? ctx.app.cursors.decode(args.after, scope) : null;
  const before = args.before != null ? ctx.app.cursors.decode(args.before, scope) : null;

  const walk: Walk = {
    source,
    pages: ctx.loaders.pages(source),
    conversation: conversation.externalId,
    filter,
    residual: residualFilter(filter, source.capabilities),
    // With pages reused across operations, a whole vendor page costs no more calls than the part
    // this page needs, and the next GraphQL page finds it already read.
    wholeVendorPages: (ctx.app.sharedPages?.keepsPages ?? false) && source.capabilities.resumesAtMessage,
  };

  // `page` ends up in list order (newest first) in every branch.
  let page: Message[];
  let overflow: boolean;
  if (direction === 'older') {
    const items = await take(messages(walk, 'older', after, before, size + 1), size + 1);
    overflow = items.length > size;
    page = items.slice(0, size);
  } else if (source.capabilities.newerPaging === 'NATIVE') {
    const items = await take(messages(walk, 'newer', before, after, size + 1), size + 1);
    overflow = items.length > size;
    page = items.slice(0, size).reverse();
  } else {
    // The vendor only pages toward older messages: read from `after` (or the newest) down to
    // `before` (or the oldest) and keep the tail.
    const tail = await takeLast(messages(walk, 'older', after, before, Number.POSITIVE_INFINITY), size + 1);
    overflow = tail.length > size;
    page = tail.slice(Math.max(0, tail.length - size));
  }

  const cursorOf = ctx.app.cursors.encoder(scope);
  const edges = page.map((node) => ({ cursor: cursorOf(positionOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: (direction === 'older' && overflow) || before !== null,
      hasPreviousPage: (direction === 'newer' && overflow) || after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Finds one message again from the position its node id carries. */
export async function findMessage(
  ctx: Context,
  conversation: ConversationRef,
  position: Position,
): Promise<Message | null> {
  const source = ctx.sources.get(conversation.source);
  return source.find(ctx.loaders.pages(source), conversation.externalId, position);
}

interface Walk {
  source: AnySource;
  pages: PageLoader<unknown, unknown>;
  conversation: string;
  filter: MessageFilter;
  /** What the vendor does not filter itself. */
  residual: MessageFilter;
  /** Ask the vendor for whole pages rather than just what this page still needs. */
  wholeVendorPages: boolean;
}

/**
 * The filtered messages of a conversation in `direction`, strictly after `from` and strictly
 * before `stopAt`. `want` sizes vendor calls: how many messages the caller still needs.
 */
async function* messages(
  walk: Walk,
  direction: Direction,
  from: Position | null,
  stopAt: Position | null,
  want: number,
): AsyncGenerator<Message> {
  const { source, filter, residual } = walk;
  const { timeOrdered, vendorMaxPageSize } = source.capabilities;
  const filtersInGateway = Object.keys(residual).length > 0;
  const seen = new Set<string>(from ? [from.id] : []);
  let yielded = 0;
  let continuation: unknown;

  for (let reads = 0; ; reads++) {
    if (reads === MAX_READS_PER_WALK) {
      throw new Error(`Source "${source.name}" did not finish a walk in ${MAX_READS_PER_WALK} reads.`);
    }
    const limit =
      filtersInGateway || walk.wholeVendorPages || !Number.isFinite(want)
        ? vendorMaxPageSize
        : Math.min(vendorMaxPageSize, Math.max(1, want - yielded));
    const result = await source.read(walk.pages, {
      conversation: walk.conversation,
      direction,
      from,
      limit,
      filter,
      continuation,
    });
    for (const message of result.messages) {
      if (stopAt && message.externalId === stopAt.id) return;
      if (timeOrdered && passed(direction, message, stopAt, filter)) return;
      // A vendor whose anchors are inclusive, or that repeats a record across pages, must not
      // make the client see a message twice.
      if (seen.has(message.externalId)) continue;
      seen.add(message.externalId);
      if (!matchesFilter(message, residual)) continue;
      yielded++;
      yield message;
    }
    if (result.continuation === null) return;
    continuation = result.continuation;
  }
}

/** In a time-ordered list, whether `message` lies beyond the stop cursor or the filter's bound. */
function passed(
  direction: Direction,
  message: Message,
  stopAt: Position | null,
  filter: MessageFilter,
): boolean {
  if (direction === 'older') {
    return (
      (stopAt !== null && message.sentAt < stopAt.t) ||
      (filter.since !== undefined && message.sentAt < filter.since)
    );
  }
  return (
    (stopAt !== null && message.sentAt > stopAt.t) ||
    (filter.until !== undefined && message.sentAt >= filter.until)
  );
}

async function take<T>(items: AsyncGenerator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length === count) break;
  }
  return out;
}

async function takeLast<T>(items: AsyncGenerator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length > count) out.shift();
  }
  return out;
}
