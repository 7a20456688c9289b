import { z } from 'zod';
import type { MyscrmSourceConfig } from '../../sources/myscrm/source.js';
import type { SandboxVendor } from '../sandbox-vendor.js';
import { startEmulator } from '../server.js';
import { MYSCRM_EMPTY_CHAT, MYSCRM_LONG_CHAT, MYSCRM_SAMPLE_CHAT, myscrmSandboxChats } from './data.js';
import { MYSCRM_EMULATOR_MAX_PAGE, myscrmEmulator } from './emulator.js';
import { myscrmLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up application and credential. */
export const MYSCRM_SANDBOX_APP_ID = 'sandbox-app';
export const MYSCRM_SANDBOX_AUTH_HEADER = 'x-myscrm-token';
export const MYSCRM_SANDBOX_TOKEN = 'sandbox-token-chatgraph';

export const myscrmSandbox: SandboxVendor<MyscrmSourceConfig> = {
  vendor: 'MYSCRM',
  // No quirks yet: the emulator is strict where the document is explicit.
  quirks: z.strictObject({}),
  conversations: [
    { externalId: MYSCRM_SAMPLE_CHAT, description: "the vendor's sample record (a text message)" },
    {
      externalId: MYSCRM_LONG_CHAT,
      description: '5,300 records over 100+ days, every content type, recalls and keyword-rule hits',
    },
    { externalId: MYSCRM_EMPTY_CHAT, description: 'no records' },
    { externalId: 'sandbox-live', description: 'keeps receiving records: subscribe to it' },
  ],
  async start({ name }) {
    const live = myscrmLiveFeed();
    const emulator = await startEmulator(
      myscrmEmulator({
        live,
        chats: myscrmSandboxChats(),
        appId: MYSCRM_SANDBOX_APP_ID,
        auth: { header: MYSCRM_SANDBOX_AUTH_HEADER, value: `Bearer ${MYSCRM_SANDBOX_TOKEN}` },
      }),
    );
    return {
      emulator,
      live,
      config: {
        vendor: 'MYSCRM',
        name,
        baseUrl: emulator.baseUrl,
        appId: MYSCRM_SANDBOX_APP_ID,
        auth: { header: MYSCRM_SANDBOX_AUTH_HEADER, scheme: 'Bearer', token: MYSCRM_SANDBOX_TOKEN },
        pageSize: MYSCRM_EMULATOR_MAX_PAGE,
      },
    };
  },
};
