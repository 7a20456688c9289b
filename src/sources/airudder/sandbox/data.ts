/**
 * The AIRUDDER sandbox's sessions: the vendor's sample session (its 18 messages, served verbatim:
 * the vendor sent them out of timestamp order, which is what `timeOrdered: false` is for), and generated sessions whose messages have
 * the sample's field set and shapes: split bot turns (`<hex>-N` ids sharing one second), prompts
 * and the user's answers quoting them, per-channel templates, agents with seat ids after a
 * transfer, and the undocumented values the vendor really sends (`status: "send"`,
 * `sender_type: "chatbot"`).
 */
import { readFileSync } from 'node:fs';
import { sandboxStart } from '../../../sandbox/dates.js';
import { SANDBOX_MEDIA } from '../../../sandbox/media.js';
import { Random } from '../../../sandbox/random.js';

export type AirudderWireMessage = Record<string, unknown> & { msg_id: string; timestamp: number };

export const AIRUDDER_SAMPLE_SESSION = '7738ff156ad12075578af25c84908567';

/** The sample response's `data`, exactly as received (not sorted by timestamp). */
export function airudderSampleRecords(): AirudderWireMessage[] {
  const url = new URL('./airudder.session-messages.sample.json', import.meta.url);
  const sample = JSON.parse(readFileSync(url, 'utf8')) as { data: AirudderWireMessage[] };
  return sample.data;
}

// Served by the emulator itself (src/sandbox/media.ts): uploads as signed OSS links, valid an hour
// like the vendor's; template images and links as the business's own plain URLs.
const OSS_HOST = `${SANDBOX_MEDIA}/oss/airudder`;
const MEDIA_HOST = `${SANDBOX_MEDIA}/plain/airudder`;

const USER_LINES = [
  'hi',
  'ok',
  '我的快递到哪里了？',
  'Where is my parcel?',
  'Saya mau cek resi',
  '转人工',
  'Can I change the delivery address?',
  '谢谢',
  'terima kasih',
  'The courier did not come today',
];
const BOT_LINES = [
  '一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务',
  '若您需要咨询的业务类型不在以上选项内,请手动输入(也可以说:人工服务/转人工)',
  'Please enter your waybill number.',
  'Mohon tunggu sebentar.',
  '正在为你转人工,请稍后。。。。。。',
];
const AGENT_LINES = [
  'Hello, this is Tom from customer service.',
  '您好，我帮您查一下。',
  'Your parcel is out for delivery today.',
  'Alamat sudah kami ubah.',
  'Is there anything else I can help with?',
];
const SYSTEM_LINES = ['Session transferred to agent', 'Session ended', 'Agent joined the session'];
const CHOICES = ['物流查询', '网点查询', '大件快递', '小件快递'];

/** A bot message's content, before its id, time and status are decided. */
interface Draft {
  content: Record<string, unknown>;
}

const media = (kind: string, index: number, extension: string, name?: string) => ({
  // The emulator sets `Expires` from its clock as it answers (emulator.ts); media.ts signs it.
  origin_url: `${OSS_HOST}/${kind}/${index}.${extension}?Expires=1767225600&Signature=sandbox`,
  ...(name ? { name } : {}),
});

function buttonPrompt(turn: string): Record<string, unknown> {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: '请选择您的性别(button)👉👉👉' },
      footer: { text: '' },
      action: {
        buttons: ['男', '女', '其他'].map((title, index) => ({
          type: 'reply',
          reply: { id: `${turn}-2-1-button-${index}-`, title },
        })),
      },
    },
  };
}

function listPrompt(turn: string): Record<string, unknown> {
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      header: { type: 'text', text: 'J&T Express' },
      body: { text: '请选择你要咨询的业务类(本次通过list展示)' },
      footer: { text: 'Reply 0 for the menu' },
      action: {
        button: 'Menu',
        sections: [
          { title: '查询类', names: CHOICES.slice(0, 2) },
          { title: '寄件类', names: CHOICES.slice(2) },
        ].map((section, s) => ({
          title: section.title,
          rows: section.names.map((title, r) => ({
            id: `${turn}-3-1-list-${s}-${r}-`,
            title,
            description: r === 0 ? 'most asked' : '',
          })),
        })),
      },
    },
  };
}

const WHATSAPP_HEADERS = [
  { type: 'text', text: 'J&T Express' },
  { type: 'image', media: { origin_url: `${MEDIA_HOST}/header/banner.jpg` } },
  { type: 'video', media: { origin_url: `${MEDIA_HOST}/header/intro.mp4` } },
  { type: 'document', media: { origin_url: `${MEDIA_HOST}/header/terms.pdf`, name: 'terms.pdf' } },
  {
    type: 'location',
    location: {
      latitude: 1.2849138,
      longitude: 103.8525793,
      address: '9 Battery Rd, Singapore 049910',
      name: 'J&T Battery Rd',
    },
  },
];

