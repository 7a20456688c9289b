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
import { invalidArgument, vendorNotAdvancing } from '../errors.js';
import type { ConversationRef, Message, MessageFilter, Position } from '../model/index.js';
import { positionOf } from '../model/index.js';
import type { AnySource, Direction, PageLoader } from '../sources/source.js';
import type { KeysetRange } from '../store/store.js';
import type { Engine } from './engine.js';
import {
  canonicalFilter,
  type MessageFilterInput,
  matchesFilter,
  messagesScope,
  residualFilter,
} from './filter.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** A walk that needs more reads than this has a continuation that never ends. */
const MAX_READS_PER_WALK = 10_000;
/**
 * Vendor calls one page may spend walking in a vendor-paged direction. Past it the page returns
 * what it found (possibly nothing) with a cursor that resumes the scan, so a long history costs
 * more pages rather than failing the operation (`maxVendorCalls` stays the operation's backstop).
 */
export const PAGE_VENDOR_CALL_BUDGET = 200;

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
  /**
   * How far toward the walk's end the page looked (epoch ms): nothing beyond it was read. Null
   * when the page reached the proven end of the (filtered) history.
   */
  scannedUntil: number | null;
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

/**
 * A page of a list kept in key order, read with `read`, both ways: the rows in list order, and
 * page info exact both ways (the extra row read toward the walk's end, a passed cursor toward its
 * start). `after` and `before` are the keys of the client's cursors.
 */
export async function readKeysetPage<K, R>(
  { direction, size }: PageRequest,
  after: K | null,
  before: K | null,
  read: (range: KeysetRange<K>) => Promise<R[]>,
): Promise<{ rows: R[]; hasNextPage: boolean; hasPreviousPage: boolean }> {
  const older = direction === 'older';
  const rows = await read({
    direction,
    from: older ? after : before,
    stopAt: older ? before : after,
    limit: size + 1,
  });
  const overflow = rows.length > size;
  return {
    rows: older ? rows.slice(0, size) : rows.slice(0, size).reverse(),
    hasNextPage: (older && overflow) || before !== null,
    hasPreviousPage: (!older && overflow) || after !== null,
  };
}

export async function pageMessages(
  engine: Engine,
  conversation: ConversationRef,
  args: ConnectionArgs,
): Promise<MessageConnection> {
  const source = engine.sources.get(conversation.source);
  const { direction, size } = pageRequest(args);
  const filter = canonicalFilter(args.filter);
  const scope = messagesScope(source.name, conversation.externalId, filter);
  const after = args.after != null ? engine.cursors.decode(args.after, scope) : null;
  const before = args.before != null ? engine.cursors.decode(args.before, scope) : null;

  const walk: Walk = {
    source,
    pages: engine.loaders.pages(source),
    conversation: conversation.externalId,
    filter,
    residual: residualFilter(filter, source.capabilities),
    // With pages reused across operations, a whole vendor page costs no more calls than the part
    // this page needs, and the next GraphQL page finds it already read.
    wholeVendorPages: engine.keepsPages && source.capabilities.resumesAtMessage,
    spent: () => engine.loaders.calls - callsBefore,
    // Half the operation's calls at most, so a page that spends its budget still leaves the
    // operation room to answer.
    budget: Math.max(1, Math.min(PAGE_VENDOR_CALL_BUDGET, Math.floor(engine.maxVendorCalls / 2))),
    progress: { scanned: null, outOfBudget: false, searchedTo: null, ended: false },
  };
  const callsBefore = engine.loaders.calls;
  // Where the vendor's list is not ordered by time, only meeting the other cursor proves that the
  // range between the two is not inverted (`after` newer than `before`'s message): the walk holds
  // what it finds until it does, and a cut scan could not resume past what it held.
  if (after !== null && before !== null && !source.capabilities.timeOrdered) {
    walk.budget = Number.POSITIVE_INFINITY;
  }

  // `page` ends up in list order (newest first) in every branch.
  let page: Message[];
  let overflow: boolean;
  if (direction === 'older' || source.capabilities.newerPaging === 'NATIVE') {
    const items: Message[] = [];
    const accept = (message: Message) => items.push(message) <= size;
    await (direction === 'older'
      ? messages(walk, 'older', after, before, size + 1, accept)
      : messages(walk, 'newer', before, after, size + 1, accept));
    overflow = items.length > size;
    if (overflow) items.pop();
    page = direction === 'older' ? items : items.reverse();
  } else {
    // The vendor only pages toward older messages: read from `after` (or the newest) down to
    // `before` (or the oldest) and keep the tail. Only the whole scan knows the tail, so it is
    // not cut by the page budget (the operation's `maxVendorCalls` still bounds it).
    walk.budget = Number.POSITIVE_INFINITY;
    const tail: Message[] = [];
    await messages(walk, 'older', after, before, Number.POSITIVE_INFINITY, (message) => {
      if (tail.push(message) > size + 1) tail.shift();
      return true;
    });
    overflow = tail.length > size;
    page = tail.slice(Math.max(0, tail.length - size));
  }

  const cursorOf = engine.cursors.encoder(scope);
  const edges = page.map((node) => new Edge(node, cursorOf));
  const { progress } = walk;
  // Out of budget: the page ends where the scan stopped, and the cursor there resumes it.
  const resume = !overflow && progress.outOfBudget && progress.scanned ? progress.scanned : null;
  // Signed when read, as the edges' own cursors are.
  const resumeCursor = () => (resume ? cursorOf(resume) : null);
  return {
    edges,
    pageInfo: {
      hasNextPage: (direction === 'older' && (overflow || resume !== null)) || before !== null,
      hasPreviousPage: (direction === 'newer' && (overflow || resume !== null)) || after !== null,
      get startCursor() {
        return (direction === 'newer' ? resumeCursor() : null) ?? edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return (direction === 'older' ? resumeCursor() : null) ?? edges.at(-1)?.cursor ?? null;
      },
    },
    scannedUntil: progress.ended
      ? progress.searchedTo
      : (resume?.t ?? progress.scanned?.t ?? progress.searchedTo ?? null),
  };
}

