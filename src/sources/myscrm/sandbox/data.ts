/**
 * The myscrm sandbox's chats: the vendor's sample record verbatim as chat `sandbox-sample`, and a
 * generated group chat whose records have the sample's field set and encodings but, like real
 * records, only the content block named by their `type`. Records are kept oldest first, ties (the
 * same `send_time`) in the vendor's own order; the emulator serves `asc=false` as the exact reverse.
 */
import { readFileSync } from 'node:fs';
import { sandboxStart } from '../../../sandbox/dates.js';
import { SANDBOX_MEDIA } from '../../../sandbox/media.js';
import { Random } from '../../../sandbox/random.js';

export type MyscrmWireRecord = Record<string, unknown> & {
  chat_record_id: string;
  send_time: number;
  type: string;
  sender_id: string;
};

export const MYSCRM_SAMPLE_CHAT = 'sandbox-sample';
export const MYSCRM_LONG_CHAT = 'sandbox-long';
export const MYSCRM_EMPTY_CHAT = 'sandbox-empty';

/** The one record of the vendor's sample response, exactly as received. */
export function myscrmSampleRecords(): MyscrmWireRecord[] {
  const url = new URL('./myscrm.chat-record-pull.sample.json', import.meta.url);
  const sample = JSON.parse(readFileSync(url, 'utf8')) as { list: MyscrmWireRecord[] };
  return sample.list;
}

/** Keyword rules of the sandbox's compliance setup; hits are computed from the text. */
export const MYSCRM_SANDBOX_RULES = [
  { rule_id: '4dddedd4-c5e7-436f-be4f-d58adc283a3b', rule_name: '过度承诺', keywords: ['保证', '一定'] },
  { rule_id: '7b1f0c2a-93d4-4e55-8a61-2c0f9e8d7a10', rule_name: '返利诱导', keywords: ['返现', '回扣'] },
  {
    rule_id: 'c2e8a9f4-1b3d-4c6e-9f70-5a4b3c2d1e0f',
    rule_name: '联系方式外泄',
    keywords: ['微信号', '手机号'],
  },
] as const;

/**
 * Employees as the platform names them: ids of the very form the sample's employee has (its
 * greeting is the sample's record), `wo…` and `wm…` alike, so an id's form tells nothing of its
 * role; only the vendor's `sender_type` does (`myscrmSenderType`).
 */
export const MYSCRM_EMPLOYEES: readonly string[] = [
  'woD2JCDwAAmWSuw2xAxWsV1Nmihz5Kdx',
  'woD2JCDwAAp3KxqUe0Vh7sYtLm9RbQ2c',
  'wmD2JCDwAAZr8nGf4JwB1yTcXk6HdM5e',
  'woD2JCDwAAu7QeV2sN9oKcR4tYbL1xZw',
];
const EMPLOYEES = MYSCRM_EMPLOYEES;
const EMPLOYEE_SET = new Set(MYSCRM_EMPLOYEES);

/** The vendor's own truth of who is who: 1 employee, 2 external contact (its `sender_type`). */
export function myscrmSenderType(senderId: string): 1 | 2 {
  return EMPLOYEE_SET.has(senderId) ? 1 : 2;
}
const EMPLOYEE_LINES = [
  '您好,请问您有什么需要咨询的',
  '这个户型我们保证是南北通透的',
  '首付一定能在下个月前办下来',
  '我把资料发您,您看一下',
  '周末可以安排看房',
  '成交后有返现活动,具体以合同为准',
  '您方便留个手机号吗?我让同事联系您',
  'Our Refund policy is in the contract.',
  '好的,收到',
  '今天的优惠截止到晚上八点',
];
const CUSTOMER_LINES = [
  '这个楼盘还有三房吗?',
  '首付大概多少?',
  '可以加你微信号吗',
  '定金能退吗? refund?',
  '周六上午有空',
  '谢谢',
  'REFUND is possible if the loan fails?',
  '车位怎么卖',
  '我再考虑一下',
  '好的',
];
const UNDOCUMENTED_TYPES = [
  'revoke',
  'chatrecord',
  'todo',
  'vote',
  'collect',
  'meeting',
  'markdown',
  'news',
  'calendar',
  'mixed',
  'meeting_voice_call',
  'voip_doc_share',
  'voiptext',
  'qydiskfile',
] as const;
// Temporary links valid one hour, served by the emulator (src/sandbox/media.ts).
const OSS = `${SANDBOX_MEDIA}/oss/myscrm/qw`;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[random.int(0, 61)];
  return out;
}

