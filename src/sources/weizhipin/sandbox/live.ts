/** The weizhipin sandbox's live chat: text messages with the sample's field set, sent now. */
import { LiveFeed } from '../../../sandbox/live.js';
import { Random } from '../../../sandbox/random.js';
import { WEIZHIPIN_LIVE_CHAT, type WeizhipinWireRecord, weizhipinMessageId } from './data.js';

const LINES = [
  '你好，请问这个岗位还在招吗？',
  '我想了解一下薪资范围',
  '好的，谢谢',
  'Is remote work possible?',
];

export function weizhipinLiveFeed(): LiveFeed<WeizhipinWireRecord> {
  return new LiveFeed<WeizhipinWireRecord>({
    externalId: WEIZHIPIN_LIVE_CHAT,
    make(index, now) {
      const random = new Random(index + 1);
      return {
        message_id: weizhipinMessageId(random),
        root_id: '',
        parent_id: '',
        msg_type: 'text',
        create_time: String(now),
        update_time: String(now),
        deleted: false,
        updated: false,
        chat_id: null,
        sender: {
          id: 'ou_sandbox-live',
          id_type: 'open_id',
          sender_type: 'user',
          tenant_key: '327ab1e8160c0b783kUZ',
        },
        body: { content: JSON.stringify({ text: LINES[index % LINES.length] }) },
        mentions: [],
        upper_message_id: null,
      };
    },
  });
}
