/**
 * The weizhipin sandbox's chats: the vendor's sample chat verbatim (one message, at its own 2023
 * timestamp), and generated chats whose records have the sample's field set and encodings (times
 * as millisecond strings, content as JSON inside a string, `sender` keys in either spelling).
 *
 * `sandbox-long` is generated relative to a day (the day the sandbox starts): the vendor only
 * serves one-day windows and sources search a bounded number of days back from now, so a chat
 * pinned to fixed dates would slowly fall out of every default search. Its content, ids and
 * times of day are the same on every run; only the dates move with the anchor.
 */
import { readFileSync } from 'node:fs';
import { DAY_MS } from '../../../sandbox/dates.js';
import { Random } from '../../../sandbox/random.js';

export type WeizhipinWireRecord = Record<string, unknown> & { message_id: string; create_time: string };

export const WEIZHIPIN_SAMPLE_CHAT = 'open_id:ou_7dab8a3d3cdcc9da365777c7ad535d62';
export const WEIZHIPIN_LONG_CHAT = 'open_id:sandbox-long';
export const WEIZHIPIN_EMPTY_CHAT = 'open_id:sandbox-empty';
export const WEIZHIPIN_LIVE_CHAT = 'open_id:sandbox-live';

/** Re-exported for the tests and bench that build weizhipin days. */
export { DAY_MS };
/** `sandbox-long` spans the this many days before its anchor day. */
export const WEIZHIPIN_LONG_DAYS = 96;
/** Day offsets (from the first day) with no message at all: the gaps of empty weeks. */
const EMPTY_SPANS: Array<[number, number]> = [
  [14, 27],
  [44, 50],
  [66, 79],
];

const TENANT_KEY = '327ab1e8160c0b783kUZ';
const APP_BOT_ID = 'cli_sandboxbot0001';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The record of the vendor's sample response, exactly as received. */
export function weizhipinSampleRecords(): WeizhipinWireRecord[] {
  const url = new URL('./weizhipin.im-v2-messages.sample.json', import.meta.url);
  const sample = JSON.parse(readFileSync(url, 'utf8')) as { data: WeizhipinWireRecord[] };
  return sample.data;
}

/** Ids shaped like the sample's: hex, then mixed-case letters and digits, then `~`. */
export function weizhipinMessageId(random: Random): string {
  let tail = '';
  for (let i = 0; i < 14; i++) tail += BASE62[random.int(0, BASE62.length - 1)];
  return `${random.hex(17)}${tail}~`;
}

const USER_LINES = [
  '你好，请问这个岗位还在招吗？',
  '我想了解一下薪资范围',
  '面试时间可以改到下午吗',
  '好的，谢谢',
  '简历已经发过去了',
  'Is remote work possible?',
  '在吗？',
];
const BOT_LINES = [
  '您好，岗位仍在招聘中',
  '薪资面议，具体可与HR沟通',
  '已为您登记，稍后HR会联系您',
  '收到，我们会尽快处理',
  'Yes, hybrid work is possible.',
];
const PEOPLE = [
  { id: 'ou_d30ebbab92f41742a20ac0969476857f', name: '娄修俊' },
  { id: 'ou_464a93783034963bfb77ad3bce3354d9', name: '陈世伟' },
  { id: 'ou_0f5c1b3e9a7d4b2f8e6a1c3d5b7f9e21', name: '王晓' },
];

interface Draft {
  msgType: string;
  content: Record<string, unknown> | string;
  mentions: Array<{ id: string; id_type: string; tenant_key: string }>;
}

function mentionsOf(ids: string[]): Draft['mentions'] {
  return ids.map((id) => ({ id, id_type: 'open_id', tenant_key: TENANT_KEY }));
}

function draft(random: Random, fromUser: boolean, index: number): Draft {
  const roll = random.next();
  if (roll < 0.5) {
    if (!fromUser && random.chance(0.25)) {
      const all = random.chance(0.4);
      const people = [random.pick(PEOPLE)];
      const ids = [...(all ? ['-1'] : []), ...people.map((person) => person.id)];
      const text = ` ${all ? '@所有人 ' : ''}${people.map((person) => `@${person.name}`).join(' ')} ${random.pick(BOT_LINES)}`;
      return { msgType: 'text', content: { atIdList: ids, text }, mentions: mentionsOf(ids) };
    }
    return {
      msgType: 'text',
      content: { text: random.pick(fromUser ? USER_LINES : BOT_LINES) },
      mentions: [],
    };
  }
  if (roll < 0.62) {
    return { msgType: 'image', content: { image_key: `img_v2_sandbox_${random.hex(24)}` }, mentions: [] };
  }
  if (roll < 0.82) {
    const person = random.pick(PEOPLE);
    return {
      msgType: random.chance(0.5) ? 'rich_text' : 'new_rich_text',
      content: {
        title: random.chance(0.6) ? '岗位信息' : '',
        content: [
          [
            { tag: 'text', text: '职位：', style: ['bold'] },
            { tag: 'a', text: '查看详情', href: `https://sandbox.chatgraph.invalid/weizhipin/job/${index}` },
          ],
          [
            { tag: 'at', user_id: person.id, user_name: person.name },
            { tag: 'text', text: ' 请查收' },
          ],
          [{ tag: 'img', image_key: `img_v2_sandbox_${random.hex(24)}` }],
          ...(random.chance(0.2) ? [[{ tag: 'hr' }]] : []),
        ],
      },
      mentions: mentionsOf([person.id]),
    };
  }
  if (roll < 0.94) {
    return {
      msgType: 'system_card',
      content: {
        title: '系统通知',
        text: random.pick(['用户已进入会话', '会话已超时结束', '候选人已投递简历']),
        template: 'sandbox_notice',
      },
      mentions: [],
    };
  }
  // The response table's note: a card's content arrives as "".
  return { msgType: 'compressive_card', content: '', mentions: [] };
}

