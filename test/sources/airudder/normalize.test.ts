import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { normalizeAirudderMessage } from '../../../src/sources/airudder/normalize.js';
import { AirudderSessionMessage } from '../../../src/sources/airudder/wire.js';

const sample = JSON.parse(
  readFileSync(
    new URL('../../../src/sources/airudder/sandbox/airudder.session-messages.sample.json', import.meta.url),
    'utf8',
  ),
) as { data: Array<Record<string, unknown>> };

const SESSION = '7738ff156ad12075578af25c84908567';
let warnings: Array<[string, Record<string, unknown>]> = [];
const ctx = {
  source: 'bot',
  conversation: SESSION,
  warn: (message: string, details: Record<string, unknown>) => warnings.push([message, details]),
};
const normalize = (raw: Record<string, unknown>) =>
  normalizeAirudderMessage(AirudderSessionMessage.parse(raw), raw, ctx);
const record = (msgId: string): Record<string, unknown> => {
  const found = sample.data.find((item) => item.msg_id === msgId);
  if (!found) throw new Error(`no sample message ${msgId}`);
  return found;
};

beforeEach(() => {
  warnings = [];
});

const BOT = { role: 'BOT', externalId: null, displayName: null, avatarUrl: null };
const CUSTOMER = { role: 'CUSTOMER', externalId: null, displayName: null, avatarUrl: null };

/** What every message of the sample has in common. */
function message(msgId: string, rest: Record<string, unknown>): Record<string, unknown> {
  return {
    vendor: 'AIRUDDER',
    source: 'bot',
    conversation: SESSION,
    externalId: msgId,
    recalled: false,
    raw: record(msgId),
    reply: null,
    ...rest,
  };
}

const WELCOME = '一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务';
const GENDER = '请选择您的性别(button)👉👉👉';

