/** The `chatgraph` command: help, usage errors, print-schema, and serve (in-process and as a process). */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../scripts/build.js';
import {
  type CliIo,
  logUnhandledRejections,
  main,
  parseServeArgs,
  type RunningServer,
  serve,
} from '../../src/cli.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createSchema } from '../../src/schema/index.js';

const { clientSchema } = createSchema();

import type { WechatStoreSourceConfig } from '../../src/sources/wechat-store/config.js';
import { samples, WECHAT_FIRST_PAGE } from './ops-harness.js';

function io(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    env,
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
  };
  return captured;
}

const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe('help', () => {
  it('describes the commands, and each command its options', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const cli = io();
      expect(await main(argv, cli)).toBe(0);
      expect(cli.out).toMatch(/^Usage: chatgraph <command> \[options\]\n/);
      expect(cli.out).toContain('\n  serve ');
      expect(cli.out).toContain('\n  print-schema ');
      expect(cli.err).toBe('');
    }
    const serveHelp = io();
    expect(await main(['serve', '--help'], serveHelp)).toBe(0);
    expect(serveHelp.out).toMatch(
      /^Usage: chatgraph serve \[--config <file>\] \[--host <h>\] \[--port <n>\] \[--faults <spec>\] \[--quirks <spec>\]\n/,
    );
    for (const word of [
      'CHATGRAPH_CONFIG',
      'PORT',
      'CHATGRAPH_SANDBOX_FAULTS',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      '/readiness',
    ]) {
      expect(serveHelp.out).toContain(word);
    }
    const schemaHelp = io();
    expect(await main(['print-schema', '-h'], schemaHelp)).toBe(0);
    expect(schemaHelp.out).toMatch(/^Usage: chatgraph print-schema \[--subgraph\]\n/);
  });
});

describe('usage errors', () => {
  it.each([
    [['bogus'], 'chatgraph: Unknown command "bogus".\nRun `chatgraph --help` for usage.\n'],
    [
      ['serve', '--port', '70000'],
      'chatgraph: Not a port: "70000" (0 to 65535).\nRun `chatgraph serve --help` for usage.\n',
    ],
    [
      ['serve', '--port', '12ab'],
      'chatgraph: Not a port: "12ab" (0 to 65535).\nRun `chatgraph serve --help` for usage.\n',
    ],
    [
      ['serve', '--config', 'x.json', '--faults', 'seed=1'],
      'chatgraph: --faults applies to the sandbox only; leave out --config to use it.\nRun `chatgraph serve --help` for usage.\n',
    ],
  ])('%j exits 2', async (argv, message) => {
    const cli = io();
    expect(await main(argv, cli)).toBe(2);
    expect(cli.err).toBe(message);
    expect(cli.out).toBe('');
  });

  it('rejects unknown options and bad fault specs as usage errors', async () => {
    const unknown = io();
    expect(await main(['serve', '--verbose'], unknown)).toBe(2);
    expect(unknown.err).toContain("Unknown option '--verbose'");
    const faults = io({ CHATGRAPH_SANDBOX_FAULTS: 'nonsense=1' });
    expect(await main(['serve'], faults)).toBe(2);
    expect(faults.err).toMatch(/^chatgraph: Bad --faults \/ CHATGRAPH_SANDBOX_FAULTS: /);
  });

  it('reports a configuration that cannot be read with exit code 1', async () => {
    const cli = io();
    expect(await main(['serve', '--config', '/nonexistent/chatgraph.json', '--port', '0'], cli)).toBe(1);
    expect(cli.err).toMatch(
      /^Configuration \/nonexistent\/chatgraph\.json is not valid:\n {2}- cannot read it as JSON/,
    );
  });
});

describe('parseServeArgs', () => {
  it('takes flags first, then the environment', () => {
    expect(parseServeArgs([], {})).toEqual({
      config: undefined,
      port: undefined,
      faults: undefined,
      env: {},
    });
    const env = { CHATGRAPH_CONFIG: 'env.json', PORT: '5000', CHATGRAPH_SANDBOX_FAULTS: 'error=0.5,seed=2' };
    expect(parseServeArgs([], env)).toMatchObject({ config: 'env.json', port: 5000, faults: undefined });
    expect(parseServeArgs(['-c', 'flag.json', '-p', '0'], env)).toMatchObject({
      config: 'flag.json',
      port: 0,
    });
    // Faults apply to the sandbox: without a configuration file.
    expect(parseServeArgs([], { CHATGRAPH_SANDBOX_FAULTS: 'error=0.5,seed=2' })).toMatchObject({
      faults: { errorRate: 0.5, seed: 2 },
    });
    expect(
      parseServeArgs(['--faults', 'latency=5'], { CHATGRAPH_SANDBOX_FAULTS: 'error=0.5' }),
    ).toMatchObject({
      faults: { latencyMs: 5 },
    });
    expect(parseServeArgs(['--help'], env)).toBe('help');
  });

  it('takes the sandbox-live interval from --live-interval or CHATGRAPH_SANDBOX_LIVE_MS', () => {
    expect(
      (
        parseServeArgs(['--live-interval', '500'], { CHATGRAPH_SANDBOX_LIVE_MS: '9' }) as {
          liveIntervalMs: number;
        }
      ).liveIntervalMs,
    ).toBe(500);
    expect(
      (parseServeArgs([], { CHATGRAPH_SANDBOX_LIVE_MS: '0' }) as { liveIntervalMs: number }).liveIntervalMs,
    ).toBe(0);
    expect(() => parseServeArgs(['--live-interval', 'soon'], {})).toThrow('Not an interval in ms: "soon"');
    expect(() => parseServeArgs(['-c', 'x.json', '--live-interval', '5'], {})).toThrow(
      '--live-interval applies to the sandbox only',
    );
  });
});

