/**
 * The API on sandbox emulators, built as `chatgraph serve` builds it (sources reporting to the
 * app's telemetry), with every log line kept (at debug level, so vendor calls are logged too).
 */
import type { TracerProvider } from '@opentelemetry/api';
import { pino } from 'pino';
import type { App, ServerPolicy } from '../../src/app.js';
import { composeChatgraph } from '../../src/compose.js';
import type { Vendor } from '../../src/model/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { SourceConfig } from '../../src/sources/index.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/index.js';
import type { ChatgraphYoga } from '../../src/yoga.js';

export interface OpsHarness {
  sandbox: Sandbox;
  app: App;
  yoga: ChatgraphYoga;
  telemetry: Telemetry;
  /** A request to the API, in-process. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A GraphQL POST; `headers` are added to JSON's. */
  graphql(query: string, headers?: Record<string, string>): Promise<Response>;
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startOpsHarness(
  options: {
    vendors?: Vendor[];
    configure?: (configs: SourceConfig[]) => SourceConfig[];
    tracerProvider?: TracerProvider;
    policy?: Partial<ServerPolicy>;
  } = {},
): Promise<OpsHarness> {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const telemetry = createTelemetry({ tracerProvider: options.tracerProvider });
  const { app, yoga, sandbox, close } = await composeChatgraph({
    sandbox: { vendors: options.vendors },
    configure: options.configure,
    logger,
    telemetry,
    cursorSecret: 'ops-test-cursor-secret-0123456789',
    policy: options.policy,
  });
  const fetch = (path: string, init?: RequestInit) =>
    Promise.resolve(yoga.fetch(`http://chatgraph.test${path}`, init ?? {}));
  return {
    sandbox: sandbox as Sandbox,
    app,
    yoga,
    telemetry,
    fetch,
    graphql: (query, headers = {}) =>
      fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      }),
    logs: () => lines.map((line) => JSON.parse(line)),
    close,
  };
}

/** The sample room's first page: one WeChat Shop vendor call. */
export const WECHAT_FIRST_PAGE = `query FirstPage {
  source(name: "wechat-store") {
    conversation(externalId: "4370405345218887686") {
      messages(first: 3) { edges { node { text } } }
    }
  }
}`;

/** The sample lines of one metric, without HELP/TYPE, as exposition text. */
export function samples(text: string, metric: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .sort();
}
