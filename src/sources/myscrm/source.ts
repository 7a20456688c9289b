import type { ContentKind, Message, MessageFilter, Position, SenderRole } from '../../model/index.js';
import { normalizeRecords, type SourceAdapter, sourceAdapter } from '../adapter.js';
import type { RequestScope } from '../request-scope.js';
import {
  type ConversationListPage,
  type ListMember,
  type PageLoader,
  PROBE_CONVERSATION,
  type ReadRequest,
  type ReadResult,
  SETTLED_AFTER_MS,
  type Source,
  type SourceCapabilities,
} from '../source.js';
import { checkExternalId, type SourceDeps } from '../vendor.js';
import { MyscrmClient } from './client.js';
import type { MyscrmSourceConfig } from './config.js';
import { type MyscrmMessage, normalizeMyscrmMessage } from './normalize.js';
import { type KnownRole, MyscrmRoles, roleOfSenderType } from './roles.js';
import {
  MEMBER_TYPE_EMPLOYEE,
  MEMBER_TYPE_EXTERNAL,
  MYSCRM_KIND_BY_TYPE,
  type MyscrmSenderType,
  SENDER_TYPE_EMPLOYEE,
  SENDER_TYPE_EXTERNAL,
} from './wire.js';

/** The vendor does not document a page-size limit; the emulator (and this source) allow 100. */
export const MYSCRM_MAX_PAGE = 100;
/** Pages `find` reads through one millisecond's records before giving up. */
const FIND_MAX_PAGES = 20;
/** Pages of each `sender_type` read over a page's span to learn its senders' roles. */
const LEARN_SPAN_PAGES = 2;
/** Pages of each `sender_type` read at one record's millisecond to learn its sender's role. */
const LEARN_MAX_PAGES = 5;

/** One `chat-record/pull` call; absent parts are not sent. */
export interface MyscrmPageRequest {
  chatId: string;
  asc: boolean;
  startTime: number | null;
  endTime: number | null;
  type: string | null;
  senderType: MyscrmSenderType | null;
  keyword: string | null;
  pageSize: number;
  /** The vendor's cursor; null for the first page of a query. */
  cursor: string | null;
}

export interface MyscrmPage {
  messages: MyscrmMessage[];
  nextCursor: string | null;
}

/** How a filter is asked of the vendor, and what each page must still be checked against. */
export interface MyscrmPushdown {
  startTime: number | null;
  endTime: number | null;
  type: string | null;
  senderType: MyscrmSenderType | null;
  keyword: string | null;
  /** Checked on every page, since `sender_type` / `type` cannot always say them exactly. */
  roles: SenderRole[] | null;
  kinds: ContentKind[] | null;
}

/** The roles a myscrm message can have (see `MyscrmRoles`). */
const OCCURRING_ROLES: SenderRole[] = ['AGENT', 'CUSTOMER', 'UNKNOWN'];

/** The vendor parameters of `filter`; null when no message can match it. */
export function myscrmPushdown(filter: MessageFilter): MyscrmPushdown | null {
  let senderType: MyscrmSenderType | null = null;
  if (filter.senderRoles) {
    const roles = OCCURRING_ROLES.filter((role) => filter.senderRoles?.includes(role));
    if (roles.length === 0) return null;
    if (roles.length === 1 && roles[0] === 'AGENT') senderType = SENDER_TYPE_EMPLOYEE;
    if (roles.length === 1 && roles[0] === 'CUSTOMER') senderType = SENDER_TYPE_EXTERNAL;
  }
  let type: string | null = null;
  if (filter.kinds) {
    const kinds = filter.kinds;
    const types = Object.entries(MYSCRM_KIND_BY_TYPE)
      .filter(([, kind]) => kinds.includes(kind))
      .map(([name]) => name);
    // Any record can end up UNSUPPORTED (an undocumented type, or a block that cannot be read).
    const unsupported = kinds.includes('UNSUPPORTED');
    if (types.length === 0 && !unsupported) return null;
    if (types.length === 1 && !unsupported) type = types[0] as string;
  }
  return {
    startTime: filter.since ?? null,
    endTime: filter.until !== undefined ? filter.until - 1 : null,
    type,
    senderType,
    keyword: filter.text ?? null,
    roles: filter.senderRoles ?? null,
    kinds: filter.kinds ?? null,
  };
}

