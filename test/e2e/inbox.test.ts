/**
 * The /inbox transcript viewer in a real browser: it lists the sandbox's conversations, shows
 * each content kind as a chat app would, and loads older messages as the reader scrolls up.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Block, messageView } from '../../examples/client/src/blocks.js';
import { createClient, fetchOlderPage } from '../../examples/client/src/client.js';
import { encodeNodeId } from '../../src/ids.js';
import type { Vendor } from '../../src/model/index.js';
import { type Browser, launchBrowser, type RunningApi, SCREENSHOTS, startApi } from './server.js';

let api: RunningApi;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  api = await startApi();
  browser = await launchBrowser(api.url, { mediaOrigins: api.mediaOrigins });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

const conversationId = (source: string, externalId: string) =>
  encodeNodeId({ kind: 'Conversation', source, conversation: externalId });

async function openInbox(): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${api.url}/inbox`);
  return page;
}

const transcript = (page: Page) => page.locator('#transcript');

test('lists every source with its sandbox conversations', async () => {
  const page = await openInbox();
  await expect
    .poll(() => page.locator('#sidebar h2').allTextContents())
    .toEqual([
      'wechat-store WECHAT_STORE',
      'airudder AIRUDDER',
      'weizhipin WEIZHIPIN',
      'myscrm MYSCRM',
      'Open by external id',
    ]);
  // No store: `conversations` answers STORE_NOT_CONFIGURED and the app's known list is shown.
  expect(await page.locator('#sidebar').getAttribute('data-listing')).toBe('known');
  const links = page.locator('.conversation-link strong');
  expect(await links.allInnerTexts()).toEqual(api.sandbox.conversations.map((c) => c.externalId));
  await page.close();
});

test('opens a conversation and loads older messages as the reader scrolls up', async () => {
  const page = await openInbox();
  await page.locator('.conversation-link', { hasText: 'sandbox-long' }).first().click();
  await expect.poll(() => transcript(page).getAttribute('data-state')).toBe('idle');
  expect(await transcript(page).getAttribute('data-count')).toBe('30');
  expect(await page.locator('#messages > li.message').count()).toBe(30);
  expect(await page.locator('.conversation-header h2').innerText()).toBe('sandbox-long');
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-wechat-store.png') });

  const calls = api.sandbox.emulators.get('WECHAT_STORE')?.calls;
  const callsBefore = calls?.count ?? 0;
  const firstBefore = await page.locator('#messages > li.message').first().getAttribute('data-id');
  const newest = await page.locator('#messages > li.message').last().getAttribute('data-id');

  // Scroll up as a reader would, with the wheel over the transcript.
  await transcript(page).hover();
  await page.mouse.wheel(0, -100_000);
  await expect.poll(() => transcript(page).getAttribute('data-count')).toBe('50');
  await expect.poll(() => transcript(page).getAttribute('data-state')).toBe('idle');
  expect(calls?.count ?? 0).toBeGreaterThan(callsBefore);

  const ids = await page
    .locator('#messages > li.message')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
  expect(ids).toHaveLength(50);
  expect(new Set(ids).size).toBe(50);
  // The older page went above what was there; the newest message is still last.
  expect(ids.indexOf(firstBefore)).toBe(20);
  expect(ids.at(-1)).toBe(newest);
  const times = await page
    .locator('#messages > li.message time')
    .evaluateAll((items) => items.map((t) => t.getAttribute('datetime') ?? ''));
  expect(times).toEqual([...times].sort());
  // What the reader was looking at stays in view rather than jumping to the top.
  expect(await transcript(page).evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-wechat-store-older.png') });
  await page.close();
});

/** How many of each block kind the page must show for these messages (nested blocks included). */
function expectedBlocks(blocks: Block[], counts: Record<string, number> = {}): Record<string, number> {
  for (const block of blocks) {
    counts[block.type] = (counts[block.type] ?? 0) + 1;
    if (block.type === 'prompt' && block.header) expectedBlocks([block.header], counts);
    if (block.type === 'template') {
      expectedBlocks(block.header ? [block.header] : [], counts);
      for (const card of block.cards) expectedBlocks(card.header ? [card.header] : [], counts);
    }
  }
  return counts;
}

const BLOCK_SELECTOR: Record<Block['type'], string> = {
  text: 'p.text',
  'rich-text': '.rich-text',
  image: '.image',
  video: '.video',
  audio: '.audio',
  file: '.file',
  card: '.card',
  prompt: '.prompt',
  template: '.template',
  notice: '.notice',
  unsupported: '.unsupported',
};

