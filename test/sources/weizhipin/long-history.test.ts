/**
 * Long histories (issue 13, finding 5): a scan two years deep is bounded per page and resumable,
 * never QUERY_TOO_COMPLEX; an empty page says how far it looked; the default lookback is stated
 * as the bound reached, not presented as the start of the chat. Counts, not times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  WEIZHIPIN_SAMPLE_CHAT,
  weizhipinSampleRecords,
} from '../../../src/sources/weizhipin/sandbox/data.js';
import {
  DAY_MS,
  startWeizhipinHarness,
  textRecord,
  today,
  type WeizhipinHarness,
} from './weizhipin-harness.js';

const SCANNED = `query Page($id: ID!, $first: Int, $after: String, $filter: MessageFilter) {
  conversation(id: $id) {
    messages(first: $first, after: $after, filter: $filter) {
      edges { node { externalId } }
      pageInfo { hasNextPage endCursor }
      scannedUntil
    }
  }
}`;

interface Scanned {
  edges: Array<{ node: { externalId: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  scannedUntil: string | null;
}

describe('weizhipin long histories', () => {
  let h: WeizhipinHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function page(id: string, args: Record<string, unknown>): Promise<Scanned> {
    const result = await (h as WeizhipinHarness).query<{ conversation: { messages: Scanned } }>(SCANNED, {
      id,
      ...args,
    });
    expect(result.errors).toBeUndefined();
    return (result.data as { conversation: { messages: Scanned } }).conversation.messages;
  }

  it('walks two years back in bounded pages that resume, without QUERY_TOO_COMPLEX', async () => {
    const day = today();
    const chat = 'open_id:ou_two_years';
    const records = [
      textRecord((day - 700) * DAY_MS + 5_000, 'old', 'old~'),
      textRecord(day * DAY_MS - 5_000, 'new', 'new~'),
    ];
    h = await startWeizhipinHarness({
      chats: new Map([[chat, records]]),
      config: { windowConcurrency: 8 },
      policy: { maxVendorCalls: 200 },
    });
    const id = await h.chatId(chat);
    const since = new Date((day - 730) * DAY_MS).toISOString();
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let emptyBefore = 0;
    for (;;) {
      const result: Scanned = await page(id, { first: 10, after, filter: { since } });
      pages++;
      ids.push(...result.edges.map((edge) => edge.node.externalId));
      if (ids.length === 1 && result.edges.length === 0) emptyBefore++;
      if (!result.pageInfo.hasNextPage) {
        expect(result.scannedUntil).toBeNull();
        break;
      }
      // Not the end: the page says how far it looked, and its cursor resumes from there.
      expect(result.scannedUntil).not.toBeNull();
      after = result.pageInfo.endCursor;
      expect(after).not.toBeNull();
    }
    expect(ids).toEqual(['new~', 'old~']);
    // 731 windows, each read once, at most 100 (+ one read-ahead batch) per page.
    expect(h.emulator.messageCalls).toBeGreaterThanOrEqual(731);
    expect(h.emulator.messageCalls).toBeLessThan(731 + 8 * pages);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(731 / 108));
    expect(emptyBefore).toBeGreaterThan(0);
  });

  it('states the default lookback as how far an empty page looked', async () => {
    h = await startWeizhipinHarness({
      chats: new Map([[WEIZHIPIN_SAMPLE_CHAT, weizhipinSampleRecords()]]),
      config: { lookbackDays: 90 },
    });
    const id = await h.chatId(WEIZHIPIN_SAMPLE_CHAT);
    const result = await page(id, { first: 5 });
    expect(result.edges).toEqual([]);
    expect(result.pageInfo.hasNextPage).toBe(false);
    expect(result.scannedUntil).toBe(new Date((today() - 90) * DAY_MS).toISOString());
    // With filter.since (and until, to keep it to ten windows), the sample's message is found.
    const filter = { since: '2023-04-01T00:00:00Z', until: '2023-04-10T00:00:00Z' };
    const found = await page(id, { first: 5, filter });
    expect(found.edges).toHaveLength(1);
    expect(found.scannedUntil).toBeNull();
  });
});