function whatsappTemplate(random: Random, index: number): Record<string, unknown> {
  const carousel = random.chance(0.3);
  return {
    type: 'template',
    template: {
      type: 'WhatsApp',
      wa_content: carousel
        ? {
            category: 'marketing',
            subcate: 'carousel',
            body: `Hi, we will hold a party on day ${index % 28}, welcome to join us`,
            carousel: [1, 2].map((card) => ({
              header: { type: 'image', media: { origin_url: `${MEDIA_HOST}/card/${card}.jpg` } },
              body: `Card ${card}`,
              footer: '',
              buttons: [
                { type: 'quick_reply', text: `join${card}` },
                { type: 'url', text: 'Details', url: `${MEDIA_HOST}/event/${card}` },
              ],
            })),
          }
        : {
            category: random.pick(['marketing', 'utility']),
            subcate: 'blank',
            header: random.pick(WHATSAPP_HEADERS),
            body: 'Your parcel is on its way. Reply to tell us when you are home.',
            footer: 'J&T Express',
            button: [
              { type: 'quick_reply', text: "I'll be there!" },
              { type: 'phone_number', text: 'Call us', phone_number: '+6560000000' },
            ],
          },
      info: { id: 70 + (index % 30), name: `campaign_${index % 5}`, language: 'en' },
    },
  };
}

function draft(random: Random, index: number, turn: string): Draft {
  const roll = random.next();
  if (roll < 0.35) return { content: { type: 'text', text: random.pick(BOT_LINES) } };
  if (roll < 0.42) return { content: { type: 'image', media: media('image', index, 'jpeg') } };
  if (roll < 0.46) {
    return { content: { type: 'file', media: media('file', index, 'pdf', `guide-${index % 7}.pdf`) } };
  }
  if (roll < 0.49) return { content: { type: 'video', media: media('video', index, 'mp4') } };
  if (roll < 0.52) return { content: { type: 'audio', media: media('audio', index, 'ogg') } };
  if (roll < 0.64)
    return random.chance(0.5) ? { content: buttonPrompt(turn) } : { content: listPrompt(turn) };
  if (roll < 0.75) return { content: whatsappTemplate(random, index) };
  if (roll < 0.84) {
    return {
      content: {
        type: 'template',
        template: {
          type: 'Instagram',
          ins_content: {
            type: 'template',
            payload: {
              template_type: 'generic',
              elements: CHOICES.slice(0, random.int(1, 4)).map((title, e) => ({
                title,
                subtitle: `NO.${e + 1}`,
                ...(e === 0 ? { image_url: `${MEDIA_HOST}/ig/${index}.jpg` } : {}),
                buttons: [
                  { type: 'postback', title: 'konfirmasi', payload: `${turn}-3-1-list-0-${e}-` },
                  ...(e === 0 ? [{ type: 'web_url', title: 'Open', url: `${MEDIA_HOST}/ig/${index}` }] : []),
                ],
              })),
            },
          },
        },
      },
    };
  }
  if (roll < 0.94) {
    const action = (label: string, a: number) => ({
      type: 'postback',
      label,
      data: `${turn}-2-1-button-${a}--${label}`,
      display_text: label,
    });
    const empty = { type: '', label: '', data: '' };
    const carousel = random.chance(0.5);
    return {
      content: {
        type: 'template',
        template: {
          type: 'Line',
          line_content: carousel
            ? {
                type: 'carousel',
                text: '',
                default_action: empty,
                actions: null,
                columns: CHOICES.map((text, c) => ({
                  text,
                  image_url: c === 0 ? `${MEDIA_HOST}/line/${index}.jpg` : '',
                  title: `NO.${c + 1}`,
                  default_action: c === 0 ? { type: 'uri', label: 'Open', uri: `${MEDIA_HOST}/line` } : empty,
                  actions: [action(text, c)],
                })),
              }
            : {
                type: 'buttons',
                text: '请选择您的性别(button)👉👉👉',
                default_action: empty,
                actions: ['男', '女', '其他'].map(action),
                columns: null,
              },
        },
      },
    };
  }
  // Content types the gateway does not know: shown as UnsupportedContent.
  return random.chance(0.5)
    ? { content: { type: 'sticker', media: media('sticker', index, 'webp') } }
    : { content: { type: 'contacts', contacts: [{ name: 'J&T Express', phone: '+6560000000' }] } };
}

export interface GeneratedSessionOptions {
  seed: number;
  count: number;
  /** Epoch seconds of the first message. */
  start: number;
}

/**
 * A session of `count` messages over some hours (the vendor keeps 24): the bot answers in turns of
 * one to three parts sharing one second, the user replies (sometimes quoting, sometimes answering
 * a prompt), and after a transfer an agent with a seat id takes over for a while. Newest first,
 * ties in reverse generation order, as the sample has them (`-1` before `-0`).
 */
