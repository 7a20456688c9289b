/**
 * The `chatgraph` command (`bin/chatgraph.js`; `npm start` is `chatgraph serve`):
 *
 *   chatgraph serve [--config <file>] [--host H] [--port N] [--faults <spec>] [--quirks <spec>]
 *   chatgraph print-schema [--subgraph]
 *   chatgraph export --source <name> --conversation <id> [--format jsonl|csv|html] [--out <file>] …
 *
 * `main` returns an exit code instead of exiting, and `serve` returns the running server, so that
 * tests drive both in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Chatgraph, composeChatgraph, secretFieldsOf } from './compose.js';
import { ConfigError, loadConfig } from './config/index.js';
import type { Env } from './config/secret.js';
import { ExportError, exportConversation } from './export/export.js';
import { EXPORT_FORMATS, type ExportFormat } from './export/formats.js';
import { terminalProgress } from './export/progress.js';
import { encodeNodeId } from './ids.js';
import { serveGraphQLWs } from './live/websocket.js';
import { createLogger, type Logger } from './logger.js';
import { operationsHandler } from './plugins/operations-endpoints.js';
import { type Faults, parseFaults } from './sandbox/faults.js';
import { type Sandbox, startSandbox } from './sandbox/index.js';
import { parseQuirks, type QuirkSpec } from './sandbox/quirks.js';
import { listen, listenOperations } from './server.js';
import { VENDORS } from './sources/index.js';
import type { StoreConfig } from './store/config.js';
import { primeStore } from './store/prime.js';
import { createTelemetry } from './telemetry/index.js';
import { startTracing, type TracingMode } from './telemetry/otel-sdk.js';

/** Where the command writes and what it reads; the process's own by default. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Env;
  /** stderr is a terminal: `export` draws its progress bar there. */
  stderrIsTerminal?: boolean;
}

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTerminal: process.stderr.isTTY === true,
};

const HELP = `Usage: chatgraph <command> [options]

One GraphQL API over the chat histories of customer-service and IM vendors.

Commands:
  serve          Serve the API (the built-in sandbox unless --config is given)
  print-schema   Print the GraphQL schema (SDL) on stdout
  export         Write a whole conversation to a file (JSON lines, CSV or HTML), resumably
  store          Migrate, inspect or purge the store (listing, search, archives)

Options:
  -h, --help     Show this help; \`chatgraph <command> --help\` shows a command's options

Configuration reference: docs/configuration.md
`;

const SERVE_HELP = `Usage: chatgraph serve [--config <file>] [--host <h>] [--port <n>] [--faults <spec>] [--quirks <spec>]
                       [--live-interval <ms>] [--store <file>|off]

Serves GraphQL at /graphql (GraphiQL in a browser), liveness at /health, readiness (every source
answers) at /readiness and Prometheus metrics at /metrics. Without a configuration file it starts
one sandbox emulator per vendor on loopback and serves those, open (no API key).

Options:
  -c, --config <file>   Configuration file (JSON; see docs/configuration.md). Env: CHATGRAPH_CONFIG
      --host <h>        Interface to listen on. Env: HOST. Default: the file's "host", else
                        0.0.0.0; the sandbox (no --config): 127.0.0.1
  -p, --port <n>        Port to listen on (0: any free port). Env: PORT. Default: the file's
                        "port", else 4000
      --faults <spec>   Sandbox only: make the emulators misbehave, e.g.
                        latency=20,jitter=10,error=0.05,429=0.05,retryAfter=1,hang=0.01,
                        malformed=0.02,truncated=0.02,wrongType=0.02,seed=7
                        Env: CHATGRAPH_SANDBOX_FAULTS
      --quirks <spec>   Sandbox only: make the emulators take the liberties their vendor's
                        document allows, as <source>.<quirk>[=<value>], e.g.
                        <source>.pageCap=30 (see docs/configuration.md for each
                        source's quirks). Env: CHATGRAPH_SANDBOX_QUIRKS
      --live-interval <ms>
                        Sandbox only: how often each emulator's sandbox-live conversation
                        receives a message (0: never). Env: CHATGRAPH_SANDBOX_LIVE_MS.
                        Default: 3000
      --store <file>    Sandbox only: the SQLite store that lists and searches the sandbox's
                        conversations and archives every sandbox source; "off" for none.
                        Default: a new file in a temp dir, removed at exit. Env: CHATGRAPH_STORE
  -h, --help            Show this help

Environment:
  LOG_LEVEL                     pino level (default info; debug logs every vendor call)
  OTEL_EXPORTER_OTLP_ENDPOINT   Export OpenTelemetry spans over OTLP/HTTP to this collector
                                (the other OTEL_EXPORTER_OTLP_* variables apply too)
  CHATGRAPH_OTEL=console        Print spans on stdout instead (no collector needed)
  OTEL_SERVICE_NAME             Service name on the spans (default chatgraph)
`;

