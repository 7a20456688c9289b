import type { Vendor } from '../model/index.js';
import type { RunningEmulator } from './server.js';

/** What each vendor's sandbox folder exports: its emulator and the source config that reaches it. */
export interface SandboxVendor<Config> {
  vendor: Vendor;
  /** The conversations every sandbox of this vendor serves, for examples and tests to name. */
  conversations: Array<{ externalId: string; description: string }>;
  start(options: { name: string }): Promise<{ emulator: RunningEmulator; config: Config }>;
}
