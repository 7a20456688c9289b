/**
 * The README's example queries, run as written against a sandbox started as `npm start` starts
 * it (dates relative to the day, here a fixed "today"), return what the README says they return.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createSources } from '../../src/sources/index.js';
import { type ChatgraphYoga, createChatgraphYoga } from '../../src/yoga.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const TODAY = Date.UTC(2026, 10, 30, 5, 20);
const DAY = 86_400_000;

/** The fenced block of `language` that follows `marker` in the README. */
function blockAfter(marker: string, language: string): string {
  const at = README.indexOf(marker);
  expect(at, `README mentions "${marker}"`).toBeGreaterThan(-1);
  const open = README.indexOf(`\`\`\`${language}\n`, at);
  const close = README.indexOf('```', open + 4 + language.length);
  return README.slice(open + 4 + language.length, close);
}

let sandbox: Sandbox;
let yoga: ChatgraphYoga;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: ['WECHAT_STORE'], now: TODAY });
  const logger = silentLogger();
  app = createApp({
    sources: createSources(sandbox.sources, { logger }),
    cursorSecret: 'readme-secret-0123456789',
    logger,
  });
  yoga = createChatgraphYoga(app);
});
afterAll(async () => {
  await closeApp(app);
  await sandbox?.close();
});

async function run(query: string, variables: Record<string, unknown> = {}) {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the answers are read as the README's plain JSON.
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

test('the first example returns the first 20 messages of the sample room', async () => {
  const result = await run(blockAfter('The first page of the WeChat Shop sample room', 'graphql'));
  expect(result.errors).toBeUndefined();
  expect(result.data.source.conversation.messages.edges).toHaveLength(20);
});

test("the last-week example names its conversation and returns the customer's images of that week", async () => {
  const marker = "customer's images of the last week";
  const query = blockAfter(marker, 'graphql');
  const variables = JSON.parse(blockAfter(marker, 'json')) as { id: string; since: string };
  // "seven days before now", as a reader would write it on the day.
  variables.since = new Date(TODAY - 7 * DAY).toISOString();
  const result = await run(query, variables);
  expect(result.errors).toBeUndefined();
  const shown: Array<{ sentAt: string; content: { url: string } }> =
    result.data.conversation.messages.edges.map((e: { node: unknown }) => e.node);

  // What the README promises, checked against the whole week read without the filter.
  type Row = { sentAt: string; kind: string; sender: { role: string } };
  const all: Row[] = [];
  for (let after: string | null = null; ; ) {
    const week = await run(
      `query ($id: ID!, $since: DateTime!, $after: String) { conversation(id: $id) {
        messages(first: 100, after: $after, filter: { since: $since }) {
          edges { node { sentAt kind sender { role } } } pageInfo { hasNextPage endCursor } } } }`,
      { ...variables, after },
    );
    const { edges, pageInfo } = week.data.conversation.messages;
    all.push(...edges.map((e: { node: Row }) => e.node));
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  const expected = all.filter((m) => m.kind === 'IMAGE' && m.sender.role === 'CUSTOMER').map((m) => m.sentAt);
  expect(expected.length).toBeGreaterThan(0);
  expect(shown.map((m) => m.sentAt)).toEqual(expected.slice(0, 50));
  for (const message of shown) {
    expect(Date.parse(message.sentAt)).toBeGreaterThanOrEqual(TODAY - 7 * DAY);
    expect(Date.parse(message.sentAt)).toBeLessThan(TODAY);
    expect(message.content.url).toMatch(/^https?:\/\//);
  }
  // The history ends the day before "today".
  expect(all[0]?.sentAt.slice(0, 10)).toBe('2026-11-29');
});
