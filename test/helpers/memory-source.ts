/**
 * An in-memory `Source` for the paging engine: the paging laws run in milliseconds, without HTTP,
 * against vendors as their documents allow them to behave. Two paging models:
 *
 * - `anchor`: pages by message id (as WeChat Shop's `msg_id`), toward older messages and, with
 *   `newerPaging: 'NATIVE'`, toward newer ones; otherwise the engine SCANs.
 * - `windows`: fixed time windows (as weizhipin's days), one vendor call each, both directions;
 *   an empty window is a read with no message and a `scannedUntil` at the window's edge.
 *
 * Quirks: a page cap below the size asked, inclusive anchors, records repeated across pages,
 * a cursor that never advances. The end of history is only an empty page (or the last window).
 * `calls` counts vendor calls.
 */
import type { Message, Position, SenderRole } from '../../src/model/index.js';
import type {
  Direction,
  PageLoader,
  PagingMode,
  ReadRequest,
  ReadResult,
  Source,
  SourceCapabilities,
} from '../../src/sources/source.js';

export interface MemorySourceOptions {
  name?: string;
  /** The conversation's messages in list order: newest first (ties in that order). */
  messages: Message[];
  paging: 'anchor' | 'windows';
  /** For `anchor` paging; `windows` is always NATIVE both ways. */
  newerPaging?: PagingMode;
  vendorMaxPageSize?: number;
  /** The vendor returns at most this many records whatever was asked. */
  pageCap?: number;
  /** A page anchored at a message starts with that message. */
  inclusiveAnchor?: boolean;
  /** Each page also repeats this many records of the previous one. */
  repeat?: number;
  /** The vendor's anchor never moves on: every page is the first one again. */
  stuck?: boolean;
  /** `windows` paging: width of a window in ms, and the span of history searched. */
  windowMs?: number;
  lowest?: number;
  highest?: number;
  /** Where a default lookback stops the search: `ReadResult.searchedTo`. */
  lookback?: number;
}

type MemoryRequest =
  | { kind: 'anchor'; direction: Direction; anchor: string | null; limit: number }
  | { kind: 'window'; start: number };

export interface MemorySource extends Source<MemoryRequest, Message[]> {
  calls: number;
}

export function memoryMessage(
  id: string,
  sentAt: number,
  role: SenderRole = 'CUSTOMER',
  text = `message ${id}`,
): Message {
  return {
    vendor: 'WECHAT_STORE',
    source: 'memory',
    conversation: 'c',
    externalId: id,
    sentAt,
    sender: { role, externalId: null, displayName: null, avatarUrl: null },
    kind: 'TEXT',
    text,
    recalled: false,
    content: { __typename: 'TextContent', text } as Message['content'],
    raw: null,
  };
}

export function memorySource(options: MemorySourceOptions): MemorySource {
  const list = options.messages;
  const oldestFirst = [...list].reverse();
  const windowMs = options.windowMs ?? 86_400_000;
  const lowest = options.lowest ?? list.at(-1)?.sentAt ?? 0;
  const highest = options.highest ?? list[0]?.sentAt ?? 0;
  const capabilities: SourceCapabilities = {
    olderPaging: 'NATIVE',
    newerPaging: options.paging === 'windows' ? 'NATIVE' : (options.newerPaging ?? 'SCAN'),
    vendorMaxPageSize: options.vendorMaxPageSize ?? 50,
    filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
    timeOrdered: true,
    // Anchored pages are the same call whoever asks, sized by `limit` (as WeChat Shop's `msg_id`).
    resumesAtMessage: options.paging === 'anchor',
    retentionSeconds: null,
    defaultLookbackSeconds: null,
    notes: [],
  };

  const anchorPage = (request: Extract<MemoryRequest, { kind: 'anchor' }>): Message[] => {
    const ordered = request.direction === 'older' ? list : oldestFirst;
    let start = 0;
    if (request.anchor !== null) {
      const at = ordered.findIndex((m) => m.externalId === request.anchor);
      if (at < 0) return [];
      start = options.inclusiveAnchor ? at : at + 1;
    }
    start = Math.max(0, start - (options.repeat ?? 0));
    const size = Math.min(request.limit, options.pageCap ?? Number.POSITIVE_INFINITY);
    return ordered.slice(start, start + size);
  };

  const source: MemorySource = {
    name: options.name ?? 'memory',
    vendor: 'WECHAT_STORE',
    capabilities,
    calls: 0,
    conversationId: (id) => id,
    pageKey: (request) => JSON.stringify(request),
    async fetchPage(request) {
      source.calls++;
      if (request.kind === 'anchor') return anchorPage(request);
      return oldestFirst.filter((m) => m.sentAt >= request.start && m.sentAt < request.start + windowMs);
    },
    async read(pages: PageLoader<MemoryRequest, Message[]>, request: ReadRequest): Promise<ReadResult> {
      if (options.paging === 'anchor') {
        const previous = request.continuation as string | undefined;
        const anchor = previous === undefined || options.stuck ? (request.from?.id ?? null) : previous;
        const messages = await pages.load({
          kind: 'anchor',
          direction: request.direction,
          anchor,
          limit: request.limit,
        });
        const last = messages.at(-1);
        // Only an empty page ends the history: a short one may be the vendor's own cap.
        if (!last) return { messages, continuation: null };
        return { messages, continuation: options.stuck ? 'again' : last.externalId };
      }
      return readWindow(pages, request);
    },
    async find(_pages, _conversation, position: Position) {
      return list.find((m) => m.externalId === position.id) ?? null;
    },
    async close() {},
  };

  const windowOf = (t: number) => Math.floor(t / windowMs) * windowMs;
  const low = () => windowOf(options.lookback ?? lowest);

  async function readWindow(
    pages: PageLoader<MemoryRequest, Message[]>,
    request: ReadRequest,
  ): Promise<ReadResult> {
    const older = request.direction === 'older';
    const from = request.from;
    let start = request.continuation as number | undefined;
    if (start === undefined) {
      if (!from) start = older ? windowOf(highest) : low();
      else if (from.id === '') start = windowOf(older ? from.t - 1 : from.t + 1);
      else start = windowOf(from.t);
    }
    if (start < low() || start > windowOf(highest)) {
      return {
        messages: [],
        continuation: null,
        ...(older && options.lookback !== undefined ? { searchedTo: low() } : {}),
      };
    }
    let messages = await pages.load({ kind: 'window', start });
    if (from) {
      const at = messages.findIndex((m) => m.externalId === from.id);
      if (at >= 0) messages = older ? messages.slice(0, at) : messages.slice(at + 1);
      else messages = messages.filter((m) => (older ? m.sentAt < from.t : m.sentAt > from.t));
    }
    if (older) messages = [...messages].reverse();
    const next = older ? start - windowMs : start + windowMs;
    const scannedUntil: Position = { t: older ? start : next - 1, id: '' };
    return { messages, continuation: next, scannedUntil };
  }

  return source;
}
