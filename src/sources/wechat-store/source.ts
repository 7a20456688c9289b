import type { Position } from '../../model/index.js';
import { normalizeRecords, readOlderFromMessage, type SourceAdapter, sourceAdapter } from '../adapter.js';
import type { RequestScope } from '../request-scope.js';
import {
  type ChangeFeed,
  type PageLoader,
  PROBE_CONVERSATION,
  type ReadRequest,
  type ReadResult,
  type Source,
  type SourceCapabilities,
} from '../source.js';
import { checkExternalId, type SourceDeps } from '../vendor.js';
import { WechatStoreClient } from './client.js';
import type { WechatStoreSourceConfig } from './config.js';
import { wechatStoreFeed } from './feed.js';
import { normalizeWechatStoreMessage, type WechatStoreMessage } from './normalize.js';
import { NEWEST_MSG_ID } from './wire.js';

/**
 * The largest `limit` this source sends. Public clients use 30; the vendor's own cap is not
 * documented, and a vendor serving fewer than asked costs calls, not messages.
 */
export const WECHAT_STORE_MAX_PAGE = 50;

export interface WechatStorePageRequest {
  roomId: string;
  /** Older than this message; `NEWEST_MSG_ID` for the newest. */
  msgId: string;
  limit: number;
}

export class WechatStoreSource implements Source<WechatStorePageRequest, WechatStoreMessage[]> {
  readonly vendor = 'WECHAT_STORE';
  readonly name: string;
  readonly capabilities: SourceCapabilities;
  readonly #client: WechatStoreClient;
  readonly #adapter: SourceAdapter;
  /** `get_sync_msg`: the shop's rooms changed since a sync id. */
  readonly feed: ChangeFeed;

  constructor(config: WechatStoreSourceConfig, deps: SourceDeps) {
    this.name = config.name;
    this.#adapter = sourceAdapter(config, deps);
    this.#client = new WechatStoreClient(config.name, this.#adapter.http, config);
    this.feed = wechatStoreFeed(config.name, this.#client, (roomId) => this.conversationId(roomId));
    this.capabilities = {
      olderPaging: 'NATIVE',
      newerPaging: 'SCAN',
      vendorMaxPageSize: config.pageSize,
      filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
      timeOrdered: true,
      resumesAtMessage: true,
      retentionSeconds: null,
      defaultLookbackSeconds: null,
      notes: [
        'Pages only toward older messages (by msg_id): last/before reads from the newer bound down, so it costs more vendor calls the further it is from that bound.',
        'No vendor-side filters: every filter is applied by the gateway.',
        'The vendor may serve fewer messages than asked: only an empty page ends a room.',
      ],
    };
  }

  conversationId(externalId: string): string {
    return checkExternalId(externalId, 'room id');
  }

  pageKey(request: WechatStorePageRequest): string {
    return `${request.roomId}\n${request.msgId}\n${request.limit}`;
  }

  /** Every page but the newest is anchored at a message and reads toward older ones. */
  settled(request: WechatStorePageRequest): boolean {
    return request.msgId !== NEWEST_MSG_ID;
  }

  async fetchPage(request: WechatStorePageRequest, scope?: RequestScope): Promise<WechatStoreMessage[]> {
    const records = await this.#client.getRoomMsg(
      {
        room_id: request.roomId,
        msg_id: request.msgId,
        op: 0,
        limit: request.limit,
      },
      scope,
    );
    return normalizeRecords(records, this.#adapter.context(request.roomId), normalizeWechatStoreMessage);
  }

  read(
    pages: PageLoader<WechatStorePageRequest, WechatStoreMessage[]>,
    request: ReadRequest,
  ): Promise<ReadResult> {
    return readOlderFromMessage(request, {
      conversations: 'WeChat Shop rooms',
      newest: NEWEST_MSG_ID,
      page: async (msgId, limit) => {
        const roomId = request.conversation;
        const messages = await pages.load({
          roomId,
          msgId,
          limit: Math.min(limit, this.capabilities.vendorMaxPageSize),
        });
        // Only an empty page says the room has nothing older: the vendor may serve fewer than
        // asked (public clients ask for 30), so a short page is not the end. An inclusive anchor's
        // last page holds the anchor alone; the engine knows that for the empty page it is.
        return { messages, oldest: messages.at(-1)?.externalId ?? null };
      },
    });
  }

  /** `msg_id`s are 64-bit numbers in send order: the message itself is the one older than id+1. */
  async find(
    pages: PageLoader<WechatStorePageRequest, WechatStoreMessage[]>,
    conversation: string,
    position: Position,
  ): Promise<WechatStoreMessage | null> {
    if (!/^\d{1,20}$/.test(position.id)) return null;
    const msgId = (BigInt(position.id) + 1n).toString();
    const [message] = await pages.load({ roomId: conversation, msgId, limit: 1 });
    return message?.externalId === position.id ? message : null;
  }

  probe(scope?: RequestScope): Promise<void> {
    return this.#adapter.probe(() =>
      this.fetchPage({ roomId: PROBE_CONVERSATION, msgId: NEWEST_MSG_ID, limit: 1 }, scope),
    );
  }

  close(): Promise<void> {
    return this.#adapter.close();
  }
}