const PRINT_SCHEMA_HELP = `Usage: chatgraph print-schema [--subgraph]

Prints the GraphQL schema clients see, as sorted SDL, on stdout.

Options:
      --subgraph   Print the Apollo Federation subgraph SDL instead
  -h, --help       Show this help
`;

/**
 * Keeps a server up when a promise that nothing awaits rejects (work a library started and
 * abandoned): Node would end the process, and every client's requests with it. The rejection is
 * logged as an error instead. Returns the listener's removal.
 */
export function logUnhandledRejections(
  logger: Logger,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): () => void {
  const listener = (reason: unknown) => logger.error({ err: reason }, 'unhandled rejection');
  target.on('unhandledRejection', listener);
  return () => target.off('unhandledRejection', listener);
}

/** A command line that cannot be run as given: shown with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve': {
        const parsed = parseServeArgs(args, io.env);
        if (parsed === 'help') return help(io, SERVE_HELP);
        // The command line gives the sandbox a store unless told not to; `serve()` itself does not.
        const running = await serve({ ...parsed, store: parsed.store ?? 'temp' }, io);
        logUnhandledRejections(running.logger);
        const stop = async () => {
          await running.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        return 0;
      }
      case 'print-schema':
        return await printSchemaCommand(args, io);
      case 'export':
        return await exportCommand(args, io);
      case 'store': {
        const { storeCommand } = await import('./store/cli.js');
        return await storeCommand(args, io, (message) => new UsageError(message));
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        return help(io, HELP);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const known = ['serve', 'print-schema', 'export', 'store'].includes(command ?? '');
      io.stderr(
        `chatgraph: ${error.message}\nRun \`chatgraph ${known ? `${command} ` : ''}--help\` for usage.\n`,
      );
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    io.stderr(`chatgraph failed to start: ${(error as Error).message}\n`);
    return 1;
  }
}

function help(io: CliIo, text: string): number {
  io.stdout(text);
  return 0;
}

/** `parseArgs` with its errors (unknown option, missing value) as usage errors. */
function parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface ServeOptions {
  /** Configuration file; the sandbox when absent. */
  config?: string;
  /** Overrides the file's port. */
  port?: number;
  /** Overrides the file's host. */
  host?: string;
  /** Sandbox faults. */
  faults?: Faults;
  /** Sandbox quirks. */
  quirks?: QuirkSpec;
  /** How often the sandbox's live conversations receive a message (ms; 0: never). */
  liveIntervalMs?: number;
  /** The environment: secrets, `LOG_LEVEL`, `OTEL_*`. */
  env: Env;
  /** Where logs go (stdout by default). */
  logger?: Logger;
  /** Sandbox only: the SQLite store's file, `temp` for a new one removed at close, `off` or absent for none. */
  store?: string;
}

