import type { SandboxVendor } from '../../../sandbox/sandbox-vendor.js';
import { startEmulator } from '../../../sandbox/server.js';
import type { AirudderSourceConfig } from '../config.js';
import { AIRUDDER_SAMPLE_SESSION, airudderSandboxSessions } from './data.js';
import { airudderEmulator } from './emulator.js';
import { airudderLiveFeed } from './live.js';
import { AIRUDDER_EMULATOR_MAX_SIZE, type AirudderQuirks, airudderQuirks } from './quirks.js';

/** Not secrets: the sandbox's own made-up credentials. */
export const AIRUDDER_SANDBOX_SIGN_KEY = 'sandbox-airudder-sign-key';
export const AIRUDDER_SANDBOX_SIGN = 'sandbox-airudder-sign';

export const airudderSandbox: SandboxVendor<AirudderSourceConfig, AirudderQuirks> = {
  quirks: airudderQuirks,
  conversations: [
    { externalId: AIRUDDER_SAMPLE_SESSION, description: "the vendor's sample session, 18 messages" },
    { externalId: 'sandbox-long', description: '5,200 messages over about 8 hours, every content type' },
    { externalId: 'sandbox-empty', description: 'no messages' },
    { externalId: 'sandbox-live', description: 'keeps receiving messages: subscribe to it' },
  ],
  async start({ name, quirks, now }) {
    const credentials = { signKey: AIRUDDER_SANDBOX_SIGN_KEY, sign: AIRUDDER_SANDBOX_SIGN };
    const live = airudderLiveFeed();
    const emulator = await startEmulator(
      airudderEmulator({
        sessions: airudderSandboxSessions({ unsorted: quirks.unsorted, now }),
        credentials,
        quirks,
        live,
      }),
    );
    return {
      emulator,
      live,
      config: {
        vendor: 'AIRUDDER',
        name,
        baseUrl: emulator.baseUrl,
        ...credentials,
        pageSize: AIRUDDER_EMULATOR_MAX_SIZE,
      },
    };
  },
};
