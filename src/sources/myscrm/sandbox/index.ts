import { DAY_MS } from '../../../sandbox/dates.js';
import type { SandboxVendor } from '../../../sandbox/sandbox-vendor.js';
import { startEmulator } from '../../../sandbox/server.js';
import type { MyscrmSourceConfig } from '../config.js';
import {
  MYSCRM_EMPLOYEES,
  MYSCRM_EMPTY_CHAT,
  MYSCRM_LONG_CHAT,
  MYSCRM_SAMPLE_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
  myscrmSenderType,
  withTimeQuirks,
} from './data.js';
import { type MyscrmGroupChat, myscrmEmulator } from './emulator.js';
import { myscrmLiveFeed } from './live.js';
import { MYSCRM_EMULATOR_MAX_PAGE, type MyscrmQuirks, myscrmQuirks } from './quirks.js';

/** Not secrets: the sandbox's own made-up application and credential. */
export const MYSCRM_SANDBOX_APP_ID = 'sandbox-app';
export const MYSCRM_SANDBOX_AUTH_HEADER = 'x-myscrm-token';
export const MYSCRM_SANDBOX_TOKEN = 'sandbox-token-chatgraph';

/** The sandbox chats' names as the listing shows them. */
export const MYSCRM_SANDBOX_CHAT_NAMES: Readonly<Record<string, string>> = {
  [MYSCRM_SAMPLE_CHAT]: '售楼处咨询群',
  [MYSCRM_LONG_CHAT]: '翡翠湾业主服务群',
  [MYSCRM_EMPTY_CHAT]: '新盘意向客户群',
  'sandbox-live': '在线看房群',
};
/** Small, so that the store's walk of the listing pages (4 chats: 2 pages). */
const LIST_PAGE_SIZE = 2;

export const myscrmSandbox: SandboxVendor<MyscrmSourceConfig, MyscrmQuirks> = {
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
    // Every employee is in every chat; each chat was created a day before its first record.
    const firstTime = chats.get(MYSCRM_LONG_CHAT)?.[0]?.send_time ?? now ?? Date.UTC(2026, 0, 12);
    const groupChats = new Map<string, MyscrmGroupChat>(
      Object.entries(MYSCRM_SANDBOX_CHAT_NAMES).map(([chatId, name]) => [
        chatId,
        {
          name,
          createdAt: Math.floor(((chats.get(chatId)?.[0]?.send_time ?? firstTime) - DAY_MS) / 1000) * 1000,
          avatarUrl: null,
          members: MYSCRM_EMPLOYEES,
        },
      ]),
    );
    const emulator = await startEmulator(
      myscrmEmulator({
        chats,
        senderType: myscrmSenderType,
        inSeconds,
        quirks,
        live,
        groupChats,
        listPageSize: LIST_PAGE_SIZE,
        appId: MYSCRM_SANDBOX_APP_ID,
        auth: { header: MYSCRM_SANDBOX_AUTH_HEADER, value: `Bearer ${MYSCRM_SANDBOX_TOKEN}` },
      }),
    );
    return {
      emulator,
      live,
      listMembers: MYSCRM_EMPLOYEES.map((id) => ({ id, type: 'employee' as const })),
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
