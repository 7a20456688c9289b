/**
 * The store's seam into the paging engine: a `Source` decorator. Every read is recorded (its
 * conversation's activity, and the messages themselves where the source archives); for an
 * archiving source, a walk toward older messages that the vendor proves at its end (no
 * continuation left) goes on in the store, and a walk that starts past the vendor's reach (older
 * than where the vendor's history was last proven to end, or than its retention) is served by the
 * store alone, with no vendor call. One cursor space: positions are the messages' own, whichever
 * side served them, and the store serves only what lies strictly older than the vendor's end, so
 * every message comes once.
 *
 * Toward newer messages (`last`/`before`, where the vendor pages that way) the store serves its
 * part first, up to the vendor's end, then the vendor from its oldest. Only a time-ordered
 * source's walks are extended so; a walk that stops at a default lookback has proven no end.
 */
import type { MessageFilter, Position } from '../model/index.js';
import { matchesFilter } from '../resolvers/filter.js';
import type { AnySource, PageLoader, ReadRequest, ReadResult } from '../sources/source.js';
import type { StoreSourcePolicy } from './config.js';
import type { Recorder } from './recorder.js';
import type { Store } from './store.js';

type Continuation =
  /** Reading from the vendor; `oldest` is the oldest message it returned in this walk so far. */
  | { phase: 'vendor'; inner: unknown; oldest: Position | null; below: number | null }
  /** Reading the store: strictly after `from`, sent before `below`. */
  | { phase: 'store'; from: Position | null; below: number };

export interface StoredSourceDeps {
  store: Store;
  recorder: Recorder;
  policy: StoreSourcePolicy;
  now?: () => number;
}

