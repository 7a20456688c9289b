/**
 * The WeChat Shop sandbox's rooms: the vendor's sample room verbatim, and generated rooms whose
 * records have the sample's exact field set and encodings (ids and times as strings, content and
 * sender details as JSON inside strings).
 */
import { readFileSync } from 'node:fs';
import { sandboxStart } from '../../../sandbox/dates.js';
import { SANDBOX_MEDIA } from '../../../sandbox/media.js';
import { Random } from '../../../sandbox/random.js';

export type WechatStoreWireRecord = Record<string, unknown> & { msg_id: string };

export const WECHAT_STORE_SAMPLE_ROOM = '4370405345218887686';
export const WECHAT_STORE_KF_OPENID = 'o9cq80ztvAW8w_SVw40KSmh1XYqM';

/** The 30 records of the vendor's sample response, newest first, exactly as received. */
export function wechatStoreSampleRecords(): WechatStoreWireRecord[] {
  const url = new URL('./wechat-store.get_room_msg.sample.json', import.meta.url);
  const sample = JSON.parse(readFileSync(url, 'utf8')) as { list: WechatStoreWireRecord[] };
  return sample.list;
}

const CUSTOMER_LINES = [
  '你好，这个还有货吗？',
  '什么时候发货？',
  '可以便宜一点吗',
  '我想改一下收货地址',
  '收到了，质量不错',
  '尺码偏大还是偏小？',
  '好的，谢谢',
  '请问可以开发票吗',
  'Is international shipping available?',
  '在吗？',
];
const AGENT_LINES = [
  '亲，您好，有的哦',
  '今天下单，48小时内发货',
  '已经为您备注了',
  '好的，我这边帮您修改',
  '感谢您的支持～',
  '建议按平时尺码拍',
  '可以的，下单时填写抬头即可',
  '请稍后',
  'Yes, we ship to most countries.',
];
const PRODUCTS = [
  { product_id: '10000123456001', product_title: '纯棉短袖T恤 白色', price_wording: '¥59.00' },
  { product_id: '10000123456002', product_title: '保温杯 500ml', price_wording: '¥129.00' },
  { product_id: '10000123456003', product_title: '手工皂礼盒', price_wording: '¥88.00' },
];
const ORDER_STATES = ['待付款', '待发货', '已发货', '已完成', '售后中'];
// Served by the emulator itself (src/sandbox/media.ts); the vendor documents no signing.
const MEDIA_HOST = `${SANDBOX_MEDIA}/plain/wechat-store`;

interface Draft {
  direction: 1 | 2 | 3;
  msgType: number;
  content: Record<string, unknown>;
}

function draft(random: Random, index: number): Draft {
  const roll = random.next();
  const direction: 1 | 2 = random.chance(0.55) ? 1 : 2;
  if (roll < 0.62) {
    return {
      direction,
      msgType: 1,
      content: { content: random.pick(direction === 1 ? CUSTOMER_LINES : AGENT_LINES) },
    };
  }
  if (roll < 0.7) {
    const img = (size: string, width: number, height: number) => ({
      img_uri: { url: `${MEDIA_HOST}/img/${index}-${size}.jpg` },
      width,
      height,
    });
    return {
      direction,
      msgType: 3,
      content: { ld_img: img('ld', 120, 160), hd_img: img('hd', 600, 800), ori_img: img('ori', 1200, 1600) },
    };
  }
  if (roll < 0.75) {
    return {
      direction: 1,
      msgType: 34,
      content: {
        voice_uri: { url: `${MEDIA_HOST}/voice/${index}.silk` },
        play_length: random.int(1, 59),
        translated_word: random.chance(0.7) ? random.pick(CUSTOMER_LINES) : '',
      },
    };
  }
  if (roll < 0.78) {
    return {
      direction,
      msgType: 43,
      content: {
        video_uri: { url: `${MEDIA_HOST}/video/${index}.mp4` },
        cover_uri: { url: `${MEDIA_HOST}/video/${index}.jpg` },
        play_length: random.int(3, 120),
      },
    };
  }
  if (roll < 0.83) {
    const product = random.pick(PRODUCTS);
    return {
      direction,
      msgType: 49,
      content: {
        type: 13,
        content: JSON.stringify({
          ...product,
          product_img: `${MEDIA_HOST}/product/${product.product_id}.jpg`,
        }),
      },
    };
  }
  if (roll < 0.87) {
    const product = random.pick(PRODUCTS);
    return {
      direction: 1,
      msgType: 49,
      // The inner type arrives as a string here: public clients see both forms.
      content: {
        type: '14',
        content: JSON.stringify({
          order_id: `37${String(1_000_000_000 + index * 7919).padStart(17, '0')}`,
          state_wording: random.pick(ORDER_STATES),
          price_wording: product.price_wording,
          products: [
            {
              ...product,
              product_img: `${MEDIA_HOST}/product/${product.product_id}.jpg`,
              product_cnt: random.int(1, 3),
            },
          ],
        }),
      },
    };
  }
  if (roll < 0.93) {
    return {
      direction: 3,
      msgType: 24,
      content: { type: 'SessionTimeoutRedDot', content: '你已超过90秒未回复该会话，请及时处理。' },
    };
  }
  if (roll < 0.95) {
    return { direction: 3, msgType: 7, content: { type: 'TransferRoom', content: '会话已转接给其他客服' } };
  }
  if (roll < 0.975) {
    return {
      direction: 1,
      msgType: 47,
      content: { type: 47, emoji_md5: random.hex(), width: 240, height: 240 },
    };
  }
  return { direction, msgType: 49, content: { type: 33, appid: 'wx0000sandbox', title: '小程序卡片' } };
}

