/**
 * The start-up walk of vendor listings: every configured member's pages, recorded with their
 * titles; bounded when a vendor's cursor never ends; an error logged and the walk gone on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { silentLogger } from '../../src/logger.js';
import type { AnySource, ConversationListPage, ListMember } from '../../src/sources/source.js';
import { MAX_LIST_PAGES, walkListings } from '../../src/store/listing-walk.js';
import { Recorder } from '../../src/store/recorder.js';
import { Store } from '../../src/store/store.js';
import { testStoreConfig } from '../helpers/store-engines.js';

const T0 = Date.UTC(2026, 0, 12);
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function openStore(listMembers: ListMember[]): Promise<Store> {
  const store = await Store.open(
    await testStoreConfig('sqlite', { scrm: { archive: false, retentionDays: null, listMembers } }),
  );
  opened.push(store);
  return store;
}

/** A source whose listing is `list`, counting its calls; only what the walk uses is real. */
function listingSource(list: (member: ListMember, cursor: string | null) => ConversationListPage) {
  const calls: Array<[string, string | null]> = [];
  const source = {
    name: 'scrm',
    vendor: 'MYSCRM',
    async listConversations(member: ListMember, cursor: string | null) {
      calls.push([member.id, cursor]);
      return list(member, cursor);
    },
  } as unknown as AnySource;
  return { source, calls };
}

const chat = (id: string, hour: number) => ({
  externalId: id,
  title: `群 ${id}`,
  createdAt: T0,
  lastActivityAt: T0 + hour * 3_600_000,
  avatarUrl: null,
});

async function listed(store: Store) {
  const rows = await store.listConversations(
    { sources: ['scrm'] },
    { direction: 'older', from: null, stopAt: null, limit: 100 },
  );
  return rows.map((row) => [row.externalId, row.title]);
}

describe('walkListings', () => {
  it("records every page of every member's listing, titled, most recent first", async () => {
    const store = await openStore([
      { id: 'e1', type: 'employee' },
      { id: 'c1', type: 'external' },
    ]);
    const { source, calls } = listingSource((member, cursor) =>
      member.id === 'e1'
        ? cursor === null
          ? { conversations: [chat('a', 5), chat('b', 4)], nextCursor: 'p2' }
          : { conversations: [chat('c', 1)], nextCursor: null }
        : { conversations: [chat('b', 4), chat('d', 3)], nextCursor: null },
    );
    const walk = walkListings(
      [source],
      (name) => store.policy(name),
      new Recorder(store, silentLogger()),
      silentLogger(),
    );
    await walk.done;
    expect(calls).toEqual([
      ['e1', null],
      ['e1', 'p2'],
      ['c1', null],
    ]);
    expect(await listed(store)).toEqual([
      ['a', '群 a'],
      ['b', '群 b'],
      ['d', '群 d'],
      ['c', '群 c'],
    ]);
  });

  it('stops at MAX_LIST_PAGES when the cursor never ends, and at a cursor that does not move', async () => {
    const store = await openStore([
      { id: 'endless', type: 'employee' },
      { id: 'stuck', type: 'employee' },
    ]);
    let page = 0;
    const { source, calls } = listingSource((member) =>
      member.id === 'endless'
        ? { conversations: [chat(`x${page}`, page)], nextCursor: `p${++page}` }
        : { conversations: [], nextCursor: 'same' },
    );
    await walkListings(
      [source],
      (name) => store.policy(name),
      new Recorder(store, silentLogger()),
      silentLogger(),
    ).done;
    expect(calls.filter(([id]) => id === 'endless')).toHaveLength(MAX_LIST_PAGES);
    // The first page's cursor is null, the second's "same": a third would be the second again.
    expect(calls.filter(([id]) => id === 'stuck')).toHaveLength(2);
    expect(await listed(store)).toHaveLength(MAX_LIST_PAGES);
  });

  it('logs a failing member and goes on with the next; sources without members or a listing are skipped', async () => {
    const store = await openStore([
      { id: 'broken', type: 'employee' },
      { id: 'e1', type: 'employee' },
    ]);
    const { source, calls } = listingSource((member) => {
      if (member.id === 'broken') throw new Error('vendor down');
      return { conversations: [chat('a', 1)], nextCursor: null };
    });
    const warnings: unknown[] = [];
    const logger: Logger = Object.create(silentLogger(), {
      warn: { value: (fields: unknown) => warnings.push(fields) },
    });
    const unlisted = { name: 'other', vendor: 'MYSCRM' } as unknown as AnySource;
    const { source: unconfigured, calls: unconfiguredCalls } = listingSource(() => ({
      conversations: [],
      nextCursor: null,
    }));
    Object.assign(unconfigured, { name: 'unconfigured' });
    await walkListings(
      [unlisted, unconfigured, source],
      (name) => store.policy(name),
      new Recorder(store, silentLogger()),
      logger,
    ).done;
    expect(calls.map(([id]) => id)).toEqual(['broken', 'e1']);
    expect(unconfiguredCalls).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ source: 'scrm', member: 'broken' });
    expect(await listed(store)).toEqual([['a', '群 a']]);
  });
});
