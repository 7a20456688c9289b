/**
 * WeChat Shop customer-service back office: one function per endpoint, credentials from the
 * source's configuration, answers validated and errors typed.
 */
import { envelopeError, vendorTooLarge } from '../../errors.js';
import { parseWire } from '../../normalize/wire.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { ENVELOPE_CODES } from './errors.js';
import {
  type WechatStoreGetRoomMsgRequest,
  WechatStoreGetRoomMsgResponse,
  WechatStoreRoomMsg,
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
    const body = await this.#http.json(
      {
        method: 'POST',
        path: '/shop/commkf/msg',
        query: { action: 'get_room_msg' },
        headers: { cookie: this.#credentials.cookie, biz_magic: this.#credentials.bizMagic },
        body: request,
      },
      scope,
    );
    const response = parseWire(WechatStoreGetRoomMsgResponse, body, this.#source, 'get_room_msg');
    const { ret } = response.base_resp;
    if (ret !== 0) {
      throw envelopeError(
        ENVELOPE_CODES,
        this.#source,
        ret,
        `Source "${this.#source}" answered get_room_msg with ret ${ret}.`,
      );
    }
    const list = response.list ?? [];
    // More than was asked for is not a page: refuse it before reading each record.
    if (list.length > request.limit) {
      throw vendorTooLarge(
        this.#source,
        `${list.length} records to get_room_msg when ${request.limit} were asked for`,
      );
    }
    return list.map((raw, index) => ({
      record: parseWire(WechatStoreRoomMsg, raw, this.#source, `get_room_msg record ${index}`),
      raw,
    }));
  }
}
