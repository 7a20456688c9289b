import type { z } from 'zod';
import type { ListMember } from '../sources/source.js';
import type { LiveFeed } from './live.js';
import type { QuirkSettings } from './quirks.js';
import type { RunningEmulator } from './server.js';

/** A vendor's sandbox (`VendorDefinition.sandbox`): its emulator and the source config that reaches it. */
export interface SandboxVendor<Config, Quirks = Record<string, never>> {
  /** The conversations every sandbox of this vendor serves, for examples and tests to name. */
  conversations: Array<{ externalId: string; description: string }>;
  /**
   * The behaviours this vendor's document leaves open, as a strict zod object over the raw quirk
   * strings (see `src/sandbox/quirks.ts`): an unknown quirk or a bad value is refused.
   */
  quirks: z.ZodType<Quirks, QuirkSettings>;
  /** `quirks` are already parsed with `this.quirks`; `{}` parses to the strict defaults. */
  start(options: {
    name: string;
    quirks: Quirks;
    /** Generated histories end the day before this instant (see `dates.ts`); fixed dates without it. */
    now?: number;
  }): Promise<{
    emulator: RunningEmulator;
    config: Config;
    // biome-ignore lint/suspicious/noExplicitAny: each vendor's live records have its own wire type.
    live?: LiveFeed<any>;
    /** Whose conversations the store lists at start-up, where the vendor has a listing. */
    listMembers?: ListMember[];
  }>;
}
