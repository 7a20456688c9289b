/** GraphiQL, in a real browser, with no network but the API: type a query, run it, read the result. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, launchBrowser, type RunningApi, SCREENSHOTS, startApi } from './server.js';

let api: RunningApi;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  api = await startApi();
  browser = await launchBrowser(api.url);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** The operation a request carries, in its body (POST) or its address (GET). */
const sent = (request: Request): string =>
  request.postData() ?? new URL(request.url()).searchParams.get('query') ?? '';

test('GraphiQL loads without a CDN and runs a query typed into its editor, its Chinese result read off the wire', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${api.url}/graphql`);

  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Committed as an input method commits text, so the editor's auto-closing brackets stay out of it.
  const typed =
    '{ sources { name vendor } source(name: "wechat-store") { conversation(externalId: "4370405345218887686") { messages(first: 2) { edges { node { kind text } } } } } }';
  await page.keyboard.insertText(typed);
  // GraphiQL takes an edit in 100 ms later (debounced): until then it still holds the operation
  // name of the text it opened on, and a run sends nothing but a client-side "Cannot infer
  // operation". It has taken the edit in once it writes it into the address (`?query=`).
  await expect.poll(() => new URL(page.url()).searchParams.get('query')).toBe(typed);
  // The result is read from the wire, not from the result pane: Monaco wraps long lines (a Chinese
  // message in a CJK font is one) and the pane's text is then no longer the JSON it shows.
  const [response] = await Promise.all([
    page.waitForResponse((r) => sent(r.request()).includes('sources')),
    page.locator('.graphiql-execute-button').click(),
  ]);
  await expect.poll(() => page.locator('.graphiql-response').innerText()).toContain('edges');
  const body = (await response.json()) as {
    data: {
      source: { conversation: { messages: { edges: Array<{ node: { kind: string; text: string } }> } } };
    };
  };
  expect(
    body.data.source.conversation.messages.edges
      .slice(0, 2)
      .map(({ node }) => ({ kind: node.kind, text: node.text })),
  ).toEqual([
    { kind: 'SYSTEM', text: '用户超时未回，会话已结束，两天内仍可再次联系' },
    { kind: 'TEXT', text: '051683' },
  ]);
  await page.screenshot({ path: join(SCREENSHOTS, 'graphiql.png') });
  // Scripts, styles and fonts all came from the API itself.
  expect(browser.external).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('GraphiQL opens on an example query against a sandbox conversation, and runs it', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${api.url}/graphql`);
  const lines = page.locator('.graphiql-query-editor .view-lines').first();
  await expect.poll(() => lines.innerText()).toContain('messages(');
  const shown = (await lines.innerText()).replaceAll('\u00a0', ' ');
  const first = api.sandbox.conversations[0];
  expect(shown).toContain(`source(name: "${first?.source}")`);
  expect(shown).toContain(`conversation(externalId: "${first?.externalId}")`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => sent(r.request()).includes('ExampleConversation')),
    page.locator('.graphiql-execute-button').click(),
  ]);
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  expect(body.data.source.conversation.messages.edges).toHaveLength(5);
  await page.close();
});

test('GraphiQL opens on the query in its address (a shared link) rather than the example', async () => {
  const page = await browser.context.newPage();
  const shared = '{ sources { name } }';
  await page.goto(`${api.url}/graphql?query=${encodeURIComponent(shared)}`);
  const lines = page.locator('.graphiql-query-editor .view-lines').first();
  await expect.poll(() => lines.innerText()).toContain('sources');
  const shown = (await lines.innerText()).replaceAll('\u00a0', ' ');
  expect(shown).toBe(shared);
  await page.close();
});
