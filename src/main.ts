/**
 * `npm start`: with `--config <file>` (or CHATGRAPH_CONFIG) it serves the configured vendors;
 * without, it starts the built-in sandbox emulators and serves them.
 */
import { parseArgs } from 'node:util';
import { closeApp, createApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { encodeNodeId } from './ids.js';
import { createLogger } from './logger.js';
import { type Sandbox, startSandbox } from './sandbox/index.js';
import { listen } from './server.js';
import { createSources, type SourceConfig } from './sources/index.js';
import { createChatgraphYoga } from './yoga.js';

/** Not a secret: sandbox cursors only need to be stable across restarts of the sandbox. */
const SANDBOX_CURSOR_SECRET = 'chatgraph-sandbox-cursor-secret';

const SANDBOX_QUERY = `query FirstPage {
  source(name: "wechat-store") {
    conversation(externalId: "4370405345218887686") {
      id
      messages(first: 5) {
        edges {
          cursor
          node {
            sentAt
            kind
            text
            sender { role displayName }
            ... on WechatStoreMessage { content { __typename } }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const logger = createLogger();
  const configFile = values.config ?? process.env.CHATGRAPH_CONFIG;

  let sandbox: Sandbox | null = null;
  let port = Number(process.env.PORT ?? 4000);
  let cursorSecret = SANDBOX_CURSOR_SECRET;
  let sourceConfigs: SourceConfig[];
  if (configFile) {
    const config = loadConfig(configFile, process.env);
    sourceConfigs = config.sources;
    cursorSecret = config.cursorSecret;
    port = Number(process.env.PORT ?? config.port);
  } else {
    sandbox = await startSandbox();
    sourceConfigs = sandbox.sources;
  }

  const app = createApp({ sources: createSources(sourceConfigs, { logger }), cursorSecret, logger });
  const yoga = createChatgraphYoga(app, { defaultQuery: sandbox ? SANDBOX_QUERY : undefined });
  const { server, url } = await listen(yoga, port);

  if (sandbox) {
    const lines = sandbox.conversations.map(
      (c) =>
        `  ${c.source.padEnd(13)} ${c.externalId.padEnd(36)} ${encodeNodeId({ kind: 'Conversation', source: c.source, conversation: c.externalId })}  (${c.description})`,
    );
    process.stdout.write(
      [
        '',
        `chatgraph sandbox: GraphiQL at ${url}/graphql`,
        'Open mode: no API key is needed, the sources are local emulators with generated data.',
        'Sandbox conversations (source, externalId, id):',
        ...lines,
        '',
      ].join('\n'),
    );
  } else {
    logger.info({ url: `${url}/graphql`, sources: sourceConfigs.map((s) => s.name) }, 'chatgraph listening');
  }

  const stop = async () => {
    server.close();
    await closeApp(app);
    await sandbox?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`chatgraph failed to start: ${(error as Error).message}\n`);
  }
  process.exit(1);
});
