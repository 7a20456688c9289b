import type { MyscrmSourceConfig } from '../../sources/myscrm/source.js';
import type { SandboxVendor } from '../sandbox-vendor.js';
import { startEmulator } from '../server.js';
import {
  MYSCRM_EMPTY_CHAT,
  MYSCRM_LONG_CHAT,
  MYSCRM_SAMPLE_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
  myscrmSenderType,
  withTimeQuirks,
} from './data.js';
import { myscrmEmulator } from './emulator.js';
import { myscrmLiveFeed } from './live.js';
import { MYSCRM_EMULATOR_MAX_PAGE, type MyscrmQuirks, myscrmQuirks } from './quirks.js';

/** Not secrets: the sandbox's own made-up application and credential. */
export const MYSCRM_SANDBOX_APP_ID = 'sandbox-app';
export const MYSCRM_SANDBOX_AUTH_HEADER = 'x-myscrm-token';
export const MYSCRM_SANDBOX_TOKEN = 'sandbox-token-chatgraph';

export const myscrmSandbox: SandboxVendor<MyscrmSourceConfig, MyscrmQuirks> = {
  vendor: 'MYSCRM',
  quirks: myscrmQuirks,
  conversations: [
    { externalId: MYSCRM_SAMPLE_CHAT, description: "the vendor's sample record (a text message)" },
    {
      externalId: MYSCRM_LONG_CHAT,
      description: '5,300 records over 100+ days, every content type, recalls and keyword-rule hits',
    },
    { externalId: MYSCRM_EMPTY_CHAT, description: 'no records' },
    { externalId: 'sandbox-live', description: 'keeps receiving records: subscribe to it' },
  ],
  async start({ name, quirks, now }) {
    const live = myscrmLiveFeed();
    const chats = new Map<string, MyscrmWireRecord[]>();
    const inSeconds = new Set<string>();
    for (const [chatId, records] of myscrmSandboxChats(now)) {
      const kept = withTimeQuirks(records, quirks);
      chats.set(chatId, kept.records);
      for (const id of kept.inSeconds) inSeconds.add(id);
    }
    const emulator = await startEmulator(
      myscrmEmulator({
        chats,
        senderType: myscrmSenderType,
        inSeconds,
        quirks,
        live,
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