function matchesChecks(message: Message, pushdown: MyscrmPushdown): boolean {
  if (pushdown.roles && !pushdown.roles.includes(message.sender.role)) return false;
  if (pushdown.kinds && !pushdown.kinds.includes(message.kind)) return false;
  return true;
}

/** Source-private state of a walk between `read`s. */
/** How many ids of a walk's latest vendor pages are remembered to drop records repeated out of order. */
const RECENT_IDS = 512;

interface MyscrmWalkState {
  cursor: string;
  /** Still passing the records of `from`'s millisecond, up to and including `from`. */
  skipping: boolean;
  /** Records of that millisecond passed so far: shown after all if `from` is not among them. */
  held: MyscrmMessage[];
  /** Ids of that millisecond the client already had (those before `from`, and `from`). */
  had: string[];
  /**
   * Ids the latest vendor pages of this walk listed (at most `RECENT_IDS`). A cursor never lists a
   * record twice, so one of these again is the vendor repeating it out of order, possibly within
   * the same second as the records around it, where its time cannot tell it apart.
   */
  recent: string[];
}

export class MyscrmSource implements Source<MyscrmPageRequest, MyscrmPage> {
  readonly vendor = 'MYSCRM';
  readonly name: string;
  readonly capabilities: SourceCapabilities;
  readonly #config: MyscrmSourceConfig;
  readonly #client: MyscrmClient;
  readonly #adapter: SourceAdapter;
  readonly #clock: () => number;
  readonly #roles = new MyscrmRoles();

  constructor(config: MyscrmSourceConfig, deps: SourceDeps) {
    this.name = config.name;
    this.#config = config;
    this.#adapter = sourceAdapter(config, deps);
    this.#clock = this.#adapter.clock;
    this.#client = new MyscrmClient(config.name, this.#adapter.http, config.auth);
    this.capabilities = {
      olderPaging: 'NATIVE',
      newerPaging: 'NATIVE',
      vendorMaxPageSize: config.pageSize,
      filters: { timeRange: 'VENDOR', senderRoles: 'VENDOR', kinds: 'VENDOR', text: 'VENDOR' },
      timeOrdered: true,
      resumesAtMessage: false,
      retentionSeconds: null,
      defaultLookbackSeconds: null,
      notes: [
        'Pages both ways with the vendor cursor (asc=false / asc=true); resuming after a cursor narrows the time range to its millisecond.',
        'filter.text is the vendor keyword search; senderRoles map to sender_type (1 employee, 2 external contact).',
        'Sender roles are what the vendor tells through sender_type, learned per chat (a call or two the first time a chat is read); UNKNOWN when it does not say.',
        'A record whose time is sent in seconds rather than milliseconds is read as seconds.',
        'filter.kinds is sent as the vendor type only when the kinds come from a single archive type; CARD, LINK, SYSTEM and UNSUPPORTED are checked page by page.',
        'Media URLs are temporary (one hour): see expiresAt on each content.',
      ],
    };
  }

  conversationId(externalId: string): string {
    return checkExternalId(externalId, 'chat id');
  }

  pageKey(request: MyscrmPageRequest): string {
    return JSON.stringify([
      request.chatId,
      request.asc,
      request.startTime,
      request.endTime,
      request.type,
      request.senderType,
      request.keyword,
      request.pageSize,
      request.cursor,
    ]);
  }

  /**
   * A query whose time range ended a while ago, whichever way it reads; a vendor cursor of a
   * query open toward the present may page through messages that are still arriving.
   */
  settled(request: MyscrmPageRequest): boolean {
    return request.endTime !== null && request.endTime < this.#clock() - SETTLED_AFTER_MS;
  }

  async fetchPage(request: MyscrmPageRequest, scope?: RequestScope): Promise<MyscrmPage> {
    // Taken before the call: the vendor signs its URLs no earlier, so the expiry errs early.
    const fetchedAt = this.#clock();
    const page = await this.#client.pullChatRecords(
      {
        app_id: this.#config.appId,
        chat_id: request.chatId,
        start_time: request.startTime ?? undefined,
        end_time: request.endTime ?? undefined,
        type: request.type ?? undefined,
        page_size: request.pageSize,
        // The vendor's doc: "首次拉取传空" (empty on the first page).
        cursor: request.cursor ?? '',
        asc: request.asc,
        sender_type: request.senderType ?? undefined,
        keyword: request.keyword ?? undefined,
        thumb_option: this.#config.thumbOption,
      },
      scope,
    );
    // An answer to sender_type 1 or 2 holds only that role's records: the vendor's word.
    const senderRole = roleOfSenderType(request.senderType) ?? undefined;
    const ctx = { ...this.#adapter.context(request.chatId), fetchedAt, senderRole };
    return {
      messages: normalizeRecords(page.records, ctx, normalizeMyscrmMessage),
      nextCursor: page.nextCursor,
    };
  }

