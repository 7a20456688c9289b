import { z } from 'zod';
import type { SandboxVendor } from '../../../sandbox/sandbox-vendor.js';
import { startEmulator } from '../../../sandbox/server.js';
import type { WeizhipinSourceConfig } from '../config.js';
import {
  dayOfMs,
  WEIZHIPIN_EMPTY_CHAT,
  WEIZHIPIN_LIVE_CHAT,
  WEIZHIPIN_LONG_CHAT,
  WEIZHIPIN_LONG_DAYS,
  WEIZHIPIN_SAMPLE_CHAT,
  weizhipinSandboxChats,
} from './data.js';
import { WEIZHIPIN_QUIRKS_DEFAULT, WeizhipinEmulator, type WeizhipinQuirks } from './emulator.js';
import { weizhipinLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up app. */
export const WEIZHIPIN_SANDBOX_APP_ID = 'cli_sandbox_chatgraph';
export const WEIZHIPIN_SANDBOX_APP_SECRET = 'sandbox-app-secret';
/** Enough to reach all of `sandbox-long` by default. */
export const WEIZHIPIN_SANDBOX_LOOKBACK_DAYS = WEIZHIPIN_LONG_DAYS + 4;

type WeizhipinSandboxQuirks = WeizhipinQuirks & {
  tokenShape: 'nested' | 'top-level';
  invalidTokenStatus: number;
};

export const weizhipinSandbox: SandboxVendor<WeizhipinSourceConfig, WeizhipinSandboxQuirks> = {
  // Where the documentation is silent (see `WeizhipinQuirks`); strict where it is explicit.
  quirks: z.strictObject({
    messageId: z.enum(['inclusive', 'exclusive']).default(WEIZHIPIN_QUIRKS_DEFAULT.messageId),
    endTime: z.enum(['inclusive', 'exclusive']).default(WEIZHIPIN_QUIRKS_DEFAULT.endTime),
    order: z.enum(['ascending', 'descending']).default(WEIZHIPIN_QUIRKS_DEFAULT.order),
    /** Where the token answer puts its fields: the field table and the example disagree. */
    tokenShape: z.enum(['nested', 'top-level']).default('nested'),
    /** The HTTP status of an invalid-token answer (Lark-style: 200 with a body code). */
    invalidTokenStatus: z.enum(['200', '400', '401']).default('200').transform(Number),
  }),
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
  async start({ name, quirks }) {
    const live = weizhipinLiveFeed();
    const { tokenShape, invalidTokenStatus, ...wire } = quirks;
    const emulator = new WeizhipinEmulator({
      live,
      quirks: wire,
      tokenShape,
      invalidTokenStatus: invalidTokenStatus as 200 | 400 | 401,
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
