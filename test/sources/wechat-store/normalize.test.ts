import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeWechatStoreMessage } from '../../../src/sources/wechat-store/normalize.js';
import { WechatStoreRoomMsg } from '../../../src/sources/wechat-store/wire.js';

const sample = JSON.parse(
  readFileSync(
    new URL(
      '../../../src/sources/wechat-store/sandbox/wechat-store.get_room_msg.sample.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { list: Array<Record<string, unknown>> };

const warnings: Array<[string, Record<string, unknown>]> = [];
const ctx = {
  source: 'shop',
  conversation: '4370405345218887686',
  warn: (message: string, details: Record<string, unknown>) => warnings.push([message, details]),
};
const normalize = (raw: Record<string, unknown>) =>
  normalizeWechatStoreMessage(WechatStoreRoomMsg.parse(raw), raw, ctx);

const CUSTOMER = {
  role: 'CUSTOMER',
  externalId: 'o9cq809OURsuBMejp5COgJ1sF2nY',
  displayName: '妮妮🍀',
  avatarUrl: 'http://wx.qlogo.cn/mmhead/4h0Uv4XOMvPiaWsngB2C4fMPZJnHvYT3zbAibgjptZ60ric7ibEsYuyZvA/64',
};
// The agent's own account (`send_open_account`), not the shop's `send_openid` every agent shares.
const AGENT = {
  role: 'AGENT',
  externalId: 'wx6df9d68a98ad0302',
  displayName: '胃不疼',
  avatarUrl:
    'http://wx.qlogo.cn/mmhead/9UjCmequjUib9iciaPPn8DEjTPpYo7UGVNLWyWj1cYTnD3sibLesL6nsdjxE9d2iaWbnJonuUoPeekdY/96',
};
const SYSTEM = { role: 'SYSTEM', externalId: null, displayName: null, avatarUrl: null };

const S1 = '4370467553525153799';
const S2 = '4370448014358478852';
const S3 = '4370405371962261507';
const END = '用户超时未回，会话已结束，两天内仍可再次联系';
const overdue = (span: string) => `你已超过${span}未回复该会话，请及时处理。`;

// Read off the sample by hand: msg_id, create_time_ms, who, session, text or [notice, text].
const EXPECTED: Array<
  [string, number, typeof CUSTOMER | typeof SYSTEM, string | null, string | [string, string]]
> = [
  ['4370579409892622341', 1770098433268, SYSTEM, null, ['EndRoom', END]],
  ['4370569330493079552', 1770097832524, AGENT, S1, '051683'],
  ['4370569251305553929', 1770097827799, AGENT, S1, '18016'],
  ['4370568100754849796', 1770097759286, AGENT, S1, '请稍后'],
  ['4370567134657839104', 1770097701606, SYSTEM, null, ['SessionTimeoutRedDot', overdue('90秒')]],
  [
    '4370565605479940106',
    1770097610340,
    CUSTOMER,
    S1,
    '不可能，乱弹琴。\n把你们的电话给我，我来加你们的微信。',
  ],
  ['4370560419963060227', 1770097301405, AGENT, S1, '加不到您，该用户不存在'],
  ['4370556434500190212', 1770097063890, AGENT, S1, '我们安装人员联系您'],
  ['4370556203429658635', 1770097050039, AGENT, S1, '好的'],
  ['4370477653207400456', 1770092368068, SYSTEM, null, ['SessionTimeoutRedDot', overdue('10分钟')]],
  ['4370470599731183616', 1770091947649, SYSTEM, null, ['SessionTimeoutRedDot', overdue('3分钟')]],
  [
    '4370469305519751177',
    1770091870424,
    CUSTOMER,
    S1,
    '发个店铺地址给我有这么难吗？你们定制不是顾客都进店铺定制吗？',
  ],
  ['4370469081426345992', 1770091857165, SYSTEM, null, ['SessionTimeoutRedDot', overdue('90秒')]],
  ['4370467910243876868', 1770091787249, CUSTOMER, S1, '加我微信。'],
  [
    '4370467544196366340',
    1770091765442,
    CUSTOMER,
    S1,
    '你们打我电话，是因为我开了免。免骚扰电话所以你们打不进，现在你们有电话了，可以加个微信了。',
  ],
  ['4370460468272513029', 1770091343813, SYSTEM, null, ['EndRoom', END]],
  ['4370450381339574277', 1770090743027, AGENT, S2, '麻烦可以在提供一下吗？'],
  ['4370449979725447169', 1770090718634, AGENT, S2, '不好意思，我们打您的电话是空号'],
  ['4370449539642425356', 1770090692354, SYSTEM, null, ['SessionTimeoutRedDot', overdue('90秒')]],
  [
    '4370448004292853761',
    1770090600774,
    CUSTOMER,
    S2,
    '你们店铺的地址到现在还没告诉我在哪里？现在要我评价店铺服务，有这么做法吗？',
  ],
  ['4370424118973399046', 1770089177194, SYSTEM, null, ['EndRoom', END]],
  ['4370414037546270721', 1770088576507, AGENT, S3, '好的，我已经安排老师加您，她会详细跟您介绍。'],
  ['4370414024576073735', 1770088575418, CUSTOMER, S3, '请留你们的地址，我过来。'],
  ['4370413979731181570', 1770088572829, SYSTEM, null, ['SessionTimeoutRedDot', overdue('90秒')]],
  ['4370412865285603334', 1770088506305, CUSTOMER, S3, '请留个地址？'],
  ['4370412456962506752', 1770088481980, CUSTOMER, S3, '13341774411，严。'],
  ['4370409947831222274', 1770088332542, AGENT, S3, '方便留个☎️'],
  ['4370409272077778944', 1770088292222, SYSTEM, null, ['SessionTimeoutRedDot', overdue('3分钟')]],
  ['4370408312268144644', 1770088234938, CUSTOMER, S3, '在什么路上？'],
  ['4370407754730274821', 1770088201799, SYSTEM, null, ['SessionTimeoutRedDot', overdue('90秒')]],
];

describe('normalizeWechatStoreMessage: the fields issue 13 found dropped', () => {
  const agentRecord = sample.list[1] as Record<string, unknown>;

  it('maps is_delete, is_fail, is_hit_spam, accept_by_robot, reply_type and qa_info_list', () => {
    expect(normalize(agentRecord)).toMatchObject({
      deleted: false,
      failed: false,
      spamBlocked: false,
      acceptedByRobot: false,
      replyType: 0,
      qaInfo: [],
    });
    const flagged = normalize({
      ...agentRecord,
      is_delete: 1,
      is_fail: '1',
      is_hit_spam: 1,
      reply_type: 2,
      qa_info_list: [{ question: 'q', answer: 'a' }],
    });
    expect(flagged).toMatchObject({
      deleted: true,
      failed: true,
      spamBlocked: true,
      replyType: 2,
      qaInfo: [{ question: 'q', answer: 'a' }],
    });
  });

  it('gives a shop-side message the robot handled the BOT role, and says null where the vendor is silent', () => {
    const bot = normalize({ ...agentRecord, accept_by_robot: 1, send_open_account: '' });
    expect(bot.sender).toMatchObject({ role: 'BOT', externalId: 'o9cq80ztvAW8w_SVw40KSmh1XYqM' });
    expect(bot.acceptedByRobot).toBe(true);
    const customer = normalize({ ...(sample.list[5] as Record<string, unknown>), accept_by_robot: 1 });
    expect(customer.sender.role).toBe('CUSTOMER');
    const bare = normalize({ msg_id: '1', create_time: '1', msg_direction: 2 });
    expect(bare).toMatchObject({
      deleted: null,
      failed: null,
      spamBlocked: null,
      acceptedByRobot: null,
      replyType: null,
      qaInfo: null,
    });
  });
});

describe('normalizeWechatStoreMessage on the vendor sample', () => {
  it('maps all 30 records field by field', () => {
    warnings.length = 0;
    const messages = sample.list.map(normalize);
    expect(messages).toHaveLength(30);
    messages.forEach((message, index) => {
      const [msgId, sentAt, sender, sessionId, body] = EXPECTED[index] as (typeof EXPECTED)[number];
      const content =
        typeof body === 'string'
          ? { __typename: 'TextContent', text: body }
          : { __typename: 'WechatStoreSystemNotice', noticeType: body[0], text: body[1] };
      expect(message).toEqual({
        vendor: 'WECHAT_STORE',
        source: 'shop',
        conversation: '4370405345218887686',
        externalId: msgId,
        sentAt,
        sender,
        kind: typeof body === 'string' ? 'TEXT' : 'SYSTEM',
        text: typeof body === 'string' ? body : body[1],
        recalled: false,
        content,
        raw: sample.list[index],
        sessionId,
        // Every sample record is flagged 0 on each, with an empty qa_info_list.
        deleted: false,
        failed: false,
        spamBlocked: false,
        acceptedByRobot: false,
        replyType: 0,
        qaInfo: [],
      });
    });
    expect(warnings).toEqual([]);
  });

  it('keeps the record exactly as received in raw, JSON-in-string fields included', () => {
    const first = sample.list[0] as Record<string, unknown>;
    expect(normalize(first).raw).toBe(first);
    expect(typeof (normalize(first).raw as Record<string, unknown>).msg_kf_content).toBe('string');
  });
});

/** A record of the sample's shape with other content, for the types the sample does not show. */
function record(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...(sample.list[1] as Record<string, unknown>), ...overrides };
}

describe('normalizeWechatStoreMessage on the other content types', () => {
  it('reads an image with its three sizes: the largest as the picture, the smallest as thumbnail', () => {
    const message = normalize(
      record({
        msg_type: 3,
        msg_kf_content: JSON.stringify({
          ld_img: { img_uri: { url: 'https://img/ld.jpg' }, width: 120, height: 160 },
          hd_img: { img_uri: { url: 'https://img/hd.jpg' }, width: 600, height: 800 },
          ori_img: { img_uri: { url: 'https://img/ori.jpg' }, width: 1200, height: 1600 },
        }),
      }),
    );
    expect(message.kind).toBe('IMAGE');
    expect(message.text).toBeNull();
    expect(message.content).toEqual({
      __typename: 'ImageContent',
      url: 'https://img/ori.jpg',
      thumbnailUrl: 'https://img/ld.jpg',
      width: 1200,
      height: 1600,
      expiresAt: null,
    });
  });

  it('reads a voice message with its transcript as the text', () => {
    const message = normalize(
      record({
        msg_type: 34,
        msg_kf_content: JSON.stringify({
          voice_uri: { url: 'https://v/1.silk' },
          play_length: 7,
          translated_word: '在吗',
        }),
      }),
    );
    expect(message.kind).toBe('AUDIO');
    expect(message.text).toBe('在吗');
    expect(message.content).toEqual({
      __typename: 'AudioContent',
      url: 'https://v/1.silk',
      durationSeconds: 7,
      transcript: '在吗',
      expiresAt: null,
    });
  });

  it('reads a video whose address is a plain string', () => {
    const message = normalize(
      record({
        msg_type: 43,
        msg_kf_content: JSON.stringify({ video_uri: 'https://v/1.mp4', play_length: '15' }),
      }),
    );
    expect(message.content).toEqual({
      __typename: 'VideoContent',
      url: 'https://v/1.mp4',
      thumbnailUrl: null,
      durationSeconds: 15,
      expiresAt: null,
    });
  });

  it('reads product and order cards whether the inner type is a number or a string', () => {
    const product = normalize(
      record({
        msg_type: 49,
        msg_kf_content: JSON.stringify({
          type: 13,
          content: JSON.stringify({
            product_id: 10000123456001,
            product_title: '保温杯',
            price_wording: '¥129.00',
          }),
        }),
      }),
    );
    expect(product.kind).toBe('CARD');
    expect(product.text).toBe('保温杯 · ¥129.00');
    expect(product.content).toEqual({
      __typename: 'WechatStoreProductCard',
      productId: '10000123456001',
      title: '保温杯',
      imageUrl: null,
      priceText: '¥129.00',
    });

    const order = normalize(
      record({
        msg_type: 49,
        msg_kf_content: JSON.stringify({
          type: '14',
          content: JSON.stringify({
            order_id: '3718001',
            state_wording: '待发货',
            price_wording: '¥59.00',
            products: [
              { product_id: '1', product_title: 'T恤', product_img: 'https://p/1.jpg', product_cnt: 2 },
            ],
          }),
        }),
      }),
    );
    expect(order.text).toBe('待发货 · T恤 · ¥59.00');
    expect(order.content).toEqual({
      __typename: 'WechatStoreOrderCard',
      orderId: '3718001',
      stateText: '待发货',
      priceText: '¥59.00',
      products: [{ productId: '1', title: 'T恤', imageUrl: 'https://p/1.jpg', quantity: 2 }],
    });
  });

  it('shows any other system notice type as a notice', () => {
    const message = normalize(
      record({
        msg_type: 7,
        msg_direction: 3,
        msg_kf_content: JSON.stringify({ type: 'TransferRoom', content: '已转接' }),
      }),
    );
    expect(message.sender).toEqual(SYSTEM);
    expect(message.content).toEqual({
      __typename: 'WechatStoreSystemNotice',
      noticeType: 'TransferRoom',
      text: '已转接',
    });
  });

  it('shows unknown content as UnsupportedContent with its payload, never dropping it', () => {
    const payload = { type: 47, emoji_md5: 'abc' };
    const message = normalize(record({ msg_type: 47, msg_kf_content: JSON.stringify(payload) }));
    expect(message.kind).toBe('UNSUPPORTED');
    expect(message.text).toBeNull();
    expect(message.content).toEqual({ __typename: 'UnsupportedContent', vendorType: '47', raw: payload });

    const garbled = normalize(record({ msg_type: 1, msg_kf_content: '{not json' }));
    expect(garbled.content).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'msg_type:1',
      raw: '{not json',
    });
  });

  it('maps is_revoked to recalled, and an unknown direction to UNKNOWN with a warning', () => {
    warnings.length = 0;
    expect(normalize(record({ is_revoked: 1 })).recalled).toBe(true);
    const odd = normalize(record({ msg_direction: 9 }));
    expect(odd.sender.role).toBe('UNKNOWN');
    expect(warnings).toEqual([['unknown msg_direction', { msgId: '4370569330493079552', msgDirection: 9 }]]);
  });

  it('falls back to create_time in seconds when create_time_ms is missing', () => {
    const { create_time_ms: _dropped, ...rest } = record({});
    expect(normalize(rest).sentAt).toBe(1770097832000);
  });
});