  async read(pages: PageLoader<MyscrmPageRequest, MyscrmPage>, request: ReadRequest): Promise<ReadResult> {
    const pushdown = myscrmPushdown(request.filter);
    if (!pushdown) return { messages: [], continuation: null };
    const asc = request.direction === 'newer';
    const { from } = request;
    let { startTime, endTime } = pushdown;
    if (from && asc) startTime = Math.max(startTime ?? from.t, from.t);
    if (from && !asc) endTime = Math.min(endTime ?? from.t, from.t);
    if (startTime !== null && endTime !== null && startTime > endTime) {
      return { messages: [], continuation: null };
    }
    const state = request.continuation as MyscrmWalkState | undefined;
    let skipping = state ? state.skipping : from !== null;
    // Pages checked here may lose messages, so the engine's "how many more" would undersize them;
    // and while passing over `from` the page holds `from` itself too.
    const checked = pushdown.roles !== null || pushdown.kinds !== null;
    const max = this.capabilities.vendorMaxPageSize;
    const wanted = Math.max(1, request.limit) + (skipping ? 1 : 0);
    const page = await pages.load({
      chatId: request.conversation,
      asc,
      startTime,
      endTime,
      type: pushdown.type,
      senderType: pushdown.senderType,
      keyword: pushdown.keyword,
      pageSize: checked ? max : Math.min(wanted, max),
      cursor: state?.cursor ?? null,
    });

    let held = state?.held ?? [];
    let had = new Set(state?.had ?? []);
    const recent = new Set(state?.recent ?? []);
    const out: MyscrmMessage[] = [];
    for (const message of page.messages) {
      if (recent.has(message.externalId)) continue;
      if (from) {
        // The client had every record beyond `from`: one here was repeated out of order.
        if (asc ? message.sentAt < from.t : message.sentAt > from.t) continue;
        if (message.sentAt === from.t) {
          if (had.has(message.externalId)) continue;
          if (skipping) {
            if (message.externalId === from.id) {
              skipping = false;
              had = new Set([...held.map((m) => m.externalId), from.id]);
              held = [];
            } else {
              held.push(message);
            }
            continue;
          }
        } else if (skipping) {
          skipping = false;
          out.push(...held);
          held = [];
        }
      }
      out.push(message);
    }
    // An empty page ends the walk whatever `next_cursor` says: a vendor that hands out a cursor
    // on its last page must not keep the walk going. A short page does not: it may be a cap.
    const more = page.nextCursor !== null && page.messages.length > 0;
    if (!more && skipping) {
      out.push(...held);
      held = [];
      skipping = false;
    }
    const known = await this.#withRoles(pages, request.conversation, out, pushdown);
    return {
      messages: known.filter((message) => matchesChecks(message, pushdown)),
      continuation: more
        ? ({
            cursor: page.nextCursor as string,
            skipping,
            held,
            had: [...had],
            recent: [...(state?.recent ?? []), ...page.messages.map((message) => message.externalId)].slice(
              -RECENT_IDS,
            ),
          } satisfies MyscrmWalkState)
        : null,
    };
  }