/**
 * An edge whose cursor is signed when it is first read: a query that selects no `cursor` signs
 * none (an HMAC per edge was ~5 % of a page's CPU), and one that does signs each once.
 */
class Edge implements MessageEdge {
  readonly node: Message;
  readonly #sign: (position: Position) => string;
  #cursor: string | undefined;

  constructor(node: Message, sign: (position: Position) => string) {
    this.node = node;
    this.#sign = sign;
  }

  get cursor(): string {
    this.#cursor ??= this.#sign(positionOf(this.node));
    return this.#cursor;
  }
}

/** Finds one message again from the position its node id carries. */
export async function findMessage(
  engine: Engine,
  conversation: ConversationRef,
  position: Position,
): Promise<Message | null> {
  const source = engine.sources.get(conversation.source);
  return source.find(engine.loaders.pages(source), conversation.externalId, position);
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
  /** Vendor calls this page has made so far. */
  spent: () => number;
  /** Vendor calls after which the walk stops at a position it can resume from. */
  budget: number;
  progress: WalkProgress;
}

interface WalkProgress {
  /** The last position the walk looked at in its direction: resuming from it loses nothing. */
  scanned: Position | null;
  /** The walk stopped because it spent its budget, not because it found enough or the end. */
  outOfBudget: boolean;
  /** Where the source stopped searching short of a proven end (`ReadResult.searchedTo`). */
  searchedTo: number | null;
  /** The walk reached the end of the (filtered) history, or the source's search bound. */
  ended: boolean;
}

/**
 * Takes the walk's messages in list order; false: enough, the walk stops right after this one
 * (where it stands then is what `WalkProgress` records).
 */
type Accept = (message: Message) => boolean;

/**
 * Hands `accept` the filtered messages of a conversation in `direction`, strictly after `from`
 * and strictly before `stopAt`. `want` sizes vendor calls: how many messages the caller still
 * needs. Records are taken as the vendor sends them, not as our emulators do: one already
 * delivered in this walk is skipped, as is (for a time-ordered source) one sent on the wrong side
 * of `from`. (A callback rather than an async generator: a generator costs promises and
 * microtasks per message.)
 */
