/**
 * WeChat Shop customer-service back office: one function per endpoint, credentials from the
 * source's configuration, answers validated and errors typed.
 */
import { envelopeError, vendorBadResponse, vendorTooLarge } from '../../errors.js';
import { parseWire } from '../../normalize/wire.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { ENVELOPE_CODES } from './errors.js';
import { readGetRoomMsgResponse, readRoomMsg } from './fast-wire.js';
import {
  SYNC_LIST_FIELDS,
  type WechatStoreGetRoomMsgRequest,
  type WechatStoreGetSyncMsgRequest,
  WechatStoreGetSyncMsgResponse,
  type WechatStoreRoomMsg,
  WechatStoreSyncRow,
} from './wire.js';

export interface WechatStoreCredentials {
  /** The back-office session's `Cookie` header. */
  cookie: string;
  /** Copied by the back office from its `biz_magic` cookie into a header of the same name. */
  bizMagic: string;
}

export interface WechatStoreRecord {
  record: WechatStoreRoomMsg;
  /** The record exactly as received. */
  raw: unknown;
}

/** One row of `get_sync_msg` as far as it could be read (see `WechatStoreSyncRow`). */
export interface WechatStoreSyncEntry {
  /** The row's sync id; null when it has none that can be read. */
  id: string | null;
  /** The row's room; null when it names none that can be read. */
  roomId: string | null;
}

export class WechatStoreClient {
  readonly #source: string;
  readonly #http: HttpClient;
  readonly #credentials: WechatStoreCredentials;

  constructor(source: string, http: HttpClient, credentials: WechatStoreCredentials) {
    this.#source = source;
    this.#http = http;
    this.#credentials = credentials;
  }

  /**
   * The messages of one room older than `msg_id`, newest first.
   * Vendor: `../shared/vendors/wechat-store.md`, `POST /shop/commkf/msg?action=get_room_msg`.
   */
  async getRoomMsg(
    request: WechatStoreGetRoomMsgRequest,
    scope?: RequestScope,
  ): Promise<WechatStoreRecord[]> {
    const body = await this.#post('get_room_msg', request, scope);
    const response = readGetRoomMsgResponse(body, this.#source);
    this.#checkRet(response.base_resp.ret, 'get_room_msg');
    const list = response.list ?? [];
    // More than was asked for is not a page: refuse it before reading each record.
    if (list.length > request.limit) {
      throw vendorTooLarge(
        this.#source,
        `${list.length} records to get_room_msg when ${request.limit} were asked for`,
      );
    }
    return list.map((raw, index) => ({
      record: readRoomMsg(raw, this.#source, `get_room_msg record ${index}`),
      raw,
    }));
  }

  /**
   * The rows of every room after `start_sync_id`, in sync-id order: a shop-wide change feed.
   * Vendor: `../shared/vendors/wechat-store.md` ("Notes gathered from public material"),
   * `POST /shop/commkf/msg?action=get_sync_msg` with `{start_sync_id, num, include_sys_msg}`. The
   * answer's shape is not documented: see `WechatStoreGetSyncMsgResponse` for how it is read. An
   * answer with none of the list names is refused rather than read as "nothing new", which would
   * leave every room waiting on a feed that cannot be read.
   */
  async getSyncMsg(
    request: WechatStoreGetSyncMsgRequest,
    scope?: RequestScope,
  ): Promise<WechatStoreSyncEntry[]> {
    const body = await this.#post('get_sync_msg', request, scope);
    const response = parseWire(WechatStoreGetSyncMsgResponse, body, this.#source, 'get_sync_msg');
    this.#checkRet(response.base_resp.ret, 'get_sync_msg');
    const field = SYNC_LIST_FIELDS.find((name) => Object.hasOwn(response, name));
    if (field === undefined) {
      throw vendorBadResponse(
        this.#source,
        SYNC_LIST_FIELDS.join('|'),
        `Source "${this.#source}" answered get_sync_msg without a list of rows.`,
      );
    }
    const list = response[field] ?? [];
    if (list.length > request.num) {
      throw vendorTooLarge(
        this.#source,
        `${list.length} rows to get_sync_msg when ${request.num} were asked for`,
      );
    }
    return list.map((raw) => {
      const row = WechatStoreSyncRow.safeParse(raw);
      return { id: row.data?.id ?? null, roomId: row.data?.room_id ?? null };
    });
  }

  #post(action: string, body: object, scope: RequestScope | undefined): Promise<unknown> {
    return this.#http.json(
      {
        method: 'POST',
        path: '/shop/commkf/msg',
        query: { action },
        headers: { cookie: this.#credentials.cookie, biz_magic: this.#credentials.bizMagic },
        body,
      },
      scope,
    );
  }

  #checkRet(ret: number, action: string): void {
    if (ret !== 0) {
      throw envelopeError(
        ENVELOPE_CODES,
        this.#source,
        ret,
        `Source "${this.#source}" answered ${action} with ret ${ret}.`,
      );
    }
  }
}