  /**
   * `messages` with the roles the vendor tells. Senders this chat has not shown yet are looked for
   * in answers to `sender_type=1` and then `2` over the messages' time span, narrowed like the
   * page was (type, keyword) so the answers hold these very records; a sender those few pages
   * miss (a vendor that caps its pages) is asked for at one of its records' millisecond.
   */
  async #withRoles(
    pages: PageLoader<MyscrmPageRequest, MyscrmPage>,
    chatId: string,
    messages: MyscrmMessage[],
    narrow: Pick<MyscrmPushdown, 'type' | 'keyword'>,
  ): Promise<MyscrmMessage[]> {
    const roles = this.#roles;
    for (const message of messages) {
      const { role, externalId } = message.sender;
      if (role === 'AGENT' || role === 'CUSTOMER') roles.learn(chatId, externalId, role);
    }
    /** One message of each sender whose role is not known yet. */
    const unknown = (): MyscrmMessage[] => {
      const bySender = new Map<string, MyscrmMessage>();
      for (const message of messages) {
        const id = message.sender.externalId;
        if (id !== null && !bySender.has(id) && roles.get(chatId, id) === 'UNKNOWN')
          bySender.set(id, message);
      }
      return [...bySender.values()];
    };
    /** Reads answers to `senderType` over [start, end], learning from them, until `done`. */
    const ask = async (
      senderType: 1 | 2,
      start: number,
      end: number,
      maxPages: number,
      done: (page: MyscrmPage) => boolean,
    ): Promise<void> => {
      const role = roleOfSenderType(senderType) as KnownRole;
      let cursor: string | null = null;
      for (let read = 0; read < maxPages; read++) {
        const page: MyscrmPage = await pages.load({
          chatId,
          asc: false,
          startTime: start,
          endTime: end,
          type: narrow.type,
          senderType,
          keyword: narrow.keyword,
          pageSize: this.capabilities.vendorMaxPageSize,
          cursor,
        });
        for (const message of page.messages) roles.learn(chatId, message.sender.externalId, role);
        if (done(page) || page.nextCursor === null || page.messages.length === 0) return;
        cursor = page.nextCursor;
      }
    };
    for (const senderType of [SENDER_TYPE_EMPLOYEE, SENDER_TYPE_EXTERNAL] as const) {
      const open = unknown();
      if (open.length === 0) break;
      const times = open.map((message) => message.sentAt);
      await ask(
        senderType,
        Math.min(...times),
        Math.max(...times),
        LEARN_SPAN_PAGES,
        () => unknown().length === 0,
      );
    }
    for (const message of unknown()) {
      for (const senderType of [SENDER_TYPE_EMPLOYEE, SENDER_TYPE_EXTERNAL] as const) {
        let found = false;
        await ask(senderType, message.sentAt, message.sentAt, LEARN_MAX_PAGES, (page) => {
          found = page.messages.some((m) => m.externalId === message.externalId);
          return found;
        });
        if (found) break;
      }
    }
    return messages.map((message) => {
      // What the answer itself told (sender_type) stands, even without a sender id.
      if (message.sender.role !== 'UNKNOWN') return message;
      const role = roles.get(chatId, message.sender.externalId);
      return role === 'UNKNOWN' ? message : { ...message, sender: { ...message.sender, role } };
    });
  }

  /** The records of the position's millisecond, paged through until the id turns up. */
  async find(
    pages: PageLoader<MyscrmPageRequest, MyscrmPage>,
    conversation: string,
    position: Position,
  ): Promise<MyscrmMessage | null> {
    let cursor: string | null = null;
    for (let read = 0; read < FIND_MAX_PAGES; read++) {
      const page: MyscrmPage = await pages.load({
        chatId: conversation,
        asc: false,
        startTime: position.t,
        endTime: position.t,
        type: null,
        senderType: null,
        keyword: null,
        pageSize: this.capabilities.vendorMaxPageSize,
        cursor,
      });
      const hit = page.messages.find((message) => message.externalId === position.id);
      if (hit) {
        const [known] = await this.#withRoles(pages, conversation, [hit], { type: null, keyword: null });
        return known ?? hit;
      }
      if (page.nextCursor === null || page.messages.length === 0) return null;
      cursor = page.nextCursor;
    }
    return null;
  }

  /** The group chats `member` is in, most recent first (`group-chat/list-by-member`). */
  async listConversations(
    member: ListMember,
    cursor: string | null,
    scope?: RequestScope,
  ): Promise<ConversationListPage> {
    const page = await this.#client.listChatsByMember(
      {
        app_id: this.#config.appId,
        member_id: member.id,
        member_type: member.type === 'employee' ? MEMBER_TYPE_EMPLOYEE : MEMBER_TYPE_EXTERNAL,
        cursor: cursor ?? '',
      },
      scope,
    );
    return {
      conversations: page.chats.map((chat) => ({
        externalId: chat.chat_id,
        title: chat.name ?? null,
        createdAt: chat.created_at,
        lastActivityAt: chat.last_chat_at,
        avatarUrl: chat.avatar_url ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }

  probe(scope?: RequestScope): Promise<void> {
    return this.#adapter.probe(() =>
      this.fetchPage(
        {
          chatId: PROBE_CONVERSATION,
          asc: false,
          startTime: null,
          endTime: null,
          type: null,
          senderType: null,
          keyword: null,
          pageSize: 1,
          cursor: null,
        },
        scope,
      ),
    );
  }

  close(): Promise<void> {
    return this.#adapter.close();
  }
}