async function messages(
  walk: Walk,
  direction: Direction,
  from: Position | null,
  stopAt: Position | null,
  want: number,
  accept: Accept,
): Promise<void> {
  const { source, filter, residual, progress } = walk;
  const { timeOrdered, vendorMaxPageSize } = source.capabilities;
  const filtersInGateway = Object.keys(residual).length > 0;
  const seen = new Set<string>(from && from.id !== '' ? [from.id] : []);
  // Both cursors on a list not ordered by time: nothing is given out before `stopAt` is met, and
  // a walk that ends without meeting it was over an inverted (empty) range.
  const mustMeet = from !== null && stopAt !== null && !timeOrdered;
  const held: Message[] = [];
  let yielded = 0;
  let continuation: unknown;
  let retryWhole = false;
  /** The most records one read of this walk has held: a page shorter than that is short. */
  let fullest = 0;
  let previousShort = false;
  progress.scanned = from;

  for (let reads = 0; ; reads++) {
    if (reads === MAX_READS_PER_WALK) {
      throw vendorNotAdvancing(source.name, `its continuation did not end after ${MAX_READS_PER_WALK} reads`);
    }
    // At least 2: a vendor whose anchor is inclusive answers a page of one with the anchor alone.
    // The first read from a message anchor takes a whole page too: records the vendor repeats from
    // before the anchor can only be told from new ones of the same time by the anchor after them.
    const resuming = reads === 0 && from !== null && from.id !== '' && source.capabilities.resumesAtMessage;
    const limit =
      filtersInGateway || walk.wholeVendorPages || !Number.isFinite(want) || retryWhole || resuming
        ? vendorMaxPageSize
        : Math.min(vendorMaxPageSize, Math.max(2, want - yielded));
    const asWhole = retryWhole;
    retryWhole = false;
    const result = await source.read(walk.pages, {
      conversation: walk.conversation,
      direction,
      from,
      limit,
      filter,
      continuation,
    });
    let fresh = 0;
    // A page is in list order: what it lists before a record already read lies behind the walk
    // (a vendor repeating records across pages, or anchors that include the anchor), even where
    // times are equal and cannot tell.
    const records = result.messages;
    const behind = behindIndex(direction, records, seen, timeOrdered);
    for (let index = 0; index < records.length; index++) {
      const message = records[index] as Message;
      if (stopAt && message.externalId === stopAt.id) {
        for (const kept of held) if (!accept(kept)) return;
        return end(progress, null);
      }
      // A vendor whose anchors are inclusive, or that repeats a record across pages, must not
      // make the client see a message twice. What lies behind is remembered as read: a later
      // read may repeat it without the record that proved it behind (one sent in the same
      // millisecond as the cursor cannot be told by its time).
      if (index <= behind || seen.has(message.externalId)) {
        seen.add(message.externalId);
        continue;
      }
      if (timeOrdered && from && wrongSide(direction, message, from)) continue;
      if (timeOrdered && passed(direction, message, stopAt, filter)) return end(progress, null);
      seen.add(message.externalId);
      fresh++;
      progress.scanned = positionOf(message);
      if (!matchesFilter(message, residual)) continue;
      yielded++;
      if (mustMeet) held.push(message);
      else if (!accept(message)) return;
    }
    const before = progress.scanned;
    if (result.scannedUntil) progress.scanned = result.scannedUntil;
    if (result.continuation === null) return end(progress, result.searchedTo ?? null);
    // Without what was already read, an inclusive anchor's last page ([anchor]) or a repeating
    // vendor's ([...repeats]) is the empty page that ends the history: it is shorter than the
    // vendor's pages have been (than asked, on a walk's first read), or short of what was asked after a short page or when asked for a
    // whole page. A
    // page as full as the vendor's pages get is not: the vendor sent it again instead of moving on.
    const short =
      result.messages.length < (fullest === 0 ? limit : Math.min(limit, fullest)) ||
      ((previousShort || asWhole) && result.messages.length < limit);
    fullest = Math.max(fullest, result.messages.length);
    previousShort = result.messages.length < limit;
    if (fresh === 0 && result.messages.length > 0 && short) return end(progress, null);
    // A read with no message moves on by its `scannedUntil`, or else by a new continuation.
    const moved =
      fresh > 0 ||
      (result.messages.length === 0 &&
        (result.scannedUntil !== undefined
          ? !samePosition(result.scannedUntil, before)
          : !sameContinuation(result.continuation, continuation)));
    if (!moved && limit < vendorMaxPageSize) {
      // Repeated records may fill a small page: ask the same position for a whole one.
      retryWhole = true;
      continue;
    }
    if (!moved) {
      throw vendorNotAdvancing(
        source.name,
        result.messages.length > 0
          ? 'a page held only records already read'
          : 'a read found nothing and did not move on',
      );
    }
    continuation = result.continuation;
    // Out of budget, the page stops where it got to; one that got nowhere yet reads on (a cursor
    // that resumed from where it started would make the client ask for the same page forever).
    const progressed = progress.scanned !== null && (from === null || !samePosition(progress.scanned, from));
    if (walk.spent() >= walk.budget && progressed) {
      progress.outOfBudget = true;
      return;
    }
  }
}

/**
 * The last index of a page at or before which everything lies behind the walk: a record already
 * read, listed after records that (on a time-ordered list) are no further along than it. A record
 * repeated out of order (a vendor re-sending an old record at the end of a page) says nothing
 * about the records listed before it.
 */
function behindIndex(
  direction: Direction,
  messages: Message[],
  seen: ReadonlySet<string>,
  timeOrdered: boolean,
): number {
  let behind = -1;
  // Of the records listed so far, the one furthest along the walk (oldest, walking older).
  let furthest = direction === 'older' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Message;
    const inOrder =
      !timeOrdered || (direction === 'older' ? furthest >= message.sentAt : furthest <= message.sentAt);
    if (inOrder && seen.has(message.externalId)) behind = index;
    furthest =
      direction === 'older' ? Math.min(furthest, message.sentAt) : Math.max(furthest, message.sentAt);
  }
  return behind;
}

function end(progress: WalkProgress, searchedTo: number | null): void {
  progress.ended = true;
  progress.searchedTo = searchedTo;
}

/** Equal as JSON: a continuation the engine can compare (sources with others give `scannedUntil`). */
function sameContinuation(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

const samePosition = (a: Position, b: Position | null): boolean => b !== null && a.t === b.t && a.id === b.id;

/** In a time-ordered list, whether `message` was sent before `from` in the walk's direction. */
function wrongSide(direction: Direction, message: Message, from: Position): boolean {
  return direction === 'older' ? message.sentAt > from.t : message.sentAt < from.t;
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
