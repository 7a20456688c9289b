/** `chatgraph export` as a person runs it: its help, its usage errors, and a run on the sandbox. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliIo, main, parseExportArgs, runExport } from '../../src/cli.js';

function io(stderrIsTerminal = false): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    env: {},
    stderrIsTerminal,
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
  };
  return captured;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatgraph-cli-export-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('lists export in the help, and every help text ends with a whole sentence', async () => {
  const top = io();
  expect(await main(['--help'], top)).toBe(0);
  expect(top.out).toContain('  export         Write a whole conversation to a file');
  expect(top.out).toContain("`chatgraph <command> --help` shows a command's options\n");
  for (const command of ['serve', 'print-schema', 'export']) {
    const cli = io();
    expect(await main([command, '--help'], cli)).toBe(0);
    expect(cli.out).toMatch(new RegExp(`^Usage: chatgraph ${command}`));
    // The last line of prose ends a sentence or an option's description, never a dangling word.
    const lastLine = cli.out.trimEnd().split('\n').at(-1) ?? '';
    expect(lastLine).toMatch(/[.)\w]$/);
  }
  const exportHelp = io();
  await main(['export', '--help'], exportHelp);
  expect(exportHelp.out).toContain(
    'Exit codes: 0 done, 1 failed (resumable), 2 usage, 130 interrupted (resumable).\n',
  );
});

it.each([
  [['export'], '--source and --conversation are required.'],
  [
    ['export', '-s', 'myscrm', '--conversation', 'x', '--format', 'pdf'],
    '--format must be one of jsonl, csv, html',
  ],
  [['export', '-s', 'myscrm', '--conversation', 'x', '--page-size', '500'], '--page-size must be 1 to 100'],
  [
    ['export', '-s', 'myscrm', '--conversation', 'x', '--since', 'yesterday'],
    '--since is not an ISO 8601 instant',
  ],
])('refuses %j with a usage error', async (argv, message) => {
  const cli = io();
  expect(await main(argv, cli)).toBe(2);
  expect(cli.err).toContain(message);
  expect(cli.err).toContain('Run `chatgraph export --help` for usage.');
});

it('names the file after the source and conversation by default', () => {
  const parsed = parseExportArgs(
    ['-s', 'weizhipin', '--conversation', 'open_id:sandbox-long', '-f', 'csv'],
    {},
  );
  expect(parsed).toMatchObject({ out: 'weizhipin-open_id_sandbox-long.csv', format: 'csv', pageSize: 100 });
});

it('exports a sandbox conversation under faults, drawing progress on a terminal', async () => {
  const out = join(dir, 'sample.jsonl');
  const options = parseExportArgs(
    [
      '--source',
      'airudder',
      '--conversation',
      'sandbox-long',
      '--out',
      out,
      '--page-size',
      '40',
      '--faults',
      'error=0.05,429=0.05,retryAfter=0.01,malformed=0.03,seed=5',
    ],
    {},
  );
  if (options === 'help') throw new Error('unexpected help');
  const cli = io(true);
  let clock = 0;
  const code = await runExport(options, cli, {
    logger: pino({ level: 'silent' }),
    now: () => (clock += 1_000),
  });
  expect(code).toBe(0);
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
  const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id);
  expect(new Set(ids).size).toBe(ids.length);
  const pages = Math.ceil(ids.length / 40);
  expect(cli.err).toContain(`\rexporting: 40 messages · 1 pages ·`);
  expect(cli.err).toContain(`chatgraph export: ${ids.length} messages in ${pages} pages to ${out}\n`);
});