function uuid(random: Random): string {
  const hex = random.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Which block a record carries, by type. */
function block(
  random: Random,
  type: string,
  id: string,
  chatId: string,
  time: number,
  sender: string,
  externals: string[],
): unknown {
  const media = (extension: string) => `${OSS}/${chatId}/${id}.${extension}`;
  switch (type) {
    case 'image':
      return { oss_url: media('jpg'), thumb_url: `${media('jpg')}?x-oss-process=image/resize,w_106` };
    case 'video':
      return { oss_url: media('mp4'), length: random.int(3, 180) };
    case 'voice':
      return { oss_url: media('amr'), length: random.int(1, 60) };
    case 'file':
      return {
        oss_url: media('pdf'),
        filename: random.pick(['户型图.pdf', '认购协议.pdf', 'Refund-Terms.pdf', '价格表.xlsx']),
        size: random.int(20_000, 8_000_000),
      };
    case 'emotion': {
      const gif = random.chance(0.5);
      return {
        type: gif ? 1 : 2,
        width: 240,
        height: 240,
        oss_url: media(gif ? 'gif' : 'png'),
        size: random.int(5_000, 400_000),
        thumb_url: `${media(gif ? 'gif' : 'png')}?x-oss-process=image/resize,w_106`,
      };
    }
    case 'link':
      return random.pick([
        {
          title: '购房指南 | 首付、贷款一次说清',
          description: '最新政策解读',
          url: 'https://example.invalid/guide',
          image_url: 'https://example.invalid/guide.jpg',
        },
        {
          title: 'Refund policy 退款说明',
          description: '定金与意向金的区别',
          url: 'https://example.invalid/refund',
          image_url: 'https://example.invalid/refund.jpg',
        },
      ]);
    case 'docmsg':
      return {
        title: random.pick(['看房登记表', '客户需求清单']),
        link_url: `https://doc.weixin.qq.com/sheet/sandbox-${id.slice(0, 8)}`,
        doc_creator: random.pick(EMPLOYEES),
      };
    case 'location':
      return {
        longitude: 113.9345 + random.int(0, 999) / 10_000,
        latitude: 22.5431 + random.int(0, 999) / 10_000,
        address: '广东省深圳市南山区科技园',
        title: random.pick(['售楼处', '样板间', '地铁站 B 口']),
        zoom: 15,
      };
    case 'miniprogram':
      return {
        title: '在线选房',
        description: '3D 看房,实时房源',
        username: 'gh_5c0d3e7f9a1b@app',
        miniprogram_name: '明源云客',
      };
    case 'redpacket':
      return {
        type: random.int(1, 3),
        wish: random.pick(['恭喜发财,大吉大利', '感谢您的信任']),
        count: random.int(1, 5),
        total_amount: random.int(100, 20_000),
      };
    case 'card':
      return { corp_name: '明源云', user_id: random.pick(EMPLOYEES) };
    case 'agree':
      return { user_id: sender, agree_time: time };
    case 'disagree':
      return { user_id: sender, disagree_time: time };
    case 'revoke':
      return { pre_msgid: `${random.hex(20)}_${time - 5_000}_external` };
    case 'chatrecord':
      return {
        title: '群聊的聊天记录',
        item: [
          { type: 'ChatRecordText', msgtime: Math.floor(time / 1000) - 60, content: '{"content":"你好"}' },
        ],
      };
    case 'todo':
      return { title: '回访客户', content: '周五前确认看房时间' };
    case 'vote':
      return { votetitle: '看房时间', voteitem: ['周六', '周日'], votetype: 101, voteid: random.hex(16) };
    case 'collect':
      return { room_name: '看房群', creator: random.pick(EMPLOYEES), title: '意向登记', details: [] };
    case 'meeting':
      return { topic: '线上讲盘', starttime: Math.floor(time / 1000) + 3_600, meetingid: random.int(1, 1e9) };
    case 'markdown':
      return { info: { content: '**本周特价房源**\n> 仅限 3 套' } };
    case 'news':
      return { info: { item: [{ title: '楼市快讯', url: 'https://example.invalid/news' }] } };
    case 'calendar':
      return { title: '看房', creatorname: '张伟', attendeename: externals.slice(0, 1), place: '售楼处' };
    case 'mixed':
      return {
        item: [
          { type: 'text', content: '{"content":"看这个"}' },
          { type: 'image', content: '{}' },
        ],
      };
    case 'meeting_voice_call':
      return { endtime: Math.floor(time / 1000) + 600, sdkfileid: random.hex(24) };
    case 'voip_doc_share':
      return { filename: '讲盘.pptx', md5sum: random.hex(32), filesize: 2_048_000 };
    case 'voiptext':
      return { callduration: random.int(10, 900), invitetype: 1 };
    case 'qydiskfile':
      return { info: { filename: '合同模板.docx' } };
    default:
      return {};
  }
}

function pickType(random: Random): string {
  const roll = random.next();
  const table: Array<[number, string]> = [
    [0.52, 'text'],
    [0.57, 'image'],
    [0.59, 'video'],
    [0.62, 'voice'],
    [0.645, 'file'],
    [0.68, 'emotion'],
    [0.71, 'link'],
    [0.73, 'docmsg'],
    [0.745, 'location'],
    [0.765, 'miniprogram'],
    [0.78, 'redpacket'],
    [0.795, 'card'],
    [0.805, 'agree'],
    [0.81, 'disagree'],
  ];
  for (const [bound, type] of table) if (roll < bound) return type;
  return random.pick(UNDOCUMENTED_TYPES);
}

export interface GeneratedChatOptions {
  chatId: string;
  seed: number;
  count: number;
  /** Epoch ms of the first record. */
  start: number;
}

/**
 * A group chat of employees and external contacts: bursts of records seconds to minutes apart,
 * quiet hours between them, a share of records in the very same millisecond (forwarded batches),
 * some recalled, text checked against the keyword rules. Oldest first.
 */
export function generateMyscrmChat(options: GeneratedChatOptions): MyscrmWireRecord[] {
  const random = new Random(options.seed);
  const externals = [
    `woD2JCDwAA${base62(random, 22)}`,
    `woD2JCDwAA${base62(random, 22)}`,
    `wmD2JCDwAA${base62(random, 22)}`,
    `wmD2JCDwAA${base62(random, 22)}`,
  ];
  const members = [...EMPLOYEES, ...externals];
  const records: MyscrmWireRecord[] = [];
  let time = options.start;
  for (let index = 0; index < options.count; index++) {
    const tie = index > 0 && random.chance(0.08);
    if (!tie) {
      time += random.chance(0.04) ? random.int(2, 20) * 3_600_000 : random.int(1, 600_000);
    }
    const fromEmployee = random.chance(0.5);
    const sender = random.pick(fromEmployee ? EMPLOYEES : externals);
    const type = pickType(random);
    const id = uuid(random);
    const record: MyscrmWireRecord = {
      chat_record_id: id,
      qw_chat_record_id: `${String(random.int(1e9, 9e9))}${String(random.int(1e9, 9e9))}_${time + random.int(0, 4_000)}_external`,
      action: 'send',
      sender_id: sender,
      receiver_ids: members.filter((member) => member !== sender),
      send_time: time,
      type,
      hit_keyword_rules: [],
      is_recall: false,
      recall_time: 0,
    };
    if (type === 'text') {
      const content = random.pick(fromEmployee ? EMPLOYEE_LINES : CUSTOMER_LINES);
      record.text = { content };
      record.hit_keyword_rules = MYSCRM_SANDBOX_RULES.flatMap((rule) => {
        const keywords = rule.keywords.filter((keyword) => content.includes(keyword));
        return keywords.length > 0 ? [{ ...rule, keywords }] : [];
      });
    } else {
      record[type] = block(random, type, id, options.chatId, time, sender, externals);
    }
    if (type !== 'agree' && type !== 'disagree' && random.chance(0.03)) {
      record.is_recall = true;
      record.recall_time = time + random.int(1_000, 120_000);
    }
    records.push(record);
  }
  return records;
}

/** How the vendor keeps and shows times, where its document leaves it open (see `./quirks.ts`). */
export interface MyscrmTimeQuirks {
  /** Records kept to the second and shown in seconds: none, every third, or all. */
  seconds: 'off' | 'some' | 'all';
  /** Times kept to this many ms (0: to the ms), so that many records share one. */
  ties: number;
}

/**
 * A chat as a vendor with these time quirks holds it: times truncated where it keeps less than
 * milliseconds, listed oldest first by what it keeps (ties in the given order); `inSeconds` are the
 * records whose times it shows in seconds.
 */
export function withTimeQuirks(
  records: MyscrmWireRecord[],
  quirks: MyscrmTimeQuirks,
): { records: MyscrmWireRecord[]; inSeconds: Set<string> } {
  const inSeconds = new Set<string>();
  const truncate = (time: number, unit: number) => (unit > 1 ? Math.floor(time / unit) * unit : time);
  const out = records.map((record, index) => {
    const seconds = quirks.seconds === 'all' || (quirks.seconds === 'some' && index % 3 === 0);
    if (seconds) inSeconds.add(record.chat_record_id);
    const unit = Math.max(quirks.ties, seconds ? 1_000 : 1);
    if (unit === 1) return record;
    const recall = typeof record.recall_time === 'number' ? record.recall_time : 0;
    return {
      ...record,
      send_time: truncate(record.send_time, unit),
      recall_time: recall > 0 ? truncate(recall, seconds ? 1_000 : 1) : recall,
    };
  });
  // Stable: records the truncation made equal keep their order.
  return { records: out.sort((a, b) => a.send_time - b.send_time), inSeconds };
}

/** Every chat the sandbox serves, oldest first within each. */
export function myscrmSandboxChats(now?: number): Map<string, MyscrmWireRecord[]> {
  return new Map([
    [MYSCRM_SAMPLE_CHAT, myscrmSampleRecords()],
    [
      MYSCRM_LONG_CHAT,
      generateMyscrmChat({
        chatId: MYSCRM_LONG_CHAT,
        seed: 20260112,
        count: 5_300,
        start: sandboxStart(Date.UTC(2026, 0, 12), Date.UTC(2026, 3, 27), now),
      }),
    ],
    [MYSCRM_EMPTY_CHAT, []],
  ]);
}
