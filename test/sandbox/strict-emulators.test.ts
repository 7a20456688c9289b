/**
 * The WeChat Shop and weizhipin emulators are as strict as their documents where those are
 * explicit, and no easier (issue 13, finding 11); their quirks pick among what the documents leave
 * open. The handlers are called directly: no HTTP is needed to read an answer.
 */
import { describe, expect, it } from 'vitest';
import type { EmulatorHandler, EmulatorRequest } from '../../src/sandbox/server.js';
import { wechatStoreSampleRecords } from '../../src/sources/wechat-store/sandbox/data.js';
import { wechatStoreEmulator } from '../../src/sources/wechat-store/sandbox/emulator.js';
import { weizhipinSampleRecords } from '../../src/sources/weizhipin/sandbox/data.js';
import {
  WEIZHIPIN_CODE_INVALID_PARAM,
  WeizhipinEmulator,
} from '../../src/sources/weizhipin/sandbox/emulator.js';

async function call(
  handler: EmulatorHandler,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = { method, url: new URL(url), headers, body, rawBody: JSON.stringify(body ?? '') };
  const response = await handler(request as EmulatorRequest);
  return { status: response.status, body: response.body as Record<string, unknown> };
}

describe('WeChat Shop emulator', () => {
  const records = wechatStoreSampleRecords();
  const ids = records.map((record) => record.msg_id);
  const shop = (quirks = {}) =>
    wechatStoreEmulator({ rooms: new Map([['r', records]]), cookie: 'c=1', bizMagic: 'm', quirks });
  const page = async (handler: EmulatorHandler, body: Record<string, unknown>) => {
    const answer = await call(
      handler,
      'POST',
      'http://x/shop/commkf/msg?action=get_room_msg',
      { cookie: 'c=1', biz_magic: 'm' },
      {
        room_id: 'r',
        msg_id: '18446744073709551616',
        op: 0,
        ...body,
      },
    );
    const list = (answer.body.list ?? null) as Array<{ msg_id: string }> | null;
    return {
      ret: (answer.body.base_resp as { ret: number }).ret,
      ids: list?.map((record) => record.msg_id) ?? null,
    };
  };

  it('takes the page size as limit only: num is not limit', async () => {
    expect(await page(shop(), { num: 5 })).toEqual({ ret: -2, ids: null });
    expect((await page(shop(), { limit: 5 })).ids).toEqual(ids.slice(0, 5));
  });

  it('caps limit at its page cap instead of refusing it', async () => {
    expect((await page(shop(), { limit: 500 })).ids).toEqual(ids);
    expect((await page(shop({ pageCap: 7 }), { limit: 30 })).ids).toEqual(ids.slice(0, 7));
  });

  it('pages from msg_id exclusively by default; inclusively and with repeats as quirks', async () => {
    const anchor = ids[4];
    expect((await page(shop(), { msg_id: anchor, limit: 3 })).ids).toEqual(ids.slice(5, 8));
    expect((await page(shop({ anchor: 'inclusive' }), { msg_id: anchor, limit: 3 })).ids).toEqual(
      ids.slice(4, 7),
    );
    expect((await page(shop({ repeat: 2 }), { msg_id: anchor, limit: 3 })).ids).toEqual(ids.slice(3, 6));
  });
});

describe('weizhipin emulator', () => {
  const chat = 'open_id:ou_7dab8a3d3cdcc9da365777c7ad535d62';
  async function vendor(quirks = {}) {
    const emulator = new WeizhipinEmulator({
      chats: new Map([[chat, weizhipinSampleRecords()]]),
      appId: 'a',
      appSecret: 's',
      quirks,
    });
    const token = await call(
      emulator.handler,
      'POST',
      'http://x/open-apis/auth/tenant_access_token/internal',
      {},
      {
        app_id: 'a',
        app_secret: 's',
      },
    );
    const bearer = `Bearer ${(token.body.data as { tenant_access_token: string }).tenant_access_token}`;
    return async (query: Record<string, string>) => {
      const params = new URLSearchParams({
        user_id_type: 'open_id',
        user_id: 'ou_7dab8a3d3cdcc9da365777c7ad535d62',
        start_time: '1680566400',
        end_time: '1680652800',
        message_type: 'text',
        ...query,
      });
      const answer = await call(emulator.handler, 'GET', `http://x/open-apis/im/v2/messages?${params}`, {
        authorization: bearer,
      });
      return answer.body as { code: number; data: Array<{ message_id: string }> | null };
    };
  }

  it('takes 10-digit seconds only: a 13-digit start_time is refused, not read as seconds', async () => {
    const messages = await vendor();
    expect((await messages({})).data).toHaveLength(1);
    expect((await messages({ start_time: '1680566400000' })).code).toBe(WEIZHIPIN_CODE_INVALID_PARAM);
    expect((await messages({ end_time: '1680652800000' })).code).toBe(WEIZHIPIN_CODE_INVALID_PARAM);
  });

  it('takes only the documented message types', async () => {
    const messages = await vendor();
    expect((await messages({ message_type: 'text,image,rich_text,new_rich_text,system_card' })).code).toBe(0);
    expect((await messages({ message_type: 'text,compressive_card' })).code).toBe(
      WEIZHIPIN_CODE_INVALID_PARAM,
    );
    expect((await messages({ message_type: 'anything' })).code).toBe(WEIZHIPIN_CODE_INVALID_PARAM);
  });

  it('starts a message_id page at the message, or after it with the exclusive quirk', async () => {
    const id = weizhipinSampleRecords()[0]?.message_id as string;
    expect((await (await vendor())({ message_id: id })).data?.map((r) => r.message_id)).toEqual([id]);
    expect((await (await vendor({ messageId: 'exclusive' }))({ message_id: id })).data).toEqual([]);
  });
});
