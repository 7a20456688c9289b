import { z } from 'zod';
import type { WechatStoreSourceConfig } from '../../sources/wechat-store/source.js';
import type { SandboxVendor } from '../sandbox-vendor.js';
import { startEmulator } from '../server.js';
import { WECHAT_STORE_SAMPLE_ROOM, wechatStoreSandboxRooms } from './data.js';
import { wechatStoreEmulator } from './emulator.js';
import { wechatStoreLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up back-office session. */
const SANDBOX_COOKIE = 'sandbox_session=chatgraph-sandbox';
const SANDBOX_BIZ_MAGIC = 'sandbox-biz-magic';

export const wechatStoreSandbox: SandboxVendor<WechatStoreSourceConfig> = {
  vendor: 'WECHAT_STORE',
  // No quirks yet: the emulator is strict where the document is explicit.
  quirks: z.strictObject({}),
  conversations: [
    { externalId: WECHAT_STORE_SAMPLE_ROOM, description: "the vendor's sample room, 30 messages" },
    { externalId: 'sandbox-long', description: '5,200 messages over 70+ days, every content type' },
    { externalId: 'sandbox-empty', description: 'no messages' },
    { externalId: 'sandbox-live', description: 'keeps receiving messages: subscribe to it' },
  ],
  async start({ name }) {
    const live = wechatStoreLiveFeed();
    const emulator = await startEmulator(
      wechatStoreEmulator({
        rooms: wechatStoreSandboxRooms(),
        cookie: SANDBOX_COOKIE,
        bizMagic: SANDBOX_BIZ_MAGIC,
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
