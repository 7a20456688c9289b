/**
 * The built-in sandbox: one emulator per vendor on a free loopback port, and the source
 * configuration that points the API at each of them.
 */
import type { Vendor } from '../model/index.js';
import { VENDORS } from '../sources/index.js';
import type { ListMember } from '../sources/source.js';
import type { SourceConfig, VendorDefinition } from '../sources/vendor.js';
import type { Faults } from './faults.js';
import type { LiveFeed } from './live.js';
import type { QuirkSpec } from './quirks.js';
import type { RunningEmulator } from './server.js';

/** Sandbox source names: the vendor id in kebab case (`SOME_VENDOR` → `some-vendor`). */
export const sandboxSourceName = (vendor: Vendor): string => vendor.toLowerCase().replaceAll('_', '-');

export interface SandboxConversation {
  source: string;
  vendor: Vendor;
  externalId: string;
  description: string;
}

export interface Sandbox {
  sources: SourceConfig[];
  emulators: Map<Vendor, RunningEmulator>;
  /** Each vendor's `sandbox-live` conversation: `append` to it, or let `liveIntervalMs` do it. */
  live?: Map<Vendor, LiveFeed>;
  /**
   * Makes the emulators whose vendor calls back POST to `<baseUrl>/webhooks/<source>` with
   * `secret` after each live message; returns the sources that will.
   */
  connectWebhooks?(baseUrl: string, secret: string): string[];
  conversations: SandboxConversation[];
  /** Per source: whose conversations the store lists at start-up (`store.sources.<name>.listMembers`). */
  listMembers?: Record<string, ListMember[]>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Only these vendors' emulators; all of `definitions` when absent. */
  vendors?: Vendor[];
  /** The registry the sandbox serves; the built-in one when absent. */
  definitions?: readonly VendorDefinition[];
  faults?: Faults;
  quirks?: QuirkSpec;
  /** Generated histories end the day before this instant (see `dates.ts`). */
  now?: number;
  /** A new message in every live conversation this often; 0 (default): only when appended. */
  liveIntervalMs?: number;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const definitions = options.definitions ?? VENDORS;
  const chosen = definitions
    .filter((definition) => !options.vendors || options.vendors.includes(definition.id))
    .map((definition) => ({ vendor: definition.id, sandbox: definition.sandbox }));
  const quirks = sandboxQuirks(definitions, chosen, options.quirks ?? {});
  const started = await Promise.all(
    chosen.map(async (item, index) => ({
      item,
      ...(await item.sandbox.start({
        name: sandboxSourceName(item.vendor),
        quirks: quirks[index],
        now: options.now,
      })),
    })),
  );
  for (const { emulator } of started) emulator.setMedia(true);
  if (options.faults) for (const { emulator } of started) emulator.setFaults(options.faults);
  const live = new Map(
    started.flatMap(({ item, live }) => (live ? [[item.vendor as Vendor, live] as const] : [])),
  );
  for (const feed of live.values()) feed.start(options.liveIntervalMs ?? 0);
  return {
    sources: started.map(({ config }) => config as SourceConfig),
    emulators: new Map(started.map(({ item, emulator }) => [item.vendor, emulator])),
    live,
    connectWebhooks(baseUrl, secret) {
      return [...live].flatMap(([vendor, feed]) => {
        if (!feed.envelope) return [];
        const source = sandboxSourceName(vendor);
        feed.connectWebhook(`${baseUrl}/webhooks/${source}`, secret);
        return [source];
      });
    },
    listMembers: Object.fromEntries(
      started.flatMap(({ item, listMembers }) =>
        listMembers ? [[sandboxSourceName(item.vendor), listMembers] as const] : [],
      ),
    ),
    conversations: started.flatMap(({ item }) =>
      item.sandbox.conversations.map((conversation) => ({
        source: sandboxSourceName(item.vendor),
        vendor: item.vendor,
        ...conversation,
      })),
    ),
    close: async () => {
      for (const feed of live.values()) feed.stop();
      await Promise.all(started.map(({ emulator }) => emulator.close()));
    },
  };
}

/**
 * Each chosen vendor's quirks, parsed by its own schema (in `chosen` order). Refuses quirks for a
 * source the sandbox does not have, so a typo cannot silently test the strict default.
 */
function sandboxQuirks(
  definitions: readonly VendorDefinition[],
  chosen: Array<{ vendor: Vendor; sandbox: VendorDefinition['sandbox'] }>,
  spec: QuirkSpec,
): unknown[] {
  const names = new Set(definitions.map((definition) => sandboxSourceName(definition.id)));
  for (const source of Object.keys(spec)) {
    if (!names.has(source)) {
      throw new Error(`Bad quirk: no sandbox source is named "${source}" (${[...names].join(', ')}).`);
    }
  }
  return chosen.map((item) => {
    const name = sandboxSourceName(item.vendor);
    const parsed = item.sandbox.quirks.safeParse(spec[name] ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Bad quirk for ${name}: ${issue?.path.join('.') || '(quirks)'}: ${issue?.message}`);
    }
    return parsed.data;
  });
}
