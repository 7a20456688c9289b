/**
 * `chatgraph export`'s engine against the sandbox through the API in-process: exact under vendor
 * faults (every message once, the list a fault-free walk gives), resumable after an interrupt and
 * after a crash between appending a page and recording it, in each format.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportOptions, exportConversation, partPath, statePath } from '../../src/export/export.js';
import type { ExportedMessage } from '../../src/export/formats.js';
import { progressLine, terminalProgress } from '../../src/export/progress.js';
import { encodeNodeId } from '../../src/ids.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { walkForward } from '../helpers/paging.js';

const FAULTS: Faults = {
  errorRate: 0.05,
  rateLimitRate: 0.03,
  retryAfterSeconds: 0.01,
  hangRate: 0.005,
  malformedRate: 0.03,
  truncatedRate: 0.03,
  wrongTypeRate: 0.03,
  seed: 18,
};

let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatgraph-export-'));
  h = await startHarness({
    configure: (configs) =>
      configs.map((config) => ({
        ...config,
        // Hangs end quickly, the breaker stays out of the way of the fault rate, and the sources do
        // not retry, so faults reach the export as failed pages.
        http: {
          headersTimeoutMs: 150,
          bodyTimeoutMs: 150,
          maxRetries: 0,
          breakerFailureThreshold: 10_000,
        },
      })),
    policy: { requestTimeoutMs: 5_000, maxVendorCalls: 10_000 },
  });
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

const setFaults = (faults: Faults | undefined) => {
  for (const emulator of h.sandbox.emulators.values()) emulator.setFaults(faults ?? {});
};

const options = (source: string, conversation: string, out: string): ExportOptions => ({
  fetch: (url, init) => h.yoga.fetch(url, init),
  source,
  conversation,
  format: 'jsonl',
  out: join(dir, out),
  attemptsPerPage: 40,
});

const readJsonl = async (file: string): Promise<ExportedMessage[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportedMessage);

/** Oldest first, as the export writes them: a fault-free walk, reversed. */
async function expectedIds(source: string, conversation: string): Promise<string[]> {
  setFaults(undefined);
  const id = encodeNodeId({ kind: 'Conversation', source, conversation });
  return (await walkForward(h, id, { sizes: [100] })).reverse();
}

const LONG: Array<[string, string]> = [
  ['wechat-store', 'sandbox-long'],
  ['airudder', 'sandbox-long'],
  ['weizhipin', 'open_id:sandbox-long'],
  ['myscrm', 'sandbox-long'],
];

describe.each(LONG)('%s %s', (source, conversation) => {
  it('exports every message exactly once under vendor faults, asking failed pages again', async () => {
    // Faults first: the fault-free walk would leave the vendor pages in the API's page cache.
    setFaults(FAULTS);
    const result = await exportConversation(options(source, conversation, `${source}.jsonl`));
    const expected = await expectedIds(source, conversation);
    const written = await readJsonl(join(dir, `${source}.jsonl`));
    expect(written.map((m) => m.externalId)).toEqual(expected);
    expect(result).toMatchObject({ complete: true, resumed: false, messages: expected.length });
    expect(result.pages).toBe(Math.ceil(expected.length / 100));
    // The faults did hit: some pages failed and were asked again.
    expect(result.retries).toBeGreaterThan(0);
  });
});