/** Wraps `inner` so that its reads are recorded and, where it archives, extended from the store. */
export function storedSource(inner: AnySource, deps: StoredSourceDeps): AnySource {
  const { store, recorder, policy } = deps;
  const now = deps.now ?? Date.now;
  const { retentionSeconds, timeOrdered } = inner.capabilities;
  // The store serves what lies older (in time) than the vendor's end. Where the vendor's list is
  // not in time order (AIRUDDER's sessions), the end of its list is no bound in time, and a
  // cursor older than it may sit anywhere in the list: spliced from the store, a walk would skip
  // and repeat messages. Such a source's messages are archived (search and `node` find them) but
  // its walks are the vendor's alone.
  const splices = policy.archive && timeOrdered;

  /** Before this instant, the vendor is known not to have a conversation's messages. */
  const reach = async (conversation: string): Promise<number | null> => {
    const floor = await store.floor(inner.name, conversation);
    const retained = retentionSeconds === null ? null : now() - retentionSeconds * 1000;
    if (floor === null) return retained;
    return retained === null ? floor.t : Math.max(floor.t, retained);
  };

  /** One batch of archived messages, the whole filter applied (the vendor applied none of it). */
  const fromStore = async (request: ReadRequest, state: { from: Position | null; below: number }) => {
    const rows = await store.archived(
      inner.name,
      request.conversation,
      request.direction,
      state.from,
      state.below,
      request.limit,
    );
    const last = rows.at(-1);
    return {
      messages: rows.filter((message) => matchesFilter(message, request.filter)),
      exhausted: rows.length < request.limit || last === undefined,
      next: last ? { t: last.sentAt, id: last.externalId } : state.from,
    };
  };

  const readOlder = async (
    pages: PageLoader<unknown, unknown>,
    request: ReadRequest,
  ): Promise<ReadResult> => {
    let state = request.continuation as Continuation | undefined;
    if (state === undefined && request.from !== null) {
      const below = await reach(request.conversation);
      if (below !== null && request.from.t < below) state = { phase: 'store', from: request.from, below };
    }
    if (state?.phase === 'store') {
      const batch = await fromStore(request, state);
      return {
        messages: batch.messages,
        continuation: batch.exhausted ? null : { phase: 'store', from: batch.next, below: state.below },
      };
    }
    const result = await inner.read(pages, { ...request, continuation: state?.inner });
    recorder.seen(result.messages, true);
    const last = result.messages.at(-1);
    const oldest = last ? { t: last.sentAt, id: last.externalId } : (state?.oldest ?? null);
    if (result.continuation !== null) {
      return {
        // Its `scannedUntil` too: a read that found nothing moves the walk on by it, and the
        // page's vendor-call budget can only stop a walk that has moved.
        ...result,
        continuation: { phase: 'vendor', inner: result.continuation, oldest, below: null },
      };
    }
    // The vendor stopped at a default lookback, not at the start of its history: what lies older
    // is neither proven absent at the vendor nor all in the store (only what reads brought), so the
    // walk ends there and says so; `filter.since` reaches further, from the vendor.
    if (result.searchedTo !== undefined) return result;
    // The vendor has nothing older: what the store holds before its oldest is past its reach.
    const end = oldest ?? request.from;
    if (end && isEmpty(request.filter)) {
      await recorder.flush();
      await store.setFloor(inner.name, request.conversation, end);
    }
    const below = end ? end.t : Number.POSITIVE_INFINITY;
    return { messages: result.messages, continuation: { phase: 'store', from: null, below } };
  };

  const readNewer = async (
    pages: PageLoader<unknown, unknown>,
    request: ReadRequest,
  ): Promise<ReadResult> => {
    let state = request.continuation as Continuation | undefined;
    if (state === undefined) {
      const below = await reach(request.conversation);
      state =
        below !== null && (request.from === null || request.from.t < below)
          ? { phase: 'store', from: request.from, below }
          : { phase: 'vendor', inner: undefined, oldest: null, below: null };
    }
    if (state.phase === 'store') {
      const batch = await fromStore(request, state);
      return {
        messages: batch.messages,
        continuation: batch.exhausted
          ? { phase: 'vendor', inner: undefined, oldest: null, below: state.below }
          : { phase: 'store', from: batch.next, below: state.below },
      };
    }
    // After the store's part the vendor starts at its oldest, skipping what the store served.
    const below = state.below;
    const result = await inner.read(pages, {
      ...request,
      from: below === null ? request.from : null,
      continuation: state.inner,
    });
    recorder.seen(result.messages, true);
    // How far the vendor's read got, where that is past what the store served: a cursor resuming
    // from there must not lead back into the store's part.
    const scanned = result.scannedUntil;
    return {
      messages: below === null ? result.messages : result.messages.filter((m) => m.sentAt >= below),
      continuation:
        result.continuation === null
          ? null
          : { phase: 'vendor', inner: result.continuation, oldest: null, below },
      ...(scanned && (below === null || scanned.t >= below) ? { scannedUntil: scanned } : {}),
    };
  };

  const decorated: AnySource = {
    name: inner.name,
    vendor: inner.vendor,
    capabilities: inner.capabilities,
    ...(inner.feed ? { feed: inner.feed } : {}),
    conversationId: (externalId) => inner.conversationId(externalId),
    pageKey: (request) => inner.pageKey(request),
    fetchPage: (request, scope) => inner.fetchPage(request, scope),
    async read(pages, request) {
      if (!splices) {
        const result = await inner.read(pages, request);
        recorder.seen(result.messages, policy.archive);
        return result;
      }
      return request.direction === 'older' ? readOlder(pages, request) : readNewer(pages, request);
    },
    async find(pages, conversation, position) {
      if (!policy.archive) return inner.find(pages, conversation, position);
      const below = splices ? await reach(conversation) : null;
      if (below !== null && position.t < below)
        return store.archivedMessage(inner.name, conversation, position);
      return (
        (await inner.find(pages, conversation, position)) ??
        store.archivedMessage(inner.name, conversation, position)
      );
    },
    close: () => inner.close(),
  };
  // Optional members stay absent when the vendor's source has none: their absence means something.
  if (inner.settled) decorated.settled = (request) => inner.settled?.(request) ?? false;
  if (inner.probe) decorated.probe = (scope) => inner.probe?.(scope) ?? Promise.resolve();
  const list = inner.listConversations?.bind(inner);
  if (list) decorated.listConversations = (member, cursor, scope) => list(member, cursor, scope);
  return decorated;
}

const isEmpty = (filter: MessageFilter): boolean => Object.keys(filter).length === 0;