export function generateAirudderSession(options: GeneratedSessionOptions): AirudderWireMessage[] {
  const random = new Random(options.seed);
  const used = new Set<string>();
  const freshTurn = (): string => {
    let turn = random.hex();
    while (used.has(turn)) turn = random.hex();
    used.add(turn);
    return turn;
  };
  const out: AirudderWireMessage[] = [];
  let time = options.start;
  let lastPrompt: (Draft & { msgId: string }) | null = null;
  let lastBotText: string | null = null;
  let agentLeft = 0;
  const seat = `seat_${random.hex(8)}`;
  const push = (message: Omit<AirudderWireMessage, 'timestamp'>) => {
    if (out.length < options.count) out.push({ ...message, timestamp: time } as AirudderWireMessage);
  };

  while (out.length < options.count) {
    // The user speaks, then the bot (or an agent) answers.
    time += random.chance(0.3) ? 0 : random.int(1, 40);
    const index = out.length;
    const userRoll = random.next();
    if (lastPrompt && userRoll < 0.25) {
      push({
        msg_id: freshTurn(),
        seat_id: '',
        sender_type: 'user',
        status: 'delivery',
        content: { type: 'interactive', text: random.pick(['男', '女', '其他', '物流查询']) },
        reply: { msg_id: lastPrompt.msgId, ...lastPrompt.content },
      });
      lastPrompt = null;
    } else if (lastBotText && userRoll < 0.35) {
      push({
        msg_id: freshTurn(),
        seat_id: '',
        sender_type: 'user',
        status: random.pick(['delivery', 'read']),
        content: { type: 'text', text: 'ok', reply: { type: 'text', text: lastBotText } },
      });
    } else if (userRoll < 0.4) {
      push({
        msg_id: freshTurn(),
        seat_id: '',
        sender_type: 'user',
        status: 'delivery',
        content: { type: 'image', media: media('user-image', index, 'jpg') },
      });
    } else {
      push({
        msg_id: freshTurn(),
        seat_id: '',
        sender_type: 'user',
        status: 'delivery',
        content: { type: 'text', text: random.pick(USER_LINES) },
      });
    }

    if (agentLeft === 0 && random.chance(0.04)) {
      time += random.int(0, 2);
      push({
        msg_id: freshTurn(),
        seat_id: '',
        sender_type: 'system',
        status: 'read',
        content: { type: 'text', text: SYSTEM_LINES[0] },
      });
      agentLeft = random.int(3, 12);
    }
    time += random.int(0, 3);
    if (agentLeft > 0) {
      agentLeft--;
      push({
        msg_id: freshTurn(),
        seat_id: seat,
        sender_type: random.chance(0.9) ? 'agent' : 'seat',
        status: random.pick(['sent', 'delivery', 'read', 'read', 'failed']),
        content: random.chance(0.85)
          ? { type: 'text', text: random.pick(AGENT_LINES) }
          : { type: 'file', media: media('agent-file', index, 'pdf', 'invoice.pdf') },
      });
      if (agentLeft === 0) {
        push({
          msg_id: freshTurn(),
          seat_id: '',
          sender_type: 'system',
          status: 'read',
          content: { type: 'text', text: SYSTEM_LINES[1] },
        });
      }
      continue;
    }
    const turn = freshTurn();
    const parts = random.int(1, 3);
    for (let part = 0; part < parts; part++) {
      const item = draft(random, out.length, turn);
      const msgId = parts === 1 && random.chance(0.5) ? turn : `${turn}-${part}`;
      push({
        msg_id: msgId,
        seat_id: '',
        // Both the documented and the undocumented bot values, as the vendor really sends them.
        sender_type: random.chance(0.8) ? 'robot' : 'chatbot',
        status: random.pick(['read', 'read', 'delivery', 'send']),
        content: item.content,
      });
      if (item.content.type === 'interactive') lastPrompt = { ...item, msgId };
      if (item.content.type === 'text') lastBotText = item.content.text as string;
    }
  }
  return out.reverse();
}

/**
 * Shuffles timestamps between near neighbours, as the vendor's sample has them: the list order
 * stays the vendor's, the times no longer follow it.
 */
export function unsortTimestamps(messages: AirudderWireMessage[], seed: number): AirudderWireMessage[] {
  const random = new Random(seed);
  const out = messages.map((message) => ({ ...message }));
  for (let i = 0; i + 1 < out.length; i++) {
    if (!random.chance(0.2)) continue;
    const j = Math.min(out.length - 1, i + random.int(1, 5));
    const a = out[i] as AirudderWireMessage;
    const b = out[j] as AirudderWireMessage;
    [a.timestamp, b.timestamp] = [b.timestamp, a.timestamp];
  }
  return out;
}

/**
 * Every session the sandbox serves, in the order served. The sample is the vendor's answer as
 * received; generated sessions are newest first unless `unsorted`.
 */
export function airudderSandboxSessions(
  options: { unsorted?: boolean; now?: number } = {},
): Map<string, AirudderWireMessage[]> {
  const long = generateAirudderSession({
    seed: 20260105,
    count: 5_200,
    start: sandboxStart(Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 5), options.now) / 1000,
  });
  return new Map([
    [AIRUDDER_SAMPLE_SESSION, airudderSampleRecords()],
    ['sandbox-long', options.unsorted ? unsortTimestamps(long, 20260106) : long],
    ['sandbox-empty', []],
  ]);
}
