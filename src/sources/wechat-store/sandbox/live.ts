/** The WeChat Shop sandbox's live room: records with the generated rooms' shape, sent now. */
import { LIVE_CONVERSATION, LiveFeed } from '../../../sandbox/live.js';
import { generateWechatStoreRoom, type WechatStoreWireRecord } from './data.js';

/** A room that keeps receiving messages: the sandbox's `sandbox-live`, or another for tests. */
export function wechatStoreLiveFeed(roomId = LIVE_CONVERSATION): LiveFeed<WechatStoreWireRecord> {
  return new LiveFeed<WechatStoreWireRecord>({
    externalId: roomId,
    make(index, now) {
      const [record] = generateWechatStoreRoom({
        roomId,
        seed: index + 1,
        count: 1,
        start: now,
      });
      // Ids grow with time like the vendor's, and stay apart within one millisecond.
      const msgId = String(4390000000000000000n + BigInt(now) * 1000n + BigInt(index % 1000));
      return {
        ...(record as WechatStoreWireRecord),
        id: String(index + 1),
        msg_id: msgId,
        imunion_msg_id: `mmec-commkf-${msgId}`,
        client_ms: String(now),
        create_time: String(Math.floor(now / 1000)),
        create_time_ms: String(now),
        is_revoked: 0,
      };
    },
  });
}
