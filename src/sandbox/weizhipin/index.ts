import { z } from 'zod';
import type { WeizhipinSourceConfig } from '../../sources/weizhipin/source.js';
import type { SandboxVendor } from '../sandbox-vendor.js';
import { startEmulator } from '../server.js';
import {
  dayOfMs,
  WEIZHIPIN_EMPTY_CHAT,
  WEIZHIPIN_LIVE_CHAT,
  WEIZHIPIN_LONG_CHAT,
  WEIZHIPIN_LONG_DAYS,
  WEIZHIPIN_SAMPLE_CHAT,
  weizhipinSandboxChats,
} from './data.js';
import { WeizhipinEmulator } from './emulator.js';
import { weizhipinLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up app. */
export const WEIZHIPIN_SANDBOX_APP_ID = 'cli_sandbox_chatgraph';
export const WEIZHIPIN_SANDBOX_APP_SECRET = 'sandbox-app-secret';
/** Enough to reach all of `sandbox-long` by default. */
export const WEIZHIPIN_SANDBOX_LOOKBACK_DAYS = WEIZHIPIN_LONG_DAYS + 4;

export const weizhipinSandbox: SandboxVendor<WeizhipinSourceConfig> = {
  vendor: 'WEIZHIPIN',
  // No quirks yet: the emulator is strict where the document is explicit.
  quirks: z.strictObject({}),
  conversations: [
    {
      externalId: WEIZHIPIN_SAMPLE_CHAT,
      description:
        "the vendor's sample chat: one message on 2023-04-04, beyond the default lookback (pass filter.since)",
    },
    {
      externalId: WEIZHIPIN_LONG_CHAT,
      description: `5,000+ messages over the ${WEIZHIPIN_LONG_DAYS} days before today, with empty weeks, every content type`,
    },
    { externalId: WEIZHIPIN_EMPTY_CHAT, description: 'no messages' },
    { externalId: WEIZHIPIN_LIVE_CHAT, description: 'keeps receiving messages: subscribe to it' },
  ],
  async start({ name }) {
    const live = weizhipinLiveFeed();
    const emulator = new WeizhipinEmulator({
      live,
      chats: weizhipinSandboxChats(dayOfMs(Date.now())),
      appId: WEIZHIPIN_SANDBOX_APP_ID,
      appSecret: WEIZHIPIN_SANDBOX_APP_SECRET,
    });
    const running = await startEmulator(emulator.handler);
    return {
      emulator: running,
      live,
      config: {
        vendor: 'WEIZHIPIN',
        name,
        baseUrl: running.baseUrl,
        appId: WEIZHIPIN_SANDBOX_APP_ID,
        appSecret: WEIZHIPIN_SANDBOX_APP_SECRET,
        lookbackDays: WEIZHIPIN_SANDBOX_LOOKBACK_DAYS,
        // Gentler than the default (96): today is empty in the sandbox, so a first page opens this
        // many days at once. The default's two round trips matter for sparse chats, which the
        // sandbox's long chat is not (see BENCHMARKS.md for the sparse case at the default).
        windowConcurrency: 8,
        pageSize: 50,
      },
    };
  },
};
