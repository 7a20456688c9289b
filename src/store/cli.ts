/**
 * `chatgraph store`: migrate, inspect and purge the store from a shell, e.g. for an erasure
 * request (`purge --conversation shop:4370405345218887686`) or a one-off clean-up by age.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import { loadConfig } from '../config/index.js';
import type { StoreConfig } from './config.js';
import { type PurgeRequest, Store } from './store.js';

export const STORE_HELP = `Usage: chatgraph store <command> (--config <file> | --sqlite <file>) [options]

Commands:
  migrate   Bring the store's schema up to date (serve also does it at start)
  stats     Conversations and messages kept, per source
  purge     Delete what the options name (at least one):
              --source <name>                      everything of a source
              --conversation <source>:<externalId> a conversation: its messages, participants
                                                   and flags (an erasure request)
              --older-than <n>d                    messages sent, and conversations last
                                                   active, more than n days ago
            or, alone, --retention: apply every source's configured retentionDays

Options:
  -c, --config <file>   The configuration file whose "store" to use. Env: CHATGRAPH_CONFIG
      --sqlite <file>   A SQLite store file instead (e.g. one kept with serve --store)
  -h, --help            Show this help
`;

const DAY_MS = 86_400_000;

export async function storeCommand(
  args: string[],
  io: CliIo,
  usage: (message: string) => Error,
  now: () => number = Date.now,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(STORE_HELP);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (!command || !['migrate', 'stats', 'purge'].includes(command) || rest.length > 0) {
    throw usage(command ? `Unknown store command "${positionals.join(' ')}".` : 'Name a store command.');
  }
  const configFile = values.config ?? (io.env.CHATGRAPH_CONFIG || undefined);
  if ((configFile === undefined) === (values.sqlite === undefined)) {
    throw usage('Give exactly one of --config and --sqlite.');
  }
  let config: StoreConfig;
  if (configFile) {
    const loaded = loadConfig(configFile, io.env).store;
    if (!loaded) throw usage(`${configFile} configures no store.`);
    config = loaded;
  } else config = { engine: 'sqlite', path: values.sqlite as string, sources: {} };

  const purge = command === 'purge' ? purgeRequest(values, usage, now) : null;
  const store = await Store.open(config, { now });
  try {
    if (command === 'migrate') {
      io.stdout(
        store.migrated.length > 0 ? `Applied: ${store.migrated.join(', ')}\n` : 'The store is up to date.\n',
      );
    } else if (command === 'stats') {
      const stats = await store.stats();
      io.stdout(
        `${'source'.padEnd(20)} ${'conversations'.padStart(13)} ${'messages'.padStart(10)}  oldest → newest message\n`,
      );
      for (const s of stats) {
        const span =
          s.oldestMessageAt === null
            ? '-'
            : `${new Date(s.oldestMessageAt).toISOString()} → ${new Date(s.newestMessageAt ?? 0).toISOString()}`;
        io.stdout(
          `${s.source.padEnd(20)} ${String(s.conversations).padStart(13)} ${String(s.messages).padStart(10)}  ${span}\n`,
        );
      }
    } else {
      const result =
        purge === 'retention' ? await store.applyRetention() : await store.purge(purge as PurgeRequest);
      io.stdout(`Deleted ${result.messages} messages and ${result.conversations} conversations.\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      sqlite: { type: 'string' },
      source: { type: 'string' },
      conversation: { type: 'string' },
      'older-than': { type: 'string' },
      retention: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function purgeRequest(
  values: ReturnType<typeof parse>['values'],
  usage: (message: string) => Error,
  now: () => number,
): PurgeRequest | 'retention' {
  const named =
    values.source !== undefined || values.conversation !== undefined || values['older-than'] !== undefined;
  if (values.retention) {
    if (named) throw usage('--retention goes alone.');
    return 'retention';
  }
  if (!named) throw usage('purge needs --source, --conversation, --older-than or --retention.');
  const request: PurgeRequest = {};
  if (values.source !== undefined) request.source = values.source;
  if (values.conversation !== undefined) {
    const colon = values.conversation.indexOf(':');
    if (colon <= 0 || colon === values.conversation.length - 1) {
      throw usage('--conversation takes <source>:<externalId>.');
    }
    request.conversation = {
      source: values.conversation.slice(0, colon),
      externalId: values.conversation.slice(colon + 1),
    };
  }
  const age = values['older-than'];
  if (age !== undefined) {
    const match = /^(\d{1,5})d$/.exec(age);
    if (!match) throw usage('--older-than takes a number of days, e.g. 30d.');
    request.before = now() - Number(match[1]) * DAY_MS;
  }
  return request;
}
