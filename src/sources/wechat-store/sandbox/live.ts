/** The WeChat Shop sandbox's live room: records with the generated rooms' shape, sent now. */
import { LiveFeed } from '../../../sandbox/live.js';
import { generateWechatStoreRoom, type WechatStoreWireRecord } from './data.js';

export function wechatStoreLiveFeed(): LiveFeed<WechatStoreWireRecord> {
  return new LiveFeed<WechatStoreWireRecord>({
    make(index, now) {
      const [record] = generateWechatStoreRoom({
        roomId: 'sandbox-live',
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
