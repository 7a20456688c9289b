/** The myscrm sandbox's live chat: text records with the sample's field set, sent now. */
import { LiveFeed } from '../../../sandbox/live.js';
import { Random } from '../../../sandbox/random.js';
import { MYSCRM_EMPLOYEES, type MyscrmWireRecord } from './data.js';

// The vendor tells employees from external contacts by its own list, not by the id's form.
const CUSTOMER = 'wmD2JCDwAAliveSandboxCustomer001';
const EMPLOYEE = MYSCRM_EMPLOYEES[1] as string;
const LINES = ['您好，请问有什么需要咨询的', '我想了解一下这个楼盘', '好的，稍后发资料给您', '谢谢'];

export function myscrmLiveFeed(): LiveFeed<MyscrmWireRecord> {
  return new LiveFeed<MyscrmWireRecord>({
    make(index, now) {
      const hex = new Random(index + 1).hex(32);
      const sender = index % 2 === 0 ? CUSTOMER : EMPLOYEE;
      return {
        chat_record_id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        qw_chat_record_id: `${hex.slice(0, 20)}_${now}_external`,
        action: 'send',
        sender_id: sender,
        receiver_ids: [sender === CUSTOMER ? EMPLOYEE : CUSTOMER],
        send_time: now,
        type: 'text',
        hit_keyword_rules: [],
        is_recall: false,
        recall_time: 0,
        text: { content: LINES[index % LINES.length] },
      } as MyscrmWireRecord;
    },
  });
}
