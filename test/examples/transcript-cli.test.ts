/** `examples/client/src/transcript.ts` as a person runs it: a process against a listening API. */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listen } from '../../src/server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let harness: Harness;
let url: string;
let close: () => void;

beforeAll(async () => {
  harness = await startHarness({ vendors: ['MYSCRM'] });
  const running = await listen(harness.yoga, 0, '127.0.0.1');
  url = running.url;
  close = () => {
    running.server.closeAllConnections();
    running.server.close();
  };
});

afterAll(async () => {
  close?.();
  await harness?.close();
});

test('prints the transcript of a conversation named by source and external id', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    'examples/client/src/transcript.ts',
    '--url',
    `${url}/graphql`,
    '--source',
    'myscrm',
    '--conversation',
    'sandbox-long',
    '--limit',
    '5',
  ]);
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(6);
  expect(lines[0]).toBe('MYSCRM myscrm / sandbox-long: 5 messages (most recent only)');
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}\S/);
});

test('fails with the reason when the conversation cannot be read', async () => {
  const run = promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    'examples/client/src/transcript.ts',
    '--url',
    `${url}/graphql`,
    '--source',
    'nope',
    '--conversation',
    'x',
  ]);
  await expect(run).rejects.toMatchObject({
    code: 1,
    stderr: 'transcript: UNKNOWN_SOURCE: No source is named "nope".\n',
  });
});

const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/client/src/transcript.ts', ...args], {
    env: { ...process.env, ...env },
  });

test('reads the server on PORT when no --url is given', async () => {
  const { stdout } = await run(['--source', 'myscrm', '--conversation', 'sandbox-long', '--limit', '2'], {
    PORT: new URL(url).port,
  });
  expect(stdout.split('\n')[0]).toBe('MYSCRM myscrm / sandbox-long: 2 messages (most recent only)');
});

test('names the address it could not reach', async () => {
  // A port that was free a moment ago: taken, then given back.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const target = `http://127.0.0.1:${port}/graphql`;
  await expect(run(['--url', target, '--source', 'myscrm', '--conversation', 'x'])).rejects.toMatchObject({
    code: 1,
    stderr: `transcript: could not reach ${target} (ECONNREFUSED); is the API running? Pass --url or set PORT.\n`,
  });
});
