import { z } from 'zod';
import { quirkBool, quirkInt } from '../../../sandbox/quirks.js';
import type { SandboxVendor } from '../../../sandbox/sandbox-vendor.js';
import { startEmulator } from '../../../sandbox/server.js';
import type { WechatStoreSourceConfig } from '../config.js';
import { WECHAT_STORE_SAMPLE_ROOM, wechatStoreSandboxRooms } from './data.js';
import { WECHAT_STORE_STRICT, type WechatStoreQuirks, wechatStoreEmulator } from './emulator.js';
import { wechatStoreLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up back-office session. */
const SANDBOX_COOKIE = 'sandbox_session=chatgraph-sandbox';
const SANDBOX_BIZ_MAGIC = 'sandbox-biz-magic';

export const wechatStoreSandbox: SandboxVendor<WechatStoreSourceConfig, WechatStoreQuirks> = {
  // What the material leaves open (see `WechatStoreQuirks`); strict defaults where it is explicit.
  quirks: z.strictObject({
    pageCap: quirkInt(1, 50).default(WECHAT_STORE_STRICT.pageCap),
    anchor: z.enum(['exclusive', 'inclusive']).default(WECHAT_STORE_STRICT.anchor),
    repeat: quirkInt(0, 10).default(WECHAT_STORE_STRICT.repeat),
    secondsOnly: quirkBool.default(WECHAT_STORE_STRICT.secondsOnly),
    syncList: z.enum(['list', 'msg_list', 'msgs']).default(WECHAT_STORE_STRICT.syncList),
    syncIdType: z.enum(['string', 'number']).default(WECHAT_STORE_STRICT.syncIdType),
    syncIdBig: quirkBool.default(WECHAT_STORE_STRICT.syncIdBig),
    syncStart: z.enum(['exclusive', 'inclusive']).default(WECHAT_STORE_STRICT.syncStart),
  }),
  conversations: [
    { externalId: WECHAT_STORE_SAMPLE_ROOM, description: "the vendor's sample room, 30 messages" },
    { externalId: 'sandbox-long', description: '5,200 messages over 70+ days, every content type' },
    { externalId: 'sandbox-empty', description: 'no messages' },
    { externalId: 'sandbox-live', description: 'keeps receiving messages: subscribe to it' },
  ],
  async start({ name, quirks, now }) {
    const live = wechatStoreLiveFeed();
    const emulator = await startEmulator(
      wechatStoreEmulator({
        rooms: wechatStoreSandboxRooms(now),
        cookie: SANDBOX_COOKIE,
        bizMagic: SANDBOX_BIZ_MAGIC,
        quirks,
        live,
      }),
    );
    return {
      emulator,
      live,
      config: {
        vendor: 'WECHAT_STORE',
        name,
        baseUrl: emulator.baseUrl,
        cookie: SANDBOX_COOKIE,
        bizMagic: SANDBOX_BIZ_MAGIC,
        pageSize: 50,
      },
    };
  },
};
