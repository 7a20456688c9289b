/**
 * The one way chatgraph is put together. The CLI, the tests' harnesses, the bench and the soak
 * all call `composeChatgraph`, so they run the API as it ships and differ only in what they pass:
 * where the sources come from (a configuration, the sandbox, or sources made elsewhere), the
 * logger, the telemetry, the policy, page sharing and the store.
 */
import { type App, closeApp, createApp, type ServerPolicy } from './app.js';
import type { ChatgraphConfig } from './config/index.js';
import { createLogger, type Logger } from './logger.js';
import { type Sandbox, type SandboxOptions, startSandbox } from './sandbox/index.js';
import { createSources, VENDORS } from './sources/index.js';
import type { AnySource } from './sources/source.js';
import type { SourceConfig, SourceDeps, VendorDefinition } from './sources/vendor.js';
import type { StoreConfig } from './store/config.js';
import { createTelemetry, type Telemetry } from './telemetry/index.js';
import { type ChatgraphYoga, createChatgraphYoga, type YogaOptions } from './yoga.js';

/** Not a secret: sandbox cursors only need to be stable across restarts of the sandbox. */
export const SANDBOX_CURSOR_SECRET = 'chatgraph-sandbox-cursor-secret';

export interface ComposeOptions {
  /** The registry the API serves; the built-in vendors when absent. */
  vendors?: readonly VendorDefinition[];
  /**
   * Where the sources come from: a loaded configuration (its sources, cursor secret, policy and
   * store), or, without one, the sandbox started here with `sandbox`.
   */
  config?: ChatgraphConfig;
  /**
   * Without `config`: the sandbox to start (all of `vendors` by default), or one already started
   * (whose sources, store or policy the caller derived from it, and which it closes itself).
   */
  sandbox?: Omit<SandboxOptions, 'definitions'> | Sandbox;
  /** Rewrites the source configurations before the sources are made (tests: other settings, more sources). */
  configure?: (configs: SourceConfig[]) => SourceConfig[];
  /** Sources made elsewhere, served besides the configured ones (tests: a broken or in-memory source). */
  extraSources?: AnySource[];
  /** Defaults to JSON lines on stdout, with every vendor's secret fields redacted. */
  logger?: Logger;
  /** Defaults to a fresh registry; the sources report their vendor calls to it. */
  telemetry?: Telemetry;
  /** Over the configuration's policy. */
  policy?: Partial<ServerPolicy>;
  /** Defaults to the configuration's, or `SANDBOX_CURSOR_SECRET`. */
  cursorSecret?: string;
  /** See `createApp`: off only to measure one operation's own vendor calls. */
  sharePages?: boolean;
  /** A store to start (the configuration's when absent); null: none even if configured. */
  store?: StoreConfig | null;
  /** The sources' HTTP dispatcher and clock (see `SourceDeps`). */
  sourceDeps?: Omit<SourceDeps, 'logger' | 'telemetry'>;
  yoga?: YogaOptions;
}

export interface Chatgraph {
  app: App;
  yoga: ChatgraphYoga;
  /** The sandbox started for this API; null when it serves a configuration. */
  sandbox: Sandbox | null;
  /** The source configurations the sources were made from. */
  sourceConfigs: SourceConfig[];
  logger: Logger;
  /** Closes the app (sources, live walks, store), then the sandbox if it started it. */
  close(): Promise<void>;
}

export async function composeChatgraph(options: ComposeOptions = {}): Promise<Chatgraph> {
  const vendors = options.vendors ?? VENDORS;
  const logger = options.logger ?? createLogger({ secretFields: secretFieldsOf(vendors) });
  const { config } = options;
  const given = options.sandbox;
  const started = given && 'close' in given;
  const sandbox = config ? null : started ? given : await startSandbox({ ...given, definitions: vendors });
  const ownSandbox = started ? null : sandbox;
  const configured = config?.sources ?? sandbox?.sources ?? [];
  const sourceConfigs = options.configure ? options.configure(configured) : configured;
  const telemetry = options.telemetry ?? createTelemetry();
  const storeConfig = options.store === undefined ? config?.store : options.store;
  let store = null;
  try {
    // Loaded only when configured: without a store no database driver is ever loaded.
    store = storeConfig ? await (await import('./store/index.js')).startStore(storeConfig, logger) : null;
    const sources = [
      ...createSources(sourceConfigs, { ...options.sourceDeps, logger, telemetry }, vendors),
      ...(options.extraSources ?? []),
    ];
    const app = createApp({
      vendors,
      sources,
      cursorSecret: options.cursorSecret ?? config?.cursorSecret ?? SANDBOX_CURSOR_SECRET,
      logger,
      policy: { ...config?.policy, ...options.policy },
      knownConversations: sandbox?.conversations ?? [],
      telemetry,
      sharePages: options.sharePages,
      store,
    });
    return {
      app,
      yoga: createChatgraphYoga(app, options.yoga),
      sandbox,
      sourceConfigs,
      logger,
      async close() {
        await closeApp(app);
        await ownSandbox?.close();
      },
    };
  } catch (error) {
    await store?.close();
    await ownSandbox?.close();
    throw error;
  }
}

/** Every vendor's secret configuration fields, for the logger to redact wherever they appear. */
export function secretFieldsOf(vendors: readonly VendorDefinition[]): string[] {
  return [...new Set(vendors.flatMap((vendor) => vendor.secretFields))];
}
