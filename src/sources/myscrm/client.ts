/**
 * The myscrm WeCom archive open API: one function per endpoint, credentials from the source's
 * configuration (see `auth.ts`), answers validated and `errcode`s typed.
 */
import { envelopeError, vendorBadResponse } from '../../errors.js';
import { parseWire } from '../../normalize/wire.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { type MyscrmAuth, myscrmAuthHeaders } from './auth.js';
import { ENVELOPE_CODES } from './errors.js';
import { readChatRecord, readPullResponse } from './fast-wire.js';
import {
  type MyscrmChatListQuery,
  MyscrmChatListResponse,
  type MyscrmChatRecord,
  MyscrmListedChat,
  type MyscrmPullQuery,
} from './wire.js';

export interface MyscrmRecord {
  record: MyscrmChatRecord;
  /** The record exactly as received. */
  raw: unknown;
}

export interface MyscrmPullPage {
  records: MyscrmRecord[];
  /** The vendor's opaque cursor of the next page; null when it sent none. */
  nextCursor: string | null;
}

export interface MyscrmChatListPage {
  chats: MyscrmListedChat[];
  /** The vendor's opaque cursor of the next page; null when it sent none. */
  nextCursor: string | null;
}

/** Most chats one listing page may carry: the vendor documents no page size, so a generous bound. */
export const MYSCRM_LIST_MAX_PAGE = 1_000;

export class MyscrmClient {
  readonly #source: string;
  readonly #http: HttpClient;
  readonly #auth: MyscrmAuth;

  constructor(source: string, http: HttpClient, auth: MyscrmAuth) {
    this.#source = source;
    this.#http = http;
    this.#auth = auth;
  }

  /**
   * One page of a chat's records, newest first unless `asc`.
   * Vendor: `../shared/vendors/myscrm.md`, `GET /bff-nbd-qw-openapi/v1/chat-record/pull`
   * (拉取指定聊天的聊天记录).
   */
  async pullChatRecords(query: MyscrmPullQuery, scope?: RequestScope): Promise<MyscrmPullPage> {
    const body = await this.#http.json(
      {
        method: 'GET',
        path: '/bff-nbd-qw-openapi/v1/chat-record/pull',
        query: { ...query },
        headers: myscrmAuthHeaders(this.#auth),
      },
      scope,
    );
    const response = readPullResponse(body, this.#source);
    this.#check(response.errcode, 'chat-record/pull');
    const list = response.list ?? [];
    // More than `page_size` is not an answer to this query, and reading it all costs memory that
    // other sources share: refused before a single record is parsed.
    if (list.length > query.page_size) {
      throw vendorBadResponse(
        this.#source,
        'list',
        `Source "${this.#source}" sent ${list.length} chat-record/pull records when ${query.page_size} were asked for.`,
      );
    }
    return {
      records: list.map((raw, index) => ({
        record: readChatRecord(raw, this.#source, `chat-record/pull record ${index}`),
        raw,
      })),
      nextCursor: response.next_cursor ? response.next_cursor : null,
    };
  }

  /**
   * One page of the chats a member (employee or external contact) is in, most recent first.
   * Vendor: `../shared/vendors/myscrm.md` ("Listing chats", public material),
   * `GET /bff-nbd-qw-openapi/v1/group-chat/list-by-member`.
   */
  async listChatsByMember(query: MyscrmChatListQuery, scope?: RequestScope): Promise<MyscrmChatListPage> {
    const body = await this.#http.json(
      {
        method: 'GET',
        path: '/bff-nbd-qw-openapi/v1/group-chat/list-by-member',
        query: { ...query },
        headers: myscrmAuthHeaders(this.#auth),
      },
      scope,
    );
    const what = 'group-chat/list-by-member';
    const response = parseWire(MyscrmChatListResponse, body, this.#source, what);
    this.#check(response.errcode, what);
    const list = response.list ?? [];
    if (list.length > MYSCRM_LIST_MAX_PAGE) {
      throw vendorBadResponse(
        this.#source,
        'list',
        `Source "${this.#source}" sent ${list.length} ${what} chats in one page.`,
      );
    }
    return {
      chats: list.map((raw, index) =>
        parseWire(MyscrmListedChat, raw, this.#source, `${what} chat ${index}`),
      ),
      nextCursor: response.next_cursor ? response.next_cursor : null,
    };
  }

  /** The same `errcode`s mean the same on every endpoint of this open API. */
  #check(errcode: number, what: string): void {
    if (errcode !== 0) {
      throw envelopeError(
        ENVELOPE_CODES,
        this.#source,
        errcode,
        `Source "${this.#source}" answered ${what} with errcode ${errcode}.`,
      );
    }
  }
}