export interface GeneratedRoomOptions {
  roomId: string;
  seed: number;
  count: number;
  /** Epoch ms of the first message. */
  start: number;
}

/**
 * A room of `count` messages in customer-service sessions: bursts of messages seconds to minutes
 * apart, sessions hours apart, each closed by an `EndRoom` notice. Newest first, like the vendor.
 */
export function generateWechatStoreRoom(options: GeneratedRoomOptions): WechatStoreWireRecord[] {
  const random = new Random(options.seed);
  const customerOpenid = `o9cq80sandbox${random.hex(15)}`;
  const records: WechatStoreWireRecord[] = [];
  let time = options.start;
  let sessionLeft = 0;
  let sessionId = '';
  for (let index = 0; index < options.count; index++) {
    let item: Draft;
    if (sessionLeft === 0) {
      time += random.int(4, 14) * 3_600_000 + random.int(0, 3_599_999);
      sessionLeft = random.int(5, 45);
      sessionId = String(4380000000000000000n + BigInt(time));
    }
    sessionLeft--;
    if (sessionLeft === 0) {
      item = {
        direction: 3,
        msgType: 5,
        content: { type: 'EndRoom', content: '用户超时未回，会话已结束，两天内仍可再次联系' },
      };
    } else {
      item = draft(random, index);
    }
    // Several messages can share a second; ids keep them apart and in order.
    time += random.chance(0.2) ? random.int(1, 900) : random.int(1_000, 180_000);
    const msgId = String(4380000000000000000n + BigInt(time) * 1000n + BigInt(index % 1000));
    const fromShop = item.direction === 2;
    const content =
      item.direction === 3 ? { ...item.content, room_id: options.roomId, msg_id: msgId } : item.content;
    records.push({
      accept_by_robot: 0,
      client_ms: String(time - random.int(0, 120)),
      create_time: String(Math.floor(time / 1000)),
      create_time_ms: String(time),
      encrypt_msg_kf_content: '',
      extra_info: JSON.stringify(
        fromShop
          ? { head_img: `${MEDIA_HOST}/avatar/agent.png`, nickname: '小店客服' }
          : {
              head_img: `${MEDIA_HOST}/avatar/customer.png`,
              nickname: '沙盒顾客',
              list: [],
              qa_info_list: [],
            },
      ),
      id: String(index + 1),
      imunion_msg_id: `mmec-commkf-${msgId}`,
      is_delete: 0,
      is_fail: 0,
      is_hit_spam: 0,
      is_revoked: item.direction !== 3 && random.chance(0.03) ? 1 : 0,
      msg_direction: item.direction,
      msg_id: msgId,
      msg_kf_content: JSON.stringify(content),
      msg_type: item.msgType,
      properties: '0',
      qa_info_list: [],
      reply_type: 0,
      room_id: options.roomId,
      send_open_account: fromShop ? 'wx6df9d68a98ad0302' : '',
      send_openid: fromShop ? WECHAT_STORE_KF_OPENID : customerOpenid,
      send_scene: 6,
      session_id: item.direction === 3 ? '0' : sessionId,
      update_time: '0',
    });
  }
  return records.reverse();
}

/** Every room the sandbox serves, newest first within each. */
export function wechatStoreSandboxRooms(now?: number): Map<string, WechatStoreWireRecord[]> {
  return new Map([
    [WECHAT_STORE_SAMPLE_ROOM, wechatStoreSampleRecords()],
    [
      'sandbox-long',
      generateWechatStoreRoom({
        roomId: 'sandbox-long',
        seed: 20260105,
        count: 5_200,
        start: sandboxStart(Date.UTC(2026, 0, 5), Date.UTC(2026, 2, 31), now),
      }),
    ],
    ['sandbox-empty', []],
  ]);
}