const genderPrompt = {
  __typename: 'AirudderInteractivePrompt',
  promptType: 'button',
  header: null,
  body: GENDER,
  footer: null,
  listButtonText: null,
  buttons: [
    { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-0-', title: '男' },
    { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-1-', title: '女' },
    { type: 'reply', id: '0b83f81b7ede2cc620b5a9cabc021855-2-1-button-2-', title: '其他' },
  ],
  sections: [],
};

const lineAction = (label: string, data: string) => ({
  type: 'postback',
  label,
  data,
  displayText: label,
  uri: null,
});

const EIFFEL =
  'https://www.planetware.com/wpimages/2020/02/france-in-pictures-beautiful-places-to-photograph-eiffel-tower.jpg';
const eiffel = {
  __typename: 'ImageContent',
  url: EIFFEL,
  thumbnailUrl: null,
  width: null,
  height: null,
  expiresAt: null,
};
const quickReply = (text: string) => ({ type: 'quick_reply', text, url: null, phoneNumber: null });
const postback = (title: string, payload: string) => ({ type: 'postback', title, payload, url: null });

describe('normalizeAirudderMessage on every sample message', () => {
  it('dec508…-2: a Line carousel template, status "send" kept raw', () => {
    expect(normalize(record('dec508c2cb4549b0b2d6a9a1f9dc7d25-2'))).toEqual(
      message('dec508c2cb4549b0b2d6a9a1f9dc7d25-2', {
        sentAt: 1730699690000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: 'NO.1 · 物流查询\n物流查询\nNO.2 · 网点查询\n网点查询\nNO.3 · 大件快递\n大件快递\nNO.4 · 小件快递\n小件快递',
        content: {
          __typename: 'AirudderLineTemplate',
          templateType: 'carousel',
          title: null,
          body: null,
          imageUrl: null,
          defaultAction: null,
          actions: [],
          columns: [
            ['NO.1', '物流查询', 'b63b90db35328cc3bbf053deaf8bee2e-3-1-list-0-0--物流查询'],
            ['NO.2', '网点查询', 'b63b90db35328cc3bbf053deaf8bee2e-3-1-list-0-1--网点查询'],
            ['NO.3', '大件快递', 'b63b90db35328cc3bbf053deaf8bee2e-3-1-list-1-0--大件快递'],
            ['NO.4', '小件快递', 'b63b90db35328cc3bbf053deaf8bee2e-3-1-list-1-1--小件快递'],
          ].map(([title, text, data]) => ({
            title,
            body: text,
            imageUrl: null,
            defaultAction: null,
            actions: [lineAction(text as string, data as string)],
          })),
        },
        status: 'UNKNOWN',
        statusRaw: 'send',
        senderType: 'robot',
        turnId: 'dec508c2cb4549b0b2d6a9a1f9dc7d25',
        part: 2,
      }),
    );
    expect(warnings).toEqual([
      ['unknown AIRUDDER status', { msgId: 'dec508c2cb4549b0b2d6a9a1f9dc7d25-2', status: 'send' }],
    ]);
  });

  it('8587…-1: a Line buttons template', () => {
    expect(normalize(record('8587dfc1bbbb4302ad32dd1913176ead-1'))).toEqual(
      message('8587dfc1bbbb4302ad32dd1913176ead-1', {
        sentAt: 1730699675000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: `${GENDER}\n男 | 女 | 其他`,
        content: {
          __typename: 'AirudderLineTemplate',
          templateType: 'buttons',
          title: null,
          body: GENDER,
          imageUrl: null,
          defaultAction: null,
          actions: [
            lineAction('男', 'b63b90db35328cc3bbf053deaf8bee2e-2-1-button-0--男'),
            lineAction('女', 'b63b90db35328cc3bbf053deaf8bee2e-2-1-button-1--女'),
            lineAction('其他', 'b63b90db35328cc3bbf053deaf8bee2e-2-1-button-2--其他'),
          ],
          columns: [],
        },
        status: 'UNKNOWN',
        statusRaw: 'send',
        senderType: 'robot',
        turnId: '8587dfc1bbbb4302ad32dd1913176ead',
        part: 1,
      }),
    );
    expect(warnings).toHaveLength(1);
  });

  it('b6021a…: a WhatsApp template with a location header, sent by "chatbot"', () => {
    expect(normalize(record('b6021a20726738c053c6b90f523e1e25'))).toEqual(
      message('b6021a20726738c053c6b90f523e1e25', {
        sentAt: 1730698560000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: "Welcome to AIRUDDER! Join us today for our event at Wework (CIMB Plaza)!\nI'll be there! | Sorry, next time",
        content: {
          __typename: 'AirudderWhatsappTemplate',
          templateId: '96',
          templateName: 'campaign1',
          language: 'en',
          category: 'marketing',
          subcategory: 'blank',
          header: {
            __typename: 'LocationContent',
            latitude: 1.2849138,
            longitude: 103.8525793,
            name: '9 Battery Rd, Singapore 049910',
            address: '9 Battery Rd, Singapore 049910',
            zoom: null,
          },
          body: 'Welcome to AIRUDDER! Join us today for our event at Wework (CIMB Plaza)!',
          footer: null,
          buttons: [quickReply("I'll be there!"), quickReply('Sorry, next time')],
          cards: [],
        },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'chatbot',
        turnId: 'b6021a20726738c053c6b90f523e1e25',
        part: null,
      }),
    );
    // "chatbot" is mapped on purpose (robot / chatbot → BOT): no warning.
    expect(warnings).toEqual([]);
  });

  it('abf0d3…: a WhatsApp carousel template', () => {
    expect(normalize(record('abf0d3f3bca7dbffe76b5233e978ec4d'))).toEqual(
      message('abf0d3f3bca7dbffe76b5233e978ec4d', {
        sentAt: 1730698380000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: [
          'Hi, tom, we will hold a party from 2024-11-07, welcome to join us',
          'Hi, tom, nice to meet you',
          'join1 | ignore1',
          'Hi, tom, nice to meet you too',
          'join2 | ignore2',
          'Hi, tom, there is very good',
          'join3 | ignore3',
        ].join('\n'),
        content: {
          __typename: 'AirudderWhatsappTemplate',
          templateId: '74',
          templateName: 'carousel_ttt_001',
          language: 'en',
          category: 'marketing',
          subcategory: 'carousel',
          header: null,
          body: 'Hi, tom, we will hold a party from 2024-11-07, welcome to join us',
          footer: null,
          buttons: [],
          cards: [
            {
              header: eiffel,
              body: 'Hi, tom, nice to meet you',
              footer: null,
              buttons: [quickReply('join1'), quickReply('ignore1')],
            },
            {
              header: eiffel,
              body: 'Hi, tom, nice to meet you too',
              footer: null,
              buttons: [quickReply('join2'), quickReply('ignore2')],
            },
            {
              header: eiffel,
              body: 'Hi, tom, there is very good',
              footer: null,
              buttons: [quickReply('join3'), quickReply('ignore3')],
            },
          ],
        },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'chatbot',
        turnId: 'abf0d3f3bca7dbffe76b5233e978ec4d',
        part: null,
      }),
    );
  });

  it('d28711…-2: an Instagram generic template of four elements', () => {
    expect(normalize(record('d28711d4f1b745fab607eaca19e7a17d-2'))).toEqual(
      message('d28711d4f1b745fab607eaca19e7a17d-2', {
        sentAt: 1730697570000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: '物流查询 · NO.1\nkonfirmasi\n网点查询 · NO.2\nkonfirmasi\n大件快递 · NO.3\nkonfirmasi\n小件快递 · NO.4\nkonfirmasi',
        content: {
          __typename: 'AirudderInstagramTemplate',
          templateType: 'generic',
          elements: [
            ['物流查询', 'NO.1', 'list-0-0'],
            ['网点查询', 'NO.2', 'list-0-1'],
            ['大件快递', 'NO.3', 'list-1-0'],
            ['小件快递', 'NO.4', 'list-1-1'],
          ].map(([title, subtitle, list]) => ({
            title,
            subtitle,
            imageUrl: null,
            buttons: [postback('konfirmasi', `a8aa7c9cdb6daf68091d140e3207e4db-3-1-${list}-`)],
          })),
        },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: 'd28711d4f1b745fab607eaca19e7a17d',
        part: 2,
      }),
    );
    expect(warnings).toEqual([]);
  });

  it('7cc9a7…-1: an Instagram template used as a button prompt', () => {
    expect(normalize(record('7cc9a7c49bf84d558a58a07f7c090969-1'))).toEqual(
      message('7cc9a7c49bf84d558a58a07f7c090969-1', {
        sentAt: 1730697561000,
        sender: BOT,
        kind: 'TEMPLATE',
        text: `${GENDER}\n男 | 女 | 其他`,
        content: {
          __typename: 'AirudderInstagramTemplate',
          templateType: 'generic',
          elements: [
            {
              title: GENDER,
              subtitle: null,
              imageUrl: null,
              buttons: [
                postback('男', 'a8aa7c9cdb6daf68091d140e3207e4db-2-1-button-0-'),
                postback('女', 'a8aa7c9cdb6daf68091d140e3207e4db-2-1-button-1-'),
                postback('其他', 'a8aa7c9cdb6daf68091d140e3207e4db-2-1-button-2-'),
              ],
            },
          ],
        },
        status: 'UNKNOWN',
        statusRaw: 'send',
        senderType: 'robot',
        turnId: '7cc9a7c49bf84d558a58a07f7c090969',
        part: 1,
      }),
    );
  });

  it("b1666a…: the user's answer to a prompt, the prompt quoted as a typed reply", () => {
    expect(normalize(record('b1666ac1514d9e7bbd863319668dc5b9'))).toEqual(
      message('b1666ac1514d9e7bbd863319668dc5b9', {
        sentAt: 1716969283000,
        sender: CUSTOMER,
        kind: 'INTERACTIVE',
        text: '女',
        content: { __typename: 'AirudderPromptAnswer', text: '女' },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'user',
        turnId: 'b1666ac1514d9e7bbd863319668dc5b9',
        part: null,
        reply: {
          msgId: '05edd4a966b14b77803c36fca1044aa7-1',
          sentAt: null,
          content: genderPrompt,
          text: `${GENDER}\n男 | 女 | 其他`,
        },
      }),
    );
    expect(warnings).toEqual([]);
  });

  it('aab80e…: bot text', () => {
    expect(normalize(record('aab80ee4b49c4d179db2a7202d25b9c2'))).toEqual(
      message('aab80ee4b49c4d179db2a7202d25b9c2', {
        sentAt: 1716965209000,
        sender: BOT,
        kind: 'TEXT',
        text: '正在为你转人工,请稍后。。。。。。',
        content: { __typename: 'TextContent', text: '正在为你转人工,请稍后。。。。。。' },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: 'aab80ee4b49c4d179db2a7202d25b9c2',
        part: null,
      }),
    );
  });

  it('9fec57…: user text', () => {
    expect(normalize(record('9fec57b9bd3cbf762a18d0c03afb9394'))).toEqual(
      message('9fec57b9bd3cbf762a18d0c03afb9394', {
        sentAt: 1716965209000,
        sender: CUSTOMER,
        kind: 'TEXT',
        text: '转人工',
        content: { __typename: 'TextContent', text: '转人工' },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'user',
        turnId: '9fec57b9bd3cbf762a18d0c03afb9394',
        part: null,
      }),
    );
  });

  it('05edd4…-1: a list prompt with two sections', () => {
    const row = (list: string, title: string) => ({
      id: `0b83f81b7ede2cc620b5a9cabc021855-3-1-list-${list}-`,
      title,
      description: null,
    });
    expect(normalize(record('05edd4a966b14b77803c36fca1044aa7-1'))).toEqual(
      message('05edd4a966b14b77803c36fca1044aa7-1', {
        sentAt: 1716965203000,
        sender: BOT,
        kind: 'INTERACTIVE',
        text: '请选择你要咨询的业务类(本次通过list展示)\n查询类: 物流查询 | 网点查询\n寄件类: 大件快递 | 小件快递',
        content: {
          __typename: 'AirudderInteractivePrompt',
          promptType: 'list',
          header: null,
          body: '请选择你要咨询的业务类(本次通过list展示)',
          footer: null,
          listButtonText: null,
          buttons: [],
          sections: [
            { title: '查询类', rows: [row('0-0', '物流查询'), row('0-1', '网点查询')] },
            { title: '寄件类', rows: [row('1-0', '大件快递'), row('1-1', '小件快递')] },
          ],
        },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: '05edd4a966b14b77803c36fca1044aa7',
        part: 1,
      }),
    );
  });

  it('05edd4…-0: bot text, part 0 of the same turn', () => {
    const text = '若您需要咨询的业务类型不在以上选项内,请手动输入(也可以说:人工服务/转人工)';
    expect(normalize(record('05edd4a966b14b77803c36fca1044aa7-0'))).toEqual(
      message('05edd4a966b14b77803c36fca1044aa7-0', {
        sentAt: 1716965203000,
        sender: BOT,
        kind: 'TEXT',
        text,
        content: { __typename: 'TextContent', text },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: '05edd4a966b14b77803c36fca1044aa7',
        part: 0,
      }),
    );
  });

  it('1b94be…: user text quoting a bot text inside its content', () => {
    expect(normalize(record('1b94be3dd2384fdbc2c54ffdd31ac7f9'))).toEqual(
      message('1b94be3dd2384fdbc2c54ffdd31ac7f9', {
        sentAt: 1716965203000,
        sender: CUSTOMER,
        kind: 'TEXT',
        text: 'ok',
        content: { __typename: 'TextContent', text: 'ok' },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'user',
        turnId: '1b94be3dd2384fdbc2c54ffdd31ac7f9',
        part: null,
        reply: {
          msgId: null,
          sentAt: null,
          content: { __typename: 'TextContent', text: WELCOME },
          text: WELCOME,
        },
      }),
    );
  });

  it('a quoted message at a time no DateTime holds keeps its content, with no time', () => {
    const quoting = {
      ...record('1b94be3dd2384fdbc2c54ffdd31ac7f9'),
      reply: { msg_id: 'q-1', timestamp: 1e306, content: { type: 'text', text: 'hello' } },
    };
    expect(normalize(quoting).reply).toEqual({
      msgId: 'q-1',
      sentAt: null,
      content: { __typename: 'TextContent', text: 'hello' },
      text: 'hello',
    });
  });

  it('1db1af…-1: a button prompt', () => {
    expect(normalize(record('1db1af246d534fb3a4c3cc675d71885a-1'))).toEqual(
      message('1db1af246d534fb3a4c3cc675d71885a-1', {
        sentAt: 1716965186000,
        sender: BOT,
        kind: 'INTERACTIVE',
        text: `${GENDER}\n男 | 女 | 其他`,
        content: genderPrompt,
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: '1db1af246d534fb3a4c3cc675d71885a',
        part: 1,
      }),
    );
  });

  it('1db1af…-0: bot text', () => {
    expect(normalize(record('1db1af246d534fb3a4c3cc675d71885a-0'))).toEqual(
      message('1db1af246d534fb3a4c3cc675d71885a-0', {
        sentAt: 1716965186000,
        sender: BOT,
        kind: 'TEXT',
        text: '请选择您的性别👉👉👉',
        content: { __typename: 'TextContent', text: '请选择您的性别👉👉👉' },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: '1db1af246d534fb3a4c3cc675d71885a',
        part: 0,
      }),
    );
  });

  it('c38dba…-2: a file, its signed link expiring at its Expires', () => {
    expect(normalize(record('c38dba25208d40e8a97916dcfc6e2bb1-2'))).toEqual(
      message('c38dba25208d40e8a97916dcfc6e2bb1-2', {
        sentAt: 1716965185000,
        sender: BOT,
        kind: 'FILE',
        text: 'welcome_to_Earth.pdf',
        content: {
          __typename: 'FileContent',
          url: 'https://test-airudder-dmrobot.oss-cn-hongkong.aliyuncs.com/upload%2F20240327%2F0ca8b6c9e76f49f081e709a5b821e87c_welcome_to_Earth.pdf?Expires=1743064081&OSSAccessKeyId=LTAI5tR3sabN9jtvhHDgMoxA&Signature=yHRWceK6eJOhwcUKA%2BPuGtYfrAg%3D',
          name: 'welcome_to_Earth.pdf',
          sizeBytes: null,
          expiresAt: 1743064081000,
        },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: 'c38dba25208d40e8a97916dcfc6e2bb1',
        part: 2,
      }),
    );
  });

  it('c38dba…-1: an image', () => {
    expect(normalize(record('c38dba25208d40e8a97916dcfc6e2bb1-1'))).toEqual(
      message('c38dba25208d40e8a97916dcfc6e2bb1-1', {
        sentAt: 1716965185000,
        sender: BOT,
        kind: 'IMAGE',
        text: null,
        content: {
          __typename: 'ImageContent',
          url: 'https://test-airudder-dmrobot.oss-cn-hongkong.aliyuncs.com/upload%2F20240327%2F79a5ef5ba61b410c9b418d513eb48924_KrKRsV0DWY.jpeg?Expires=1743062224&OSSAccessKeyId=LTAI5tR3sabN9jtvhHDgMoxA&Signature=agKUyWeiSkwQd0ussZ5bUJuKmDM%3D',
          thumbnailUrl: null,
          width: null,
          height: null,
          expiresAt: 1743062224000,
        },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: 'c38dba25208d40e8a97916dcfc6e2bb1',
        part: 1,
      }),
    );
  });

  it('c38dba…-0: bot text', () => {
    expect(normalize(record('c38dba25208d40e8a97916dcfc6e2bb1-0'))).toEqual(
      message('c38dba25208d40e8a97916dcfc6e2bb1-0', {
        sentAt: 1716965185000,
        sender: BOT,
        kind: 'TEXT',
        text: WELCOME,
        content: { __typename: 'TextContent', text: WELCOME },
        status: 'READ',
        statusRaw: 'read',
        senderType: 'robot',
        turnId: 'c38dba25208d40e8a97916dcfc6e2bb1',
        part: 0,
      }),
    );
  });

  it('7bc58a…: user text', () => {
    expect(normalize(record('7bc58a7794cc51d09f077133736cb314'))).toEqual(
      message('7bc58a7794cc51d09f077133736cb314', {
        sentAt: 1716965185000,
        sender: CUSTOMER,
        kind: 'TEXT',
        text: 'hi',
        content: { __typename: 'TextContent', text: 'hi' },
        status: 'DELIVERED',
        statusRaw: 'delivery',
        senderType: 'user',
        turnId: '7bc58a7794cc51d09f077133736cb314',
        part: null,
      }),
    );
  });

  it('covers all 18 sample messages, warning only about the three "send" statuses', () => {
    expect(sample.data).toHaveLength(18);
    const messages = sample.data.map(normalize);
    expect(new Set(messages.map((m) => m.content.__typename))).toEqual(
      new Set([
        'TextContent',
        'ImageContent',
        'FileContent',
        'AirudderInteractivePrompt',
        'AirudderPromptAnswer',
        'AirudderWhatsappTemplate',
        'AirudderInstagramTemplate',
        'AirudderLineTemplate',
      ]),
    );
    expect(warnings.map(([, details]) => details.msgId)).toEqual([
      '7cc9a7c49bf84d558a58a07f7c090969-1',
      'dec508c2cb4549b0b2d6a9a1f9dc7d25-2',
      '8587dfc1bbbb4302ad32dd1913176ead-1',
    ]);
  });
});

describe('normalizeAirudderMessage beyond the sample', () => {
  const base = { msg_id: 'f00d', timestamp: 1716965185, sender_type: 'robot', status: 'read' };

  it('maps roles: agent and seat → AGENT with the seat id, system → SYSTEM', () => {
    const agent = normalize({
      ...base,
      sender_type: 'agent',
      seat_id: 'seat-7',
      content: { type: 'text', text: 'x' },
    });
    expect(agent.sender).toEqual({ role: 'AGENT', externalId: 'seat-7', displayName: null, avatarUrl: null });
    expect(
      normalize({ ...base, sender_type: 'seat', seat_id: 's', content: { type: 'text', text: 'x' } }).sender
        .role,
    ).toBe('AGENT');
    expect(
      normalize({ ...base, sender_type: 'system', content: { type: 'text', text: 'x' } }).sender.role,
    ).toBe('SYSTEM');
    expect(
      normalize({ ...base, sender_type: 'Robot', content: { type: 'text', text: 'x' } }).sender.role,
    ).toBe('BOT');
    expect(warnings).toEqual([]);
  });

  it('an unknown sender_type is UNKNOWN (AGENT when a seat id says so), kept raw, with a warning', () => {
    const odd = normalize({ ...base, sender_type: 'operator', content: { type: 'text', text: 'x' } });
    expect(odd.sender.role).toBe('UNKNOWN');
    expect(odd.senderType).toBe('operator');
    const seated = normalize({
      ...base,
      sender_type: 'operator',
      seat_id: 'seat-1',
      content: { type: 'text', text: 'x' },
    });
    expect(seated.sender).toEqual({
      role: 'AGENT',
      externalId: 'seat-1',
      displayName: null,
      avatarUrl: null,
    });
    expect(
      normalize({ ...base, sender_type: undefined, content: { type: 'text', text: 'x' } }).sender.role,
    ).toBe('UNKNOWN');
    expect(warnings.map(([message, details]) => [message, details.senderType])).toEqual([
      ['unknown AIRUDDER sender_type', 'operator'],
      ['unknown AIRUDDER sender_type', 'operator'],
      ['unknown AIRUDDER sender_type', null],
    ]);
  });

  it('maps the documented statuses; anything else is UNKNOWN with the raw value', () => {
    const status = (value: string | undefined) => {
      const m = normalize({ ...base, status: value, content: { type: 'text', text: 'x' } });
      return [m.status, m.statusRaw];
    };
    expect(status('read')).toEqual(['READ', 'read']);
    expect(status('delivery')).toEqual(['DELIVERED', 'delivery']);
    expect(status('sent')).toEqual(['SENT', 'sent']);
    expect(status('failed')).toEqual(['FAILED', 'failed']);
    expect(warnings).toEqual([]);
    expect(status('pending')).toEqual(['UNKNOWN', 'pending']);
    expect(status(undefined)).toEqual(['UNKNOWN', null]);
    expect(warnings).toHaveLength(2);
  });

  it('reads video and audio media', () => {
    const url = 'https://oss.example/v.mp4?Expires=1743064081&Signature=x';
    expect(normalize({ ...base, content: { type: 'video', media: { origin_url: url } } })).toMatchObject({
      kind: 'VIDEO',
      text: null,
      content: {
        __typename: 'VideoContent',
        url,
        thumbnailUrl: null,
        durationSeconds: null,
        expiresAt: 1743064081000,
      },
    });
    expect(
      normalize({ ...base, content: { type: 'audio', media: { origin_url: 'https://cdn.example/a.ogg' } } }),
    ).toMatchObject({
      kind: 'AUDIO',
      text: null,
      content: {
        __typename: 'AudioContent',
        url: 'https://cdn.example/a.ogg',
        durationSeconds: null,
        transcript: null,
        expiresAt: null,
      },
    });
  });

  it('unknown content is UnsupportedContent with its raw content, never an error', () => {
    const content = { type: 'sticker', media: { origin_url: 'https://cdn.example/s.webp' } };
    expect(normalize({ ...base, content })).toMatchObject({
      kind: 'UNSUPPORTED',
      text: null,
      content: { __typename: 'UnsupportedContent', vendorType: 'sticker', raw: content },
    });
    expect(normalize({ ...base, content: { type: 'contacts', text: 'J&T Express' } }).text).toBe(
      'J&T Express',
    );
    expect(normalize({ ...base, content: undefined }).content).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'missing',
      raw: null,
    });
    expect(normalize({ ...base, content: { type: 'text', text: 42 } }).content).toMatchObject({
      __typename: 'UnsupportedContent',
      vendorType: 'text',
    });
    expect(
      normalize({ ...base, content: { type: 'template', template: { type: 'Telegram' } } }).content,
    ).toMatchObject({
      __typename: 'UnsupportedContent',
      vendorType: 'template:Telegram',
    });
    expect(warnings.map(([message]) => message)).toEqual([
      'unknown AIRUDDER content type',
      'unknown AIRUDDER content type',
      'AIRUDDER message without content',
      'unknown AIRUDDER template',
    ]);
  });

  it('reads WhatsApp headers of every kind', () => {
    const headerOf = (header: unknown) => {
      const m = normalize({
        ...base,
        content: { type: 'template', template: { type: 'WhatsApp', wa_content: { body: 'b', header } } },
      });
      return (m.content as { header: unknown }).header;
    };
    expect(headerOf({ type: 'text', text: 'Hello' })).toEqual({ __typename: 'TextContent', text: 'Hello' });
    expect(headerOf({ type: 'image', media: { origin_url: 'https://cdn.example/i.jpg' } })).toMatchObject({
      __typename: 'ImageContent',
      url: 'https://cdn.example/i.jpg',
    });
    expect(headerOf({ type: 'VIDEO', video: { link: 'https://cdn.example/v.mp4' } })).toMatchObject({
      __typename: 'VideoContent',
      url: 'https://cdn.example/v.mp4',
    });
    expect(
      headerOf({ type: 'document', media: { origin_url: 'https://cdn.example/t.pdf', name: 't.pdf' } }),
    ).toMatchObject({ __typename: 'FileContent', url: 'https://cdn.example/t.pdf', name: 't.pdf' });
    expect(headerOf({ type: 'gif' })).toMatchObject({
      __typename: 'UnsupportedContent',
      vendorType: 'header:gif',
    });
    expect(headerOf({ type: '' })).toBeNull();
    expect(headerOf(undefined)).toBeNull();
  });

  it('renders a text header, footer and list button of a prompt', () => {
    const m = normalize({
      ...base,
      content: {
        type: 'interactive',
        interactive: {
          type: 'list',
          header: { type: 'text', text: 'J&T' },
          body: { text: 'Pick one' },
          footer: { text: 'Reply 0 for the menu' },
          action: {
            button: 'Menu',
            sections: [
              {
                rows: [
                  { id: '1', title: 'A' },
                  { id: '2', title: 'B' },
                ],
              },
            ],
          },
        },
      },
    });
    expect(m.content).toMatchObject({ listButtonText: 'Menu', footer: 'Reply 0 for the menu' });
    expect(m.text).toBe('J&T\nPick one\nReply 0 for the menu\nA | B');
  });

  it('reads the documented reply shape (a message object) and ignores an empty one', () => {
    const reply = {
      msg_id: 'abc-1',
      timestamp: 1716965100,
      sender_type: 'robot',
      content: { type: 'text', text: 'quoted' },
    };
    expect(normalize({ ...base, content: { type: 'text', text: 'x' }, reply }).reply).toEqual({
      msgId: 'abc-1',
      sentAt: 1716965100000,
      content: { __typename: 'TextContent', text: 'quoted' },
      text: 'quoted',
    });
    expect(normalize({ ...base, content: { type: 'text', text: 'x' }, reply: {} }).reply).toBeNull();
    expect(normalize({ ...base, content: { type: 'text', text: 'x' }, reply: null }).reply).toBeNull();
  });

  it("reads Meta's own answer shape as a prompt answer", () => {
    const m = normalize({
      ...base,
      sender_type: 'user',
      content: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'x', title: '女' } },
      },
    });
    expect(m.content).toEqual({ __typename: 'AirudderPromptAnswer', text: '女' });
    expect(m.kind).toBe('INTERACTIVE');
  });

  it('wire: timestamps as digit strings are read; a message without msg_id is not', () => {
    expect(AirudderSessionMessage.parse({ ...base, timestamp: '1716965185' }).timestamp).toBe(1716965185);
    expect(AirudderSessionMessage.safeParse({ timestamp: 1 }).success).toBe(false);
    expect(AirudderSessionMessage.safeParse({ msg_id: 'x' }).success).toBe(false);
  });
});
