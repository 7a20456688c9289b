import { z } from 'zod';
import type { AirudderSourceConfig } from '../../sources/airudder/source.js';
import type { SandboxVendor } from '../sandbox-vendor.js';
import { startEmulator } from '../server.js';
import { AIRUDDER_SAMPLE_SESSION, airudderSandboxSessions } from './data.js';
import { airudderEmulator } from './emulator.js';
import { airudderLiveFeed } from './live.js';

/** Not secrets: the sandbox's own made-up credentials. */
export const AIRUDDER_SANDBOX_SIGN_KEY = 'sandbox-airudder-sign-key';
export const AIRUDDER_SANDBOX_SIGN = 'sandbox-airudder-sign';

export const airudderSandbox: SandboxVendor<AirudderSourceConfig> = {
  vendor: 'AIRUDDER',
  // No quirks yet: the emulator is strict where the document is explicit.
  quirks: z.strictObject({}),
  conversations: [
    { externalId: AIRUDDER_SAMPLE_SESSION, description: "the vendor's sample session, 18 messages" },
    { externalId: 'sandbox-long', description: '5,200 messages over about 8 hours, every content type' },
    { externalId: 'sandbox-empty', description: 'no messages' },
    { externalId: 'sandbox-live', description: 'keeps receiving messages: subscribe to it' },
  ],
  async start({ name }) {
    const credentials = { signKey: AIRUDDER_SANDBOX_SIGN_KEY, sign: AIRUDDER_SANDBOX_SIGN };
    const live = airudderLiveFeed();
    const emulator = await startEmulator(
      airudderEmulator({ sessions: airudderSandboxSessions(), credentials, live }),
    );
    return {
      emulator,
      live,
      config: { vendor: 'AIRUDDER', name, baseUrl: emulator.baseUrl, ...credentials, pageSize: 50 },
    };
  },
};