describe('resuming', () => {
  it('continues from the last recorded page after an interrupt, and after a crash mid-append', async () => {
    const expected = await expectedIds('myscrm', 'sandbox-long');
    const out = join(dir, 'resumed.jsonl');
    const stop = new AbortController();
    const first = await exportConversation({
      ...options('myscrm', 'sandbox-long', 'resumed.jsonl'),
      pageSize: 50,
      signal: stop.signal,
      onProgress: (p) => p.pages === 3 && stop.abort(),
    });
    expect(first).toMatchObject({ complete: false, pages: 3, messages: 150 });
    expect(JSON.parse(await readFile(statePath(out), 'utf8'))).toMatchObject({ pages: 3, messages: 150 });
    // A crash after a page was appended but before the state recorded it.
    await appendFile(partPath(out), `${JSON.stringify({ id: 'half-written' })}\n{"id":"tor`);

    const calls = h.calls('MYSCRM').count;
    const second = await exportConversation({
      ...options('myscrm', 'sandbox-long', 'resumed.jsonl'),
      pageSize: 50,
    });
    expect(second).toMatchObject({ complete: true, resumed: true, messages: expected.length });
    expect(second.pages).toBe(Math.ceil(expected.length / 50));
    expect((await readJsonl(out)).map((m) => m.externalId)).toEqual(expected);
    expect(h.calls('MYSCRM').count).toBeGreaterThan(calls);
    // Done: nothing left beside the file.
    await expect(readFile(statePath(out))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(partPath(out))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to resume an unfinished export of another conversation into the same file', async () => {
    const stop = new AbortController();
    stop.abort();
    await exportConversation({ ...options('myscrm', 'sandbox-long', 'clash.csv'), signal: stop.signal });
    await expect(exportConversation(options('myscrm', 'sandbox-sample', 'clash.csv'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('formats', () => {
  it('writes CSV with a header and quoted fields, and HTML with one escaped row per message', async () => {
    const expected = await expectedIds('wechat-store', '4370405345218887686');
    await exportConversation({
      ...options('wechat-store', '4370405345218887686', 'sample.csv'),
      format: 'csv',
    });
    const csv = await readFile(join(dir, 'sample.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'id,externalId,sentAt,kind,senderRole,senderExternalId,senderName,recalled,text',
    );
    // A message with a line break is one quoted field.
    expect(csv).toContain('"不可能，乱弹琴。\n把你们的电话给我，我来加你们的微信。"');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(expected.length + 1);

    await exportConversation({
      ...options('wechat-store', '4370405345218887686', 'sample.html'),
      format: 'html',
    });
    const html = await readFile(join(dir, 'sample.html'), 'utf8');
    expect(html.match(/<tr id=/g)).toHaveLength(expected.length);
    expect(html).toContain('不可能，乱弹琴。<br>把你们的电话给我');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('exports an empty conversation as an empty file with its header', async () => {
    const result = await exportConversation({
      ...options('myscrm', 'sandbox-empty', 'empty.csv'),
      format: 'csv',
    });
    expect(result).toMatchObject({ complete: true, messages: 0, pages: 1 });
    expect(await readFile(join(dir, 'empty.csv'), 'utf8')).toBe(
      'id,externalId,sentAt,kind,senderRole,senderExternalId,senderName,recalled,text\r\n',
    );
  });
});

describe('progress', () => {
  it('shows messages, pages and rate, redrawn in place at most every 100 ms of its clock', () => {
    expect(progressLine({ messages: 1200, pages: 12, retries: 0 }, 2_000)).toBe(
      'exporting: 1,200 messages · 12 pages · 600 msg/s',
    );
    expect(progressLine({ messages: 5, pages: 1, retries: 2 }, 0)).toBe(
      'exporting: 5 messages · 1 pages · 0 msg/s · 2 retries',
    );
    let clock = 0;
    const written: string[] = [];
    const bar = terminalProgress(
      (text) => written.push(text),
      () => clock,
    );
    bar.update({ messages: 100, pages: 1, retries: 0 });
    clock = 50;
    bar.update({ messages: 200, pages: 2, retries: 0 });
    clock = 1_000;
    bar.update({ messages: 300, pages: 3, retries: 0 });
    bar.done({ messages: 300, pages: 3, retries: 0 });
    expect(written).toEqual([
      '\rexporting: 100 messages · 1 pages · 0 msg/s\x1b[K',
      '\rexporting: 300 messages · 3 pages · 300 msg/s\x1b[K',
      '\rexporting: 300 messages · 3 pages · 300 msg/s\x1b[K\n',
    ]);
  });
});
