import { vendorBadResponse } from '../../errors.js';
import type { Position } from '../../model/index.js';
import { normalizeRecords, readOlderFromMessage, type SourceAdapter, sourceAdapter } from '../adapter.js';
import type { RequestScope } from '../request-scope.js';
import {
  type PageLoader,
  PROBE_CONVERSATION,
  type ReadRequest,
  type ReadResult,
  type Source,
  type SourceCapabilities,
} from '../source.js';
import { checkExternalId, type SourceDeps } from '../vendor.js';
import { AirudderClient } from './client.js';
import type { AirudderSourceConfig } from './config.js';
import { type AirudderMessage, normalizeAirudderMessage } from './normalize.js';
import { type AirudderSigner, airudderSign } from './sign.js';

/** The vendor does not document a maximum `size`; 50 is what the emulator (and this source) allow. */
export const AIRUDDER_MAX_PAGE = 50;
/** The vendor keeps the last 24 hours of a session. */
export const AIRUDDER_RETENTION_SECONDS = 86_400;
/** `find` gives up after this many pages: far more than 24 hours of any session holds. */
const MAX_FIND_PAGES = 1_000;

export interface AirudderPageRequest {
  callId: string;
  /** Older than this message; "" for the newest. */
  lastMsgId: string;
  size: number;
}

export class AirudderSource implements Source<AirudderPageRequest, AirudderMessage[]> {
  readonly vendor = 'AIRUDDER';
  readonly name: string;
  readonly capabilities: SourceCapabilities;
  readonly #client: AirudderClient;
  readonly #adapter: SourceAdapter;

  constructor(config: AirudderSourceConfig, deps: SourceDeps, sign: AirudderSigner = airudderSign) {
    this.name = config.name;
    this.#adapter = sourceAdapter(config, deps);
    this.#client = new AirudderClient(
      config.name,
      this.#adapter.http,
      { signKey: config.signKey, sign: config.sign ?? '' },
      sign,
    );
    this.capabilities = {
      olderPaging: 'NATIVE',
      newerPaging: 'SCAN',
      vendorMaxPageSize: config.pageSize,
      filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
      // The vendor's own sample is not sorted by timestamp: a walk must never stop on a time.
      timeOrdered: false,
      resumesAtMessage: true,
      retentionSeconds: AIRUDDER_RETENTION_SECONDS,
      defaultLookbackSeconds: null,
      notes: [
        'Only the last 24 hours of a session are kept: older messages are gone, and a cursor on one of them stops working.',
        `Pages only toward older messages (by last_msg_id), at most ${config.pageSize} per call: last/before reads from the newer bound down, which a 24-hour session keeps to a few calls.`,
        "Order is the vendor's: newest first, with messages of the same second (timestamps are whole seconds) in the vendor's order; the vendor does not guarantee timestamp order.",
        'No vendor-side filters: every filter is applied by the gateway.',
      ],
    };
  }

  conversationId(externalId: string): string {
    return checkExternalId(externalId, 'call id');
  }

  pageKey(request: AirudderPageRequest): string {
    return `${request.callId}\n${request.lastMsgId}\n${request.size}`;
  }

  /** Every page but the newest (`last_msg_id` empty) is anchored at a message and reads older. */
  settled(request: AirudderPageRequest): boolean {
    return request.lastMsgId !== '';
  }

  async fetchPage(request: AirudderPageRequest, scope?: RequestScope): Promise<AirudderMessage[]> {
    const records = await this.#client.sessionMessages(
      {
        call_id: request.callId,
        last_msg_id: request.lastMsgId,
        size: request.size,
        type: 'single',
      },
      scope,
    );
    return normalizeRecords(records, this.#adapter.context(request.callId), normalizeAirudderMessage);
  }

  read(pages: PageLoader<AirudderPageRequest, AirudderMessage[]>, request: ReadRequest): Promise<ReadResult> {
    return readOlderFromMessage(request, {
      conversations: 'AIRUDDER sessions',
      newest: '',
      page: (lastMsgId, limit) => {
        const max = this.capabilities.vendorMaxPageSize;
        // Anchored, at least 2: a vendor that repeats the anchor still has room for one new message.
        const size = Math.min(Math.max(lastMsgId === '' ? 1 : 2, limit), max);
        // Only an empty answer proves the end: the vendor documents no maximum `size`, so a page
        // shorter than asked may be a cap, not the end of the session.
        return this.#page(pages, request.conversation, lastMsgId, size);
      },
    });
  }

  /**
   * One page after `lastMsgId`, without `lastMsgId` itself should the vendor repeat it. `oldest` is
   * where the next page starts; null when the vendor has nothing older (an empty answer, or one
   * holding only the anchor), which is the only proof of the end of a session.
   */
  async #page(
    pages: PageLoader<AirudderPageRequest, AirudderMessage[]>,
    callId: string,
    lastMsgId: string,
    size: number,
  ): Promise<{ messages: AirudderMessage[]; oldest: string | null }> {
    const answer = await pages.load({ callId, lastMsgId, size });
    const messages = answer.filter((message) => message.externalId !== lastMsgId);
    if (messages.length > 0 && answer.at(-1)?.externalId === lastMsgId) {
      // The next page would be asked after the same message again, forever.
      throw vendorBadResponse(
        this.name,
        'last_msg_id',
        `Source "${this.name}" answered session/messages after last_msg_id "${lastMsgId}" with that message last: the walk cannot advance.`,
      );
    }
    return { messages, oldest: messages.at(-1)?.externalId ?? null };
  }

  /**
   * Message ids are opaque (hex, sometimes with a `-N` part suffix) and timestamps are not a
   * reliable order, so the message is looked for from the newest down; a session holds 24 hours.
   */
  async find(
    pages: PageLoader<AirudderPageRequest, AirudderMessage[]>,
    conversation: string,
    position: Position,
  ): Promise<AirudderMessage | null> {
    const size = this.capabilities.vendorMaxPageSize;
    let lastMsgId = '';
    for (let page = 0; page < MAX_FIND_PAGES; page++) {
      const { messages, oldest } = await this.#page(pages, conversation, lastMsgId, size);
      const found = messages.find((message) => message.externalId === position.id);
      if (found) return found;
      if (oldest === null) return null;
      lastMsgId = oldest;
    }
    return null;
  }

  probe(scope?: RequestScope): Promise<void> {
    return this.#adapter.probe(() =>
      this.fetchPage({ callId: PROBE_CONVERSATION, lastMsgId: '', size: 1 }, scope),
    );
  }

  close(): Promise<void> {
    return this.#adapter.close();
  }
}
