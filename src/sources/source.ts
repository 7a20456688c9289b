/**
 * The seam between the paging engine and a vendor. A `Source` is one configured vendor account
 * (its base URL, credentials and HTTP agent): it knows how to make one vendor call, and how to read
 * a conversation's messages in either direction from a position using those calls. It knows
 * nothing about GraphQL, cursors or page sizes; the engine in `src/resolvers/paging.ts` does.
 *
 * Every vendor call goes through a `PageLoader`: a request-scoped memo keyed by `pageKey` (`PageMemo`),
 * so that within one GraphQL operation the same vendor page is never fetched twice.
 */
import { ERROR_CODES, isChatgraphError } from '../errors.js';
import type { Message, MessageFilter, Position, Vendor } from '../model/index.js';
import type { RequestScope } from './request-scope.js';

export type PagingMode =
  /** The vendor pages in this direction itself. */
  | 'NATIVE'
  /** The vendor cannot page this way; the engine reads toward older messages and keeps the tail. */
  | 'SCAN';

export type FilterMode =
  /** The vendor applies this filter itself. */
  | 'VENDOR'
  /** The gateway reads pages and filters them. */
  | 'GATEWAY';

export interface SourceCapabilities {
  /** `first`/`after`: from the newest toward older messages. */
  olderPaging: PagingMode;
  /** `last`/`before`: from the oldest toward newer messages. */
  newerPaging: PagingMode;
  /** The largest page the vendor serves in one call. */
  vendorMaxPageSize: number;
  filters: {
    timeRange: FilterMode;
    senderRoles: FilterMode;
    kinds: FilterMode;
    text: FilterMode;
  };
  /**
   * The vendor lists messages strictly by `sentAt` (ties in its own order), so a walk toward older
   * messages may stop at the first one before `filter.since`.
   */
  timeOrdered: boolean;
  /**
   * Reading on after a message makes the same vendor call whichever operation asks (the vendor's
   * last-message parameter set to that message), and `ReadRequest.limit` sizes that call. The engine then asks for whole
   * vendor pages, which the page cache keeps: the vendor page one GraphQL page read past its end
   * is the next page's first. False where a vendor cursor only its own query can follow,
   * or where `limit` does not size calls (a vendor read in whole day windows: a larger limit
   * would only walk more days).
   */
  resumesAtMessage: boolean;
  /** How long the vendor keeps messages, in seconds; null when it does not say. */
  retentionSeconds: number | null;
  /** How far back history is searched when `filter.since` is not given, in seconds; null: all. */
  defaultLookbackSeconds: number | null;
  /** Vendor limits worth knowing, in a sentence each. */
  notes: string[];
}

export type Direction = 'older' | 'newer';

export interface ReadRequest {
  /** Canonical external id of the conversation (see `Source.conversationId`). */
  conversation: string;
  direction: Direction;
  /**
   * Start strictly after this position in `direction`; null starts at the newest / oldest end.
   * Usually a message; an empty `id` is a scan boundary (a `ReadResult.scannedUntil` handed back
   * in a resume cursor): start with what was sent strictly beyond `t`.
   */
  from: Position | null;
  /** How many more messages the engine wants; a hint for sizing the next vendor call. */
  limit: number;
  filter: MessageFilter;
  /** What the previous `read` of this walk returned as `continuation`; undefined at first. */
  continuation?: unknown;
}

export interface ReadResult {
  /**
   * In `direction` order: newest first for `older`, oldest first for `newer`. The engine drops a
   * message it already delivered in this walk and, for a `timeOrdered` source, one sent on the
   * wrong side of `from`; a read whose messages are all dropped while `continuation` goes on is a
   * vendor that does not advance (a typed VENDOR_BAD_RESPONSE).
   */
  messages: Message[];
  /**
   * Pass back to continue this walk; null only when the vendor proved that nothing is left in
   * `direction` (an empty page, its own end flag), never because a page was short.
   */
  continuation: unknown | null;
  /**
   * How far this read looked, when that is beyond its last message (a time-window scan that found
   * nothing): a walk started `from` here loses nothing. A read may return no message and a
   * continuation as long as this moves on (or, absent, as long as `continuation` differs as
   * JSON from the one passed in); a page that spent its vendor-call budget ends here
   * and its cursor resumes from here. Absent: the read's last message.
   */
  scannedUntil?: Position;
  /**
   * With `continuation` null: the time (epoch ms) where the source stopped searching although the
   * vendor may hold more beyond it (a default lookback). Absent: the end was proven.
   */
  searchedTo?: number;
}

/** Someone whose conversations a vendor can list: one of the account's employees, or an outsider. */
export interface ListMember {
  id: string;
  type: 'employee' | 'external';
}

/** A conversation as a vendor's listing shows it, before any of its messages is read. */
export interface ListedConversation {
  /** Canonical external id (see `Source.conversationId`). */
  externalId: string;
  title: string | null;
  /** Epoch ms; null when the vendor did not say. */
  createdAt: number | null;
  /** Epoch ms of the last message; null when the vendor did not say. */
  lastActivityAt: number | null;
  /** A vendor address; may expire like other vendor media. */
  avatarUrl: string | null;
}