/** Milliseconds into a day of each message of one day, ascending; ties and edges included. */
function timesOfDay(random: Random, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(random.int(0, DAY_MS - 1));
  // Messages on the exact edges of the day's window, and in its last second.
  if (count > 4 && random.chance(0.3)) times[0] = 0;
  if (count > 4 && random.chance(0.3)) times[1] = DAY_MS - 1;
  if (count > 4 && random.chance(0.3)) times[2] = DAY_MS - 1_000;
  times.sort((a, b) => a - b);
  // Several messages in the same millisecond: the vendor's own order keeps them apart.
  for (let i = 1; i < times.length; i++) if (random.chance(0.05)) times[i] = times[i - 1] as number;
  return times;
}

export interface GeneratedChatOptions {
  userId: string;
  seed: number;
  /** Epoch day number (UTC) after the chat's last day. */
  anchorDay: number;
}

/**
 * `sandbox-long`: 5,000+ messages over the `WEIZHIPIN_LONG_DAYS` days before `anchorDay`, with
 * empty weeks, every content type, some recalled, some edited. Ascending, like the vendor.
 */
export function generateWeizhipinLongChat(options: GeneratedChatOptions): WeizhipinWireRecord[] {
  const random = new Random(options.seed);
  const firstDay = options.anchorDay - WEIZHIPIN_LONG_DAYS;
  const records: WeizhipinWireRecord[] = [];
  let previousId: string | null = null;
  for (let offset = 0; offset < WEIZHIPIN_LONG_DAYS; offset++) {
    const count = random.int(40, 150);
    const times = timesOfDay(random, count);
    if (EMPTY_SPANS.some(([from, to]) => offset >= from && offset <= to)) continue;
    for (const ms of times) {
      const index = records.length;
      const fromUser = random.chance(0.5);
      const item = draft(random, fromUser, index);
      const created = (firstDay + offset) * DAY_MS + ms;
      const messageId = weizhipinMessageId(random);
      const edited = item.msgType === 'text' && random.chance(0.03);
      const reply = previousId !== null && random.chance(0.05);
      const threadRoot: string = reply && previousId ? previousId : '';
      const camel = random.chance(0.5);
      const sender = fromUser
        ? camel
          ? { id: `ou_${options.userId}`, idType: 'open_id', senderType: 'user', tenantKey: TENANT_KEY }
          : { id: `ou_${options.userId}`, id_type: 'open_id', sender_type: 'user', tenant_key: TENANT_KEY }
        : camel
          ? { id: APP_BOT_ID, idType: 'app_id', senderType: 'IM机器人', tenantKey: TENANT_KEY }
          : { id: APP_BOT_ID, id_type: 'app_id', sender_type: 'app', tenant_key: TENANT_KEY };
      const content =
        typeof item.content === 'string' || random.chance(0.85) ? jsonString(item.content) : item.content;
      records.push({
        message_id: messageId,
        root_id: threadRoot,
        parent_id: threadRoot,
        msg_type: item.msgType,
        create_time: String(created),
        update_time: String(edited ? created + random.int(1_000, 600_000) : created),
        deleted: random.chance(0.03),
        updated: edited,
        chat_id: null,
        sender,
        body: { content },
        mentions: item.mentions,
        upper_message_id: null,
      });
      previousId = messageId;
    }
  }
  return records;
}

function jsonString(content: Record<string, unknown> | string): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** Every chat the sandbox serves, ascending within each, keyed by `<user_id_type>:<user_id>`. */
export function weizhipinSandboxChats(anchorDay: number): Map<string, WeizhipinWireRecord[]> {
  return new Map([
    [WEIZHIPIN_SAMPLE_CHAT, weizhipinSampleRecords()],
    [
      WEIZHIPIN_LONG_CHAT,
      generateWeizhipinLongChat({ userId: 'sandboxlong0001', seed: 20260301, anchorDay }),
    ],
    [WEIZHIPIN_EMPTY_CHAT, []],
  ]);
}

export const dayOfMs = (ms: number): number => Math.floor(ms / DAY_MS);
