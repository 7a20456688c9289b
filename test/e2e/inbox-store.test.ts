/**
 * The /inbox viewer on a server with a store, as `npm start` runs the sandbox: the sidebar lists
 * the store's conversations, most recent activity first, and an open live conversation shows
 * each new message once, in order, as `messageAdded` delivers it. Nothing waits on a timer: the
 * live hub polls only when the test wakes it, and the test counts what the page shows.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClient, fetchOlderPage } from '../../examples/client/src/client.js';
import { ConversationListDocument } from '../../examples/client/src/gql/graphql.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { primeStore } from '../../src/store/prime.js';
import { type Browser, launchBrowser, type RunningApi, startApi } from './server.js';

/** Polls only when a test wakes them. */
const NEVER = 3_600_000;

let api: RunningApi;
let browser: Browser;

beforeAll(async () => {
  api = await startApi({ store: true, policy: { live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } } });
  // What `npm start` does in the background: read every sandbox conversation once.
  await primeStore(api.app, api.sandbox.conversations).done;
  browser = await launchBrowser(api.url, { mediaOrigins: api.mediaOrigins });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function openInbox(hash = ''): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${api.url}/inbox${hash}`);
  return page;
}

const request = () => createClient({ url: `${api.url}/graphql` });

test('lists the store conversations, most recent activity first, with activity and preview', async () => {
  const listed = (await request()(ConversationListDocument, { first: 50, after: null })).conversations;
  const expected = listed.edges.map((edge) => edge.node);
  // The store lists the sandbox conversations it saw messages of (the empty ones have no
  // activity), each once, in one page.
  expect(listed.pageInfo.hasNextPage).toBe(false);
  const names = expected.map((c) => `${c.source.name}/${c.externalId}`);
  const sandbox = api.sandbox.conversations.map((c) => `${c.source}/${c.externalId}`);
  expect(names.filter((name) => !sandbox.includes(name))).toEqual([]);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((name) => name.endsWith('sandbox-long'))).toHaveLength(4);

  const page = await openInbox();
  await expect.poll(() => page.locator('#sidebar').getAttribute('data-listing')).toBe('store');
  const links = page.locator('#recent .conversation-link');
  expect(await links.evaluateAll((items) => items.map((a) => a.getAttribute('data-id')))).toEqual(
    expected.map((c) => c.id),
  );
  const times = await links.evaluateAll((items) =>
    items.map((a) => a.querySelector('time')?.getAttribute('datetime') ?? ''),
  );
  expect(times).toEqual(expected.map((c) => c.summary?.lastActivityAt ?? ''));
  expect(times.every((t) => t !== '')).toBe(true);
  expect(times).toEqual([...times].sort().reverse());
  const previews = await links.evaluateAll((items) =>
    items.map((a) => a.querySelector('.preview')?.textContent ?? null),
  );
  expect(previews).toEqual(expected.map((c) => c.summary?.preview ?? null));
  expect(previews.some((p) => p !== null)).toBe(true);
  // The known-conversations fallback is not shown next to the store's listing.
  expect(await page.locator('#sidebar h2').allTextContents()).toEqual([
    'Recent activity',
    'Open by external id',
  ]);

  // A listed conversation opens like any other.
  await links.first().click();
  await expect.poll(() => page.locator('#transcript').getAttribute('data-state')).not.toBe('loading');
  expect(await page.locator('#recent .conversation-link.selected').getAttribute('data-id')).toBe(
    expected[0]?.id,
  );
  await page.close();
});

test('the list follows the store: a conversation recorded after the page loaded shows, first', async () => {
  const page = await openInbox();
  await expect.poll(() => page.locator('#sidebar').getAttribute('data-listing')).toBe('store');
  const links = page.locator('#recent .conversation-link');
  const ids = () => links.evaluateAll((items) => items.map((a) => a.getAttribute('data-id')));
  const before = await ids();
  const version = Number(await page.locator('#recent-section').getAttribute('data-version'));
  // What the start-up listing walk does for a conversation a vendor lists: newer than all shown.
  const source = sandboxSourceName('MYSCRM');
  const recorder = api.app.store?.recorder;
  recorder?.listed({
    source,
    vendor: 'MYSCRM',
    externalId: 'listed-after-the-page',
    lastActivityAt: Date.now() + 60_000,
    lastMessageId: null,
    preview: null,
    participants: [],
    flags: [],
    title: 'Listed after the page loaded',
  });
  await recorder?.flush();
  const added = encodeNodeId({ kind: 'Conversation', source, conversation: 'listed-after-the-page' });
  // Waits for the page to follow (long poll, then a GraphQL read); asserts no duration.
  await expect.poll(ids, { timeout: 20_000 }).toEqual([added, ...before]);
  expect(await links.first().locator('strong').textContent()).toBe('Listed after the page loaded');
  // The page shows the listing at the store's current version, read after the change.
  const shown = Number(await page.locator('#recent-section').getAttribute('data-version'));
  expect(shown).toBe(recorder?.version);
  expect(shown).toBeGreaterThan(version);
  await page.close();
});

test('an open sandbox-live conversation shows each new message once, in order', async () => {
  const feed = api.sandbox.live?.get('WECHAT_STORE') as LiveFeed;
  const source = sandboxSourceName('WECHAT_STORE');
  const id = encodeNodeId({ kind: 'Conversation', source, conversation: feed.externalId });
  feed.append(3);
  const shownIds = (page: Page) =>
    page
      .locator('#messages > li.message')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
  /** Wakes the conversation's poller each time the page is checked: a poll is all it takes. */
  const countAfterWake = async (page: Page) => {
    await liveHub(api.app).wake(source, feed.externalId);
    return page.locator('#messages > li.message').count();
  };
  const history = async () =>
    (await fetchOlderPage(request(), id, { first: 100 })).messages.map((m) => m.id).reverse();

  const page = await openInbox(`#${encodeURIComponent(id)}`);
  await expect.poll(() => page.locator('#transcript').getAttribute('data-state')).toBe('complete');
  const before = await shownIds(page);
  expect(before).toEqual(await history());
  await expect.poll(() => page.locator('#transcript').getAttribute('data-live')).toBe('on');

  feed.append(5);
  await expect.poll(() => countAfterWake(page)).toBe(before.length + 5);
  feed.append(2);
  await expect.poll(() => countAfterWake(page)).toBe(before.length + 7);
  // Another poll finds nothing new: nothing is shown twice.
  await liveHub(api.app).wake(source, feed.externalId);
  const after = await shownIds(page);
  expect(after).toEqual(await history());
  expect(after).toHaveLength(before.length + 7);
  expect(new Set(after).size).toBe(after.length);
  expect(await page.locator('#transcript').getAttribute('data-count')).toBe(String(after.length));
  await page.close();
});
