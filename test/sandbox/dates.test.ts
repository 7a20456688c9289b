/** Given `now`, the sandbox's generated histories end the day before it; without, they keep their dates. */
import { afterAll, expect, test } from 'vitest';
import { closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { sandboxStart } from '../../src/sandbox/dates.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createSources } from '../../src/sources/index.js';
import { createChatgraphYoga } from '../../src/yoga.js';

const closing: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closing) await close();
});

async function newestAndOldest(now: number | undefined): Promise<Record<string, [string, string]>> {
  const sandbox: Sandbox = await startSandbox({ vendors: ['WECHAT_STORE', 'AIRUDDER', 'MYSCRM'], now });
  const logger = silentLogger();
  const app = createApp({
    sources: createSources(sandbox.sources, { logger }),
    cursorSecret: 'dates-secret-0123456789',
    logger,
  });
  closing.push(async () => {
    await closeApp(app);
    await sandbox.close();
  });
  const yoga = createChatgraphYoga(app);
  const out: Record<string, [string, string]> = {};
  for (const source of ['wechat-store', 'airudder', 'myscrm']) {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ source(name: "${source}") { conversation(externalId: "sandbox-long") {
          newest: messages(first: 1) { edges { node { sentAt } } }
          oldest: messages(last: 1) { edges { node { sentAt } } } } } }`,
      }),
    });
    const { data } = (await response.json()) as {
      data: { source: { conversation: Record<string, { edges: Array<{ node: { sentAt: string } }> }> } };
    };
    const at = (key: string) => data.source.conversation[key]?.edges[0]?.node.sentAt ?? '';
    out[source] = [at('newest'), at('oldest')];
  }
  return out;
}

test('moves every generated history by whole days so it ends the day before now', async () => {
  const fixed = await newestAndOldest(undefined);
  expect(fixed).toEqual({
    'wechat-store': ['2026-03-31T08:48:02.194Z', '2026-01-05T11:34:23.126Z'],
    airudder: ['2026-01-05T08:03:23.000Z', '2026-01-05T00:00:00.000Z'],
    myscrm: ['2026-04-27T00:08:18.599Z', '2026-01-12T00:05:27.030Z'],
  });
  const now = Date.UTC(2026, 10, 30, 5, 20);
  const moved = await newestAndOldest(now);
  for (const [source, [newest, oldest]] of Object.entries(moved)) {
    expect(newest.slice(0, 10), source).toBe('2026-11-29');
    // Whole days: the times of day are the written ones, and the span is the same.
    const [fixedNewest, fixedOldest] = fixed[source] ?? ['', ''];
    expect(newest.slice(10)).toBe(fixedNewest.slice(10));
    expect(Date.parse(newest) - Date.parse(oldest)).toBe(Date.parse(fixedNewest) - Date.parse(fixedOldest));
  }
});

test('sandboxStart keeps the written start without now', () => {
  expect(sandboxStart(Date.UTC(2026, 0, 5), Date.UTC(2026, 2, 31), undefined)).toBe(Date.UTC(2026, 0, 5));
  expect(sandboxStart(Date.UTC(2026, 0, 5), Date.UTC(2026, 2, 31), Date.UTC(2026, 3, 2, 23, 59))).toBe(
    Date.UTC(2026, 0, 6),
  );
});