export interface ConversationListPage {
  /** In the vendor's order (most recent first where it says so). */
  conversations: ListedConversation[];
  /** Pass back for the next page; null when the vendor sent none. */
  nextCursor: string | null;
}

/** One vendor call through the request-scoped cache. */
export interface PageLoader<Req, Page> {
  load(request: Req): Promise<Page>;
}

export interface Source<Req = unknown, Page = unknown> {
  readonly name: string;
  readonly vendor: Vendor;
  readonly capabilities: SourceCapabilities;

  /**
   * Checks a conversation's external id and returns its canonical form; throws an
   * `INVALID_ARGUMENT` error for a malformed one. Makes no vendor call.
   */
  conversationId(externalId: string): string;

  /** The identity of one vendor call: equal keys mean the same call and the same answer. */
  pageKey(request: Req): string;

  /**
   * Whether the answer to this vendor call is settled history, which messages arriving from now
   * on cannot change: it is anchored at a message and reads toward older ones, or its time window
   * lies wholly in the past. Only settled pages are kept across operations (`pageCacheTtlMs`), so
   * a walk never re-reads the page its previous GraphQL page looked past, while the newest end of
   * a conversation is always asked for afresh. Absent: no page of this source is kept.
   */
  settled?(request: Req): boolean;

  /**
   * Makes exactly one vendor call and normalizes what it returns. `scope` is the GraphQL
   * operation's deadline, logger and trace, handed on to `HttpClient.json`; it is absent outside
   * an operation (tests, scripts), where the client's `defaultTimeoutMs` applies.
   */
  fetchPage(request: Req, scope?: RequestScope): Promise<Page>;

  /**
   * Reads the next messages of a walk. Direction `newer` is only asked of sources whose
   * `capabilities.newerPaging` is NATIVE.
   */
  read(pages: PageLoader<Req, Page>, request: ReadRequest): Promise<ReadResult>;

  /** Finds a message again from the position its node id carries; null when it is gone. */
  find(pages: PageLoader<Req, Page>, conversation: string, position: Position): Promise<Message | null>;

  /**
   * Readiness: resolves when the vendor answers one cheap call with the source's credentials,
   * rejects with the call's error otherwise. Usually `probeWith` around a `fetchPage`, which gets
   * `scope` (the readiness check's deadline; absent: the client's `defaultTimeoutMs`).
   */
  probe?(scope?: RequestScope): Promise<void>;

  /**
   * One page of the conversations `member` is in, where the vendor documents such a listing (one
   * vendor call, `cursor` null at first). Absent: the vendor lists no conversations, and they are
   * known only once read. The store walks it at start-up for the members configured per source.
   */
  listConversations?(
    member: ListMember,
    cursor: string | null,
    scope?: RequestScope,
  ): Promise<ConversationListPage>;

  /**
   * One change feed for the whole account, where the vendor offers one: the live hub reads it
   * once per interval instead of polling every watched conversation (see `src/live/feed.ts`).
   * Absent: conversations are polled one by one.
   */
  readonly feed?: ChangeFeed;

  /** Releases the source's HTTP agent. */
  close(): Promise<void>;
}

/** What one read of a change feed saw. */
export interface FeedRead {
  /** Conversations (canonical external ids) with changes after the position read from, each once. */
  conversations: string[];
  /** Where the next read starts. */
  position: string;
  /** The read stopped at its page size: more changes may wait (read again now). */
  more: boolean;
  /** Rows that named no conversation that can be read: they wake nothing. */
  unattributed: number;
}

/**
 * An account-wide change feed: a hint of which conversations changed, never the messages
 * themselves (those are read through `read` as always). Positions are opaque strings.
 */
export interface ChangeFeed {
  /** The feed's end now: a read from it reports only changes made after this call. */
  end(scope?: RequestScope): Promise<string>;
  /** The changes after `position`, one page of them. */
  read(position: string, scope?: RequestScope): Promise<FeedRead>;
}

/**
 * How long ago a time window must have ended to count as past (`Source.settled`): vendors index
 * new messages with some lag, and clocks drift.
 */
export const SETTLED_AFTER_MS = 5 * 60_000;

/** The conversation id probes ask for: it need not exist, the vendor only has to answer. */
export const PROBE_CONVERSATION = 'chatgraph-readiness-probe';

/**
 * Makes `call` (one vendor call, e.g. the newest page of `PROBE_CONVERSATION`) and resolves when
 * the vendor answered it. An error of the vendor's own (a business code such as "no such
 * conversation") or a rate limit is an answer: the vendor is up and took the credentials.
 * Unreachable, timed out, refused credentials, unreadable answers and HTTP errors are not.
 */
export async function probeWith(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isChatgraphError(error)) throw error;
    const vendorSaidNo = error.code === ERROR_CODES.VENDOR_ERROR && error.details.vendorCode !== undefined;
    if (!vendorSaidNo && error.code !== ERROR_CODES.VENDOR_RATE_LIMITED) throw error;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds sources of every request type.
export type AnySource = Source<any, any>;
