/**
 * /inbox as an agent in China sees it: days labelled in the viewer's time zone (UTC+8 here), and
 * Chinese text drawn with a font that has its glyphs (not boxes) — the font test/e2e/global-setup.ts
 * and .ci/run install.
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { type Browser, launchBrowser, type RunningApi, SCREENSHOTS, startApi } from './server.js';

let api: RunningApi;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  api = await startApi();
  browser = await launchBrowser(api.url, { timezoneId: 'Asia/Shanghai' });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function openConversation(source: string, externalId: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });
  await page.goto(`${api.url}/inbox#${encodeURIComponent(id)}`);
  await expect.poll(() => page.locator('#transcript').getAttribute('data-state')).not.toBe('loading');
  await expect
    .poll(async () => Number(await page.locator('#transcript').getAttribute('data-count')))
    .toBeGreaterThan(0);
  return page;
}

/** Day labels as a list would show them: one per run of messages on the same day. */
function dayRuns(instants: string[], offsetHours: number): string[] {
  const days = instants.map((iso) =>
    new Date(Date.parse(iso) + offsetHours * 3_600_000).toISOString().slice(0, 10),
  );
  return days.filter((day, i) => i === 0 || days[i - 1] !== day);
}

test('labels days in the viewer’s time zone (UTC+8), not UTC', async () => {
  const page = await openConversation('wechat-store', 'sandbox-long');
  const instants = await page
    .locator('#messages > li.message time')
    .evaluateAll((items) => items.map((t) => t.getAttribute('datetime') ?? ''));
  const labels = await page.locator('#messages > li.day').allInnerTexts();
  // The conversation has messages between 16:00 and 24:00 UTC, where the two calendars differ.
  expect(dayRuns(instants, 8)).not.toEqual(dayRuns(instants, 0));
  expect(labels).toEqual(dayRuns(instants, 8));
  // The clock beside a message is the viewer's too: 16:05 UTC shows as 00:05.
  const [first] = instants;
  const shown = await page.locator('#messages > li.message time').first().innerText();
  const local = new Date(Date.parse(first ?? '') + 8 * 3_600_000).toISOString().slice(11, 16);
  expect(shown).toContain(local);
  await page.close();
});

/** The font families fontconfig says cover Chinese. */
function cjkFamilies(): string[] {
  const out = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return out
    .split('\n')
    .flatMap((line) => line.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
}

test('draws a Chinese message with a font that has its glyphs', async () => {
  const page = await openConversation('wechat-store', '4370405345218887686');
  const text = '不可能，乱弹琴。';
  const paragraph = page.locator('#messages p.text', { hasText: text }).first();
  await paragraph.scrollIntoViewIfNeeded();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const marker = await paragraph.evaluate((p) => {
    p.setAttribute('data-font-probe', '1');
    return p.textContent ?? '';
  });
  const { nodeId } = await cdp.send('DOM.querySelector', {
    nodeId: root.nodeId,
    selector: '[data-font-probe]',
  });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  const han = [...marker].filter((c) => /\p{Script=Han}/u.test(c)).length;
  expect(han).toBeGreaterThanOrEqual(6);
  const families = new Set(cjkFamilies());
  // Every Han character was drawn by a font that covers Chinese: no fallback boxes.
  const cjkGlyphs = fonts.filter((f) => families.has(f.familyName)).reduce((sum, f) => sum + f.glyphCount, 0);
  expect(fonts.map((f) => f.familyName).filter((f) => families.has(f))).not.toEqual([]);
  expect(cjkGlyphs).toBeGreaterThanOrEqual(han);
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-utc8-chinese.png') });
  await cdp.detach();
  await page.close();
});