/** `serve`'s flags, with the environment variables that stand in for them. */
export function parseServeArgs(args: string[], env: Env): ServeOptions | 'help' {
  const { values } = parse({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      faults: { type: 'string' },
      quirks: { type: 'string' },
      'live-interval': { type: 'string' },
      store: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const config = values.config ?? (env.CHATGRAPH_CONFIG || undefined);
  const portText = values.port ?? (env.PORT || undefined);
  const faultsText = values.faults ?? (env.CHATGRAPH_SANDBOX_FAULTS || undefined);
  const quirksText = values.quirks ?? (env.CHATGRAPH_SANDBOX_QUIRKS || undefined);
  const liveText = values['live-interval'] ?? (env.CHATGRAPH_SANDBOX_LIVE_MS || undefined);
  const store = values.store ?? (env.CHATGRAPH_STORE || undefined);
  for (const flag of ['faults', 'quirks', 'live-interval', 'store'] as const) {
    if (config && values[flag] !== undefined) {
      throw new UsageError(`--${flag} applies to the sandbox only; leave out --config to use it.`);
    }
  }
  return {
    config,
    port: portText === undefined ? undefined : parsePort(portText),
    host: values.host ?? (env.HOST || undefined),
    // The variable may be set for a whole environment; with a configuration it does not apply.
    faults: faultsText === undefined || config ? undefined : parseFaultsSpec(faultsText),
    quirks: quirksText === undefined || config ? undefined : parseQuirksSpec(quirksText),
    liveIntervalMs: liveText === undefined || config ? undefined : parseInterval(liveText),
    ...(store === undefined || config ? {} : { store }),
    env,
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65_535) throw new UsageError(`Not a port: "${text}" (0 to 65535).`);
  return port;
}

function parseInterval(text: string): number {
  if (!/^\d{1,7}$/.test(text)) throw new UsageError(`Not an interval in ms: "${text}" (0 to 9999999).`);
  return Number(text);
}

function parseFaultsSpec(spec: string): Faults {
  try {
    return parseFaults(spec);
  } catch (error) {
    throw new UsageError(`Bad --faults / CHATGRAPH_SANDBOX_FAULTS: ${(error as Error).message}`);
  }
}

function parseQuirksSpec(spec: string): QuirkSpec {
  try {
    return parseQuirks(spec);
  } catch (error) {
    throw new UsageError(`Bad --quirks / CHATGRAPH_SANDBOX_QUIRKS: ${(error as Error).message}`);
  }
}

/** A new message in each sandbox-live conversation this often, unless told otherwise. */
const SANDBOX_LIVE_INTERVAL_MS = 3_000;

/** Not a secret: the sandbox emulators' callbacks carry it to the sandbox's own server. */
const SANDBOX_WEBHOOK_SECRET = 'chatgraph-sandbox-webhook-secret';

export interface RunningServer {
  /** `http://localhost:<port>`. */
  url: string;
  server: Server;
  tracing: TracingMode;
  logger: Logger;
  /**
   * Resolves when the sandbox store has read the sandbox conversations once and the vendors'
   * listings were walked (`listMembers`); null: no store.
   */
  primed: Promise<void> | null;
  /** Stops listening, closes the sources and the sandbox, flushes spans. */
  close(): Promise<void>;
}

export async function serve(options: ServeOptions, io: CliIo = PROCESS_IO): Promise<RunningServer> {
  const { env } = options;
  const logger =
    options.logger ?? createLogger({ level: env.LOG_LEVEL, secretFields: secretFieldsOf(VENDORS) });
  const tracing = await startTracing(env);

  const config = options.config ? loadConfig(options.config, env) : undefined;
  // The open sandbox is for the machine it runs on: never on every interface unless asked.
  const port = options.port ?? config?.port ?? 4000;
  const host = options.host ?? config?.host ?? '127.0.0.1';
  // Generated histories end yesterday, so "the last week" has messages (src/sandbox/dates.ts).
  const sandbox = config
    ? null
    : await startSandbox({
        faults: options.faults,
        quirks: options.quirks,
        now: Date.now(),
        liveIntervalMs: options.liveIntervalMs ?? SANDBOX_LIVE_INTERVAL_MS,
      });
  const sandboxStore = sandbox && sandboxStoreOf(sandbox, options.store);
  const removeStoreDir = () => {
    if (sandboxStore?.dir) rmSync(sandboxStore.dir, { recursive: true, force: true });
  };

  let composed: Chatgraph;
  try {
    composed = await composeChatgraph({
      config,
      sandbox: sandbox ?? undefined,
      logger,
      // The sources report their vendor calls to the same telemetry the plugins serve.
      telemetry: createTelemetry({ processMetrics: true }),
      store: sandbox ? (sandboxStore?.config ?? null) : undefined,
      policy: sandbox
        ? {
            // Generated data on loopback: a frontend on its own dev server may call it.
            corsOrigins: '*',
            webhooks: Object.fromEntries(
              sandbox.sources.map(({ name }) => [name, { secret: SANDBOX_WEBHOOK_SECRET }]),
            ),
          }
        : {},
    });
  } catch (error) {
    removeStoreDir();
    await sandbox?.close();
    await tracing.shutdown();
    throw error;
  }
  const { app, yoga, sourceConfigs } = composed;
  const store = app.store;
  let listening: Awaited<ReturnType<typeof listen>>;
  try {
    listening = await listen(yoga, port, host);
  } catch (error) {
    await composed.close();
    removeStoreDir();
    await sandbox?.close();
    await tracing.shutdown();
    throw error;
  }
  const { server, url } = listening;
  let operations: Awaited<ReturnType<typeof listenOperations>> | null = null;
  if (app.policy.operationsPort !== null) {
    try {
      operations = await listenOperations(operationsHandler(app), app.policy.operationsPort, host);
    } catch (error) {
      server.close();
      await composed.close();
      removeStoreDir();
      await sandbox?.close();
      await tracing.shutdown();
      throw error;
    }
  }
  const webSocket = serveGraphQLWs(server, yoga, app);
  sandbox?.connectWebhooks?.(url, SANDBOX_WEBHOOK_SECRET);

  logger.info(
    {
      url: `${url}/graphql`,
      sources: sourceConfigs.map((source) => source.name),
      sandbox: sandbox !== null,
      operations: operations ? `${operations.url}/metrics` : `${url}/metrics`,
      faults: options.faults ?? null,
      tracing: tracing.mode,
    },
    'chatgraph listening',
  );
  if (sandbox) io.stdout(sandboxBanner(sandbox, url, options.faults));
  const priming = sandbox && store ? primeStore(app, sandbox.conversations) : null;
  const listing = store ? store.list(app.sources.list()) : null;

  return {
    url,
    server,
    tracing: tracing.mode,
    logger,
    primed: store ? Promise.all([priming?.done, listing?.done]).then(() => undefined) : null,
    async close() {
      await webSocket.close();
      await Promise.all(
        [server, operations?.server].map(
          (listening) =>
            new Promise<void>((resolve) => {
              if (!listening) return resolve();
              listening.close(() => resolve());
              listening.closeAllConnections();
            }),
        ),
      );
      await priming?.stop();
      await listing?.stop();
      await composed.close();
      removeStoreDir();
      await sandbox?.close();
      await tracing.shutdown();
    },
  };
}

/**
 * The sandbox's store: every sandbox source archived, listing the members the sandbox names;
 * in a temporary folder (`temp`, removed on close) or a file; null: `off` or not asked for.
 */
function sandboxStoreOf(
  sandbox: Sandbox,
  option: ServeOptions['store'],
): { config: StoreConfig; dir: string | null } | null {
  if (!option || option === 'off') return null;
  const dir = option === 'temp' ? mkdtempSync(join(tmpdir(), 'chatgraph-sandbox-')) : null;
  return {
    dir,
    config: {
      engine: 'sqlite',
      path: dir ? join(dir, 'store.db') : option,
      sources: Object.fromEntries(
        sandbox.sources.map((s) => [
          s.name,
          { archive: true, retentionDays: null, listMembers: sandbox.listMembers?.[s.name] ?? [] },
        ]),
      ),
    },
  };
}

function sandboxBanner(sandbox: Sandbox, url: string, faults: Faults | undefined): string {
  const lines = sandbox.conversations.map(
    (c) =>
      `  ${c.source.padEnd(13)} ${c.externalId.padEnd(36)} ${encodeNodeId({ kind: 'Conversation', source: c.source, conversation: c.externalId })}  (${c.description})`,
  );
  return [
    '',
    `chatgraph sandbox: GraphiQL at ${url}/graphql, transcripts at ${url}/inbox`,
    'Open mode: no API key is needed, the sources are local emulators with generated data.',
    ...(faults ? [`Faults injected into every emulator: ${JSON.stringify(faults)}`] : []),
    `Operations: ${url}/health, ${url}/readiness, ${url}/metrics`,
    'Sandbox conversations (source, externalId, id):',
    ...lines,
    'Live: each sandbox-live conversation receives a message every few seconds; subscribe with',
    `  curl -N -H 'accept: text/event-stream' -H 'content-type: application/json' ${url}/graphql \\`,
    `    -d '{"query":"subscription { messageAdded(conversationId: \\"<id>\\") { cursor node { sentAt text } } }"}'`,
    '',
  ].join('\n');
}

async function printSchemaCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse({
    args,
    options: { subgraph: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return help(io, PRINT_SCHEMA_HELP);
  // Loaded here: building the schema is the slow part of start-up, and `--help` needs none of it.
  const { clientSchema, schema } = (await import('./schema/index.js')).createSchema();
  if (values.subgraph) {
    const { printSubgraphSchema } = await import('@apollo/subgraph');
    io.stdout(`${printSubgraphSchema(schema)}\n`);
  } else {
    const { printSchema } = await import('graphql');
    io.stdout(`${printSchema(clientSchema)}\n`);
  }
  return 0;
}

const EXPORT_HELP = `Usage: chatgraph export --source <name> --conversation <external id> [options]

Writes every message of one conversation to a file, oldest first, read through the GraphQL API
in-process (the sandbox unless --config is given). A terminal shows messages, pages and rate as it
goes. Interrupted (Ctrl-C, a crash, a vendor that keeps failing), it keeps what it read in
<out>.part and <out>.export-state.json; the same command again resumes from the last page.

Options:
  -s, --source <name>          The source (see \`chatgraph serve\`'s list, or Query.sources)
      --conversation <id>      The conversation's external id in that source
      --since <instant>        Only messages sent at or after this ISO 8601 instant
      --until <instant>        Only messages sent before this ISO 8601 instant
  -f, --format <format>        jsonl (default; every field and the vendor's raw message), csv or html
  -o, --out <file>             Default: <source>-<conversation>.<format> in this folder
      --page-size <n>          Messages per GraphQL page, 1 to 100. Default: 100
  -c, --config <file>          Configuration file, as for serve. Env: CHATGRAPH_CONFIG
      --faults <spec>          Sandbox only, as for serve. Env: CHATGRAPH_SANDBOX_FAULTS
      --quirks <spec>          Sandbox only, as for serve. Env: CHATGRAPH_SANDBOX_QUIRKS
  -h, --help                   Show this help

Exit codes: 0 done, 1 failed (resumable), 2 usage, 130 interrupted (resumable).
`;

export interface ExportCommandOptions {
  serve: Omit<ServeOptions, 'port' | 'logger'>;
  source: string;
  conversation: string;
  since?: string;
  until?: string;
  format: ExportFormat;
  out: string;
  pageSize: number;
}

export function parseExportArgs(args: string[], env: Env): ExportCommandOptions | 'help' {
  const { values } = parse({
    args,
    options: {
      source: { type: 'string', short: 's' },
      conversation: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      'page-size': { type: 'string' },
      config: { type: 'string', short: 'c' },
      faults: { type: 'string' },
      quirks: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (!values.source || !values.conversation)
    throw new UsageError('--source and --conversation are required.');
  const format = (values.format ?? 'jsonl') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${values.format}".`);
  }
  for (const flag of ['since', 'until'] as const) {
    const value = values[flag];
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new UsageError(`--${flag} is not an ISO 8601 instant: "${value}".`);
    }
  }
  const pageSize = Number(values['page-size'] ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new UsageError(`--page-size must be 1 to 100, not "${values['page-size']}".`);
  }
  const serveArgs = [
    ...(values.config ? ['--config', values.config] : []),
    ...(values.faults ? ['--faults', values.faults] : []),
    ...(values.quirks ? ['--quirks', values.quirks] : []),
  ];
  const { port: _port, ...serveOptions } = parseServeArgs(serveArgs, env) as ServeOptions;
  const safe = values.conversation.replace(/[^A-Za-z0-9._-]+/g, '_');
  return {
    serve: serveOptions,
    source: values.source,
    conversation: values.conversation,
    since: values.since,
    until: values.until,
    format,
    out: values.out ?? `${values.source}-${safe}.${format}`,
    pageSize,
  };
}

/** The API as `serve` composes it, without listening: the export reads it through `yoga.fetch`. */
async function composeApi(options: ExportCommandOptions['serve'], logger: Logger) {
  const { yoga, close } = await composeChatgraph({
    config: options.config ? loadConfig(options.config, options.env) : undefined,
    sandbox: { faults: options.faults, quirks: options.quirks, now: Date.now() },
    logger,
    // The export reads once and leaves: no store even where one is configured.
    store: null,
    yoga: { graphiql: false },
  });
  return { fetch: (url: string, init: RequestInit) => yoga.fetch(url, init), close };
}

export async function runExport(
  options: ExportCommandOptions,
  io: CliIo,
  extra: { signal?: AbortSignal; logger?: Logger; now?: () => number } = {},
): Promise<number> {
  const logger = extra.logger ?? createLogger({ level: options.serve.env.LOG_LEVEL ?? 'warn' });
  const api = await composeApi(options.serve, logger);
  const bar = io.stderrIsTerminal ? terminalProgress(io.stderr, extra.now ?? Date.now) : null;
  try {
    const result = await exportConversation({
      fetch: api.fetch,
      source: options.source,
      conversation: options.conversation,
      since: options.since,
      until: options.until,
      format: options.format,
      out: options.out,
      pageSize: options.pageSize,
      signal: extra.signal,
      backoff: (attempt) =>
        new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5_000))),
      onProgress: (progress) => bar?.update(progress),
    });
    bar?.done(result);
    if (!result.complete) {
      io.stderr(
        `chatgraph export: interrupted after ${result.messages} messages; run the same command again to resume.\n`,
      );
      return 130;
    }
    io.stderr(
      `chatgraph export: ${result.messages} messages in ${result.pages} pages${result.resumed ? ' (resumed)' : ''} to ${options.out}\n`,
    );
    return 0;
  } catch (error) {
    const code = error instanceof ExportError ? `${error.code}: ` : '';
    io.stderr(
      `\nchatgraph export: ${code}${(error as Error).message}\nWhat was read is kept; run the same command again to resume.\n`,
    );
    return 1;
  } finally {
    await api.close();
  }
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseExportArgs(args, io.env);
  if (parsed === 'help') return help(io, EXPORT_HELP);
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  process.once('SIGINT', stop);
  try {
    return await runExport(parsed, io, { signal: interrupt.signal });
  } finally {
    process.off('SIGINT', stop);
  }
}