describe('print-schema', () => {
  it('prints the schema clients see', async () => {
    const cli = io();
    expect(await main(['print-schema'], cli)).toBe(0);
    expect(cli.out).toBe(`${printSchema(clientSchema)}\n`);
  });
});

describe('serve', () => {
  const quiet = () => pino({ level: 'silent' });

  async function started(running: RunningServer): Promise<RunningServer> {
    closing.push(() => running.close());
    return running;
  }

  it('serves the sandbox with faults, and its operators’ endpoints', async () => {
    const cli = io();
    const running = await started(
      await serve({ port: 0, faults: { latencyMs: 1, seed: 1 }, env: {}, logger: quiet() }, cli),
    );
    // The open sandbox listens on loopback only.
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.tracing).toBeNull();
    expect(cli.out).toContain(`chatgraph sandbox: GraphiQL at ${running.url}/graphql`);
    expect(cli.out).toContain('Faults injected into every emulator: {"latencyMs":1,"seed":1}');

    const answer = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'cli-1' },
      body: JSON.stringify({ query: WECHAT_FIRST_PAGE }),
    });
    expect(answer.headers.get('x-request-id')).toBe('cli-1');
    expect((await answer.json()).data.source.conversation.messages.edges).toHaveLength(3);

    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect((await fetch(`${running.url}/readiness`)).status).toBe(200);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    // The readiness probes are vendor calls too: one per source, two for weizhipin (its token).
    expect(samples(metrics, 'chatgraph_vendor_calls_total')).toEqual([
      'chatgraph_vendor_calls_total{source="airudder",status="200"} 1',
      'chatgraph_vendor_calls_total{source="myscrm",status="200"} 1',
      'chatgraph_vendor_calls_total{source="wechat-store",status="200"} 2',
      'chatgraph_vendor_calls_total{source="weizhipin",status="200"} 2',
    ]);
    // Process metrics are on in the CLI.
    expect(metrics).toContain('\nprocess_cpu_user_seconds_total ');
  });

  it('serves the sources of a configuration file', async () => {
    const sandbox = await startSandbox({ vendors: ['WECHAT_STORE'] });
    closing.push(() => sandbox.close());
    const dir = mkdtempSync(join(tmpdir(), 'chatgraph-cli-'));
    closing.push(() => rmSync(dir, { recursive: true, force: true }));
    const wechat = sandbox.sources[0] as WechatStoreSourceConfig;
    const file = join(dir, 'chatgraph.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 1,
        cursorSecret: { env: 'TEST_CURSOR_SECRET' },
        allowOpen: true,
        sources: [
          {
            vendor: 'WECHAT_STORE',
            name: 'shop',
            baseUrl: wechat.baseUrl,
            cookie: { env: 'TEST_COOKIE' },
            bizMagic: { env: 'TEST_BIZ_MAGIC' },
          },
        ],
      }),
    );
    const env = {
      TEST_CURSOR_SECRET: 'a-test-cursor-secret-of-some-length',
      TEST_COOKIE: wechat.cookie,
      TEST_BIZ_MAGIC: wechat.bizMagic,
    };
    const cli = io(env);
    const options = parseServeArgs(['--config', file, '--port', '0'], env);
    if (options === 'help') throw new Error('unexpected help');
    const running = await started(await serve({ ...options, logger: quiet() }, cli));
    expect(cli.out).toBe('');
    const readiness = await fetch(`${running.url}/readiness`);
    expect(await readiness.json()).toEqual({ ready: true, sources: { shop: { status: 'ok' } } });
  });

  it('logs a rejection nothing awaited as an error, instead of ending the process', () => {
    const lines: Array<{ level: number; msg: string; err?: { message: string } }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const target = new EventEmitter();
    const remove = logUnhandledRejections(logger, target as unknown as NodeJS.Process);
    // With a listener, Node neither warns nor exits on an unhandled rejection.
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    target.emit('unhandledRejection', new Error('abandoned'));
    expect(lines.map(({ level, msg, err }) => [level, msg, err?.message])).toEqual([
      [50, 'unhandled rejection', 'abandoned'],
    ]);
    remove();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('bin/chatgraph.js', () => {
  // The command runs `dist/`: built here from the source under test, not whatever was built last.
  beforeAll(() => build());

  it('starts from dist/, serves /health and the prebuilt /inbox script, and exits 0 on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../bin/chatgraph.js', import.meta.url));
    const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        CHATGRAPH_CONFIG: '',
        PORT: '',
        CHATGRAPH_SANDBOX_FAULTS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Bounded whatever happens: the child never outlives the test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    closing.push(() => {
      clearTimeout(guard);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const listening = buffered
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg?: string; url?: string })
          .find((line) => line.msg === 'chatgraph listening');
        if (listening?.url) resolve(listening.url.replace(/\/graphql$/, ''));
      });
      exited.then((code) => reject(new Error(`chatgraph exited (${code}) before listening`)));
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const script = await fetch(`${url}/inbox/inbox.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(
      readFileSync(new URL('../../dist/inbox/page.js', import.meta.url), 'utf8'),
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