const LONG: Array<[Vendor, string, string]> = [
  ['WECHAT_STORE', 'wechat-store', 'sandbox-long'],
  ['AIRUDDER', 'airudder', 'sandbox-long'],
  ['WEIZHIPIN', 'weizhipin', 'open_id:sandbox-long'],
  ['MYSCRM', 'myscrm', 'sandbox-long'],
];

test.each(LONG)(
  'shows every content kind of %s as the API returns it',
  async (vendor, source, externalId) => {
    const id = conversationId(source, externalId);
    const request = createClient({ url: `${api.url}/graphql` });
    const views = (await fetchOlderPage(request, id, { first: 30 })).messages.map(messageView);
    const expected = expectedBlocks(views.flatMap((view) => view.blocks));

    const page = await openInbox();
    await page.goto(`${api.url}/inbox#${encodeURIComponent(id)}`);
    await expect.poll(() => transcript(page).getAttribute('data-count')).toBe('30');
    const shown: Record<string, number> = {};
    for (const [type, selector] of Object.entries(BLOCK_SELECTOR)) {
      const count = await page.locator(`#messages ${selector}`).count();
      if (count > 0) shown[type] = count;
    }
    expect(shown).toEqual(expected);
    expect(await page.locator('#messages .message.recalled').count()).toBe(
      views.filter((v) => v.recalled).length,
    );
    expect(await page.locator('#messages .message.system').count()).toBe(
      views.filter((v) => v.side === 'system').length,
    );
    await page.screenshot({ path: join(SCREENSHOTS, `inbox-${vendor.toLowerCase()}.png`), fullPage: false });
    await page.close();
  },
);

test('shows a prompt with its buttons and list, templates, files and quotes (AIRUDDER sample)', async () => {
  const page = await openInbox();
  await page.locator('.conversation-link', { hasText: '7738ff156ad12075578af25c84908567' }).click();
  await expect.poll(() => transcript(page).getAttribute('data-state')).toBe('complete');
  expect(await transcript(page).getAttribute('data-count')).toBe('18');
  expect(await page.locator('#older-status').innerText()).toBe('The beginning of the conversation.');
  expect(await page.locator('.prompt .buttons').first().locator('.chip').allInnerTexts()).toEqual([
    '男',
    '女',
    '其他',
  ]);
  expect(await page.locator('.list-prompt summary').allInnerTexts()).toHaveLength(1);
  expect(await page.locator('.list-prompt li').allInnerTexts()).toEqual([
    '物流查询',
    '网点查询',
    '大件快递',
    '小件快递',
  ]);
  expect(await page.locator('a.file').innerText()).toContain('welcome_to_Earth.pdf');
  // In the vendor's own (unsorted) order, oldest at the top.
  expect(await page.locator('.template-name').allInnerTexts()).toEqual([
    'LINE TEMPLATE · BUTTONS',
    'LINE TEMPLATE · CAROUSEL',
    'WHATSAPP TEMPLATE · CAROUSEL_TTT_001',
    'WHATSAPP TEMPLATE · CAMPAIGN1',
    'INSTAGRAM TEMPLATE · GENERIC',
    'INSTAGRAM TEMPLATE · GENERIC',
  ]);
  expect(await page.locator('.quote').first().innerText()).toBe(
    '一位来自WhatsApp的J&T 朋友 ,欢迎使用 J&T Express 客户服务',
  );
  await page.locator('.prompt').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-airudder-sample.png') });
  await page.close();
});

test('shows the sandbox media the emulators serve: images load and audio has its length', async () => {
  const page = await openInbox();
  await page.goto(`${api.url}/inbox#${encodeURIComponent(conversationId('wechat-store', 'sandbox-long'))}`);
  await expect.poll(() => transcript(page).getAttribute('data-state')).toBe('idle');
  const images = page.locator('#messages .image img');
  expect(await images.count()).toBeGreaterThan(0);
  // Scrolling to them can load older messages above them, which moves `first()`: each is found
  // again by its message's id, so the one scrolled to is the one checked.
  const inMessage = async (media: string) => {
    const id = await page
      .locator('#messages li[data-id]', { has: page.locator(media) })
      .first()
      .getAttribute('data-id');
    return page.locator(`#messages li[data-id="${id}"] ${media}`);
  };
  const image = await inMessage('.image img');
  await image.scrollIntoViewIfNeeded();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
  expect(await page.getByText('Image unavailable').count()).toBe(0);
  const audio = await inMessage('audio');
  await audio.scrollIntoViewIfNeeded();
  await audio.evaluate((a: HTMLAudioElement) => a.load());
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration)).toBe(1);
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-wechat-store-media.png') });
  // No sandbox link points anywhere but the emulators (the vendors' own samples do, verbatim).
  expect(browser.external.filter((r) => r.url.includes('chatgraph.invalid'))).toEqual([]);
  await page.close();
});
