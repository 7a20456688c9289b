/**
 * The myscrm WeCom archive open API: one function per endpoint, credentials from the source's
 * configuration (see `auth.ts`), answers validated and `errcode`s typed.
 */
import { ChatgraphError, ERROR_CODES } from '../../errors.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { parseWire } from '../wire.js';
import { type MyscrmAuth, myscrmAuthHeaders } from './auth.js';
import {
  ERRCODE_AUTH_FAILED,
  MyscrmChatRecord,
  MyscrmChatRecordPullResponse,
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
    const response = parseWire(MyscrmChatRecordPullResponse, body, this.#source, 'chat-record/pull');
    const { errcode } = response;
    if (errcode === ERRCODE_AUTH_FAILED) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_AUTH_FAILED,
        `The vendor rejected the credentials of source "${this.#source}" (errcode ${errcode}).`,
        { source: this.#source, vendorCode: errcode },
      );
    }
    if (errcode !== 0) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_ERROR,
        `Source "${this.#source}" answered chat-record/pull with errcode ${errcode}.`,
        { source: this.#source, vendorCode: errcode },
      );
    }
    const list = response.list ?? [];
    // More than `page_size` is not an answer to this query, and reading it all costs memory that
    // other sources share: refused before a single record is parsed.
    if (list.length > query.page_size) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_BAD_RESPONSE,
        `Source "${this.#source}" sent ${list.length} chat-record/pull records when ${query.page_size} were asked for.`,
        { source: this.#source, field: 'list' },
      );
    }
    return {
      records: list.map((raw, index) => ({
        record: parseWire(MyscrmChatRecord, raw, this.#source, `chat-record/pull record ${index}`),
        raw,
      })),
      nextCursor: response.next_cursor ? response.next_cursor : null,
    };
  }
}
