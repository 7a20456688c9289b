/** GraphiQL, in a real browser, with no network but the API: type a query, run it, read the result. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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

test('GraphiQL loads without a CDN and runs a query typed into its editor', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${api.url}/graphql`);

  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // One line: the editor closes brackets as they open and types over them as they close.
  await page.keyboard.type(
    '{ sources { name vendor } source(name: "wechat-store") { conversation(externalId: "4370405345218887686") { messages(first: 2) { edges { node { kind text } } } } } }',
  );
  await page.locator('.graphiql-execute-button').click();

  const response = page.locator('.graphiql-response');
  await expect.poll(() => response.innerText()).toContain('"edges"');
  const text = (await response.innerText()).replaceAll('\u00a0', ' ');
  expect(JSON.parse(text)).toEqual({
    data: {
      sources: [
        { name: 'wechat-store', vendor: 'WECHAT_STORE' },
        { name: 'airudder', vendor: 'AIRUDDER' },
        { name: 'weizhipin', vendor: 'WEIZHIPIN' },
        { name: 'myscrm', vendor: 'MYSCRM' },
      ],
      source: {
        conversation: {
          messages: {
            edges: [
              { node: { kind: 'SYSTEM', text: '用户超时未回，会话已结束，两天内仍可再次联系' } },
              { node: { kind: 'TEXT', text: '051683' } },
            ],
          },
        },
      },
    },
  });
  await page.screenshot({ path: join(SCREENSHOTS, 'graphiql.png') });
  // Scripts, styles and fonts all came from the API itself.
  expect(browser.external).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
