/**
 * The paging engine on in-memory sources (no HTTP): vendors as their documents allow, with page
 * caps, inclusive anchors, repeated records, equal timestamps, sparse windows and cursors that do
 * not advance. Counts, not times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChatgraphError } from '../../src/errors.js';
import type { SenderRole } from '../../src/model/index.js';
import { pageAround } from '../../src/resolvers/around.js';
import { type ConnectionArgs, type MessageConnection, pageMessages } from '../../src/resolvers/paging.js';
import { engineFor } from '../helpers/engine.js';
import {
  type MemorySource,
  type MemorySourceOptions,
  memoryMessage,
  memorySource,
} from '../helpers/memory-source.js';

const DAY = 86_400_000;

/** One GraphQL operation's worth of engine: its own loaders, as `engineOf` gives a resolver. */
function page(
  source: MemorySource,
  args: ConnectionArgs,
  maxVendorCalls = 1_000,
): Promise<MessageConnection> {
  return pageMessages(engineFor(source, maxVendorCalls), conversationOf(source), args);
}

const conversationOf = (source: MemorySource) => ({
  vendor: source.vendor,
  source: source.name,
  externalId: 'c',
});

interface Walked {
  ids: string[];
  pages: number;
  /** The typed error a page failed with, ending the walk. */
  error?: unknown;
}

/** `first`/`after` from the newest; ids in list order. */
async function walkForward(
  source: MemorySource,
  size: number,
  filter?: ConnectionArgs['filter'],
  maxVendorCalls?: number,
): Promise<Walked> {
  const walked: Walked = { ids: [], pages: 0 };
  let after: string | null = null;
  for (;;) {
    const result: MessageConnection | null = await page(
      source,
      { first: size, after, filter },
      maxVendorCalls,
    ).catch((error) => {
      if (!isChatgraphError(error)) throw error;
      walked.error = error;
      return null;
    });
    if (!result) return walked;
    walked.pages++;
    walked.ids.push(...result.edges.map((edge) => edge.node.externalId));
    if (!result.pageInfo.hasNextPage) return walked;
    after = result.pageInfo.endCursor;
    if (walked.pages > 10_000) throw new Error('the walk did not end');
  }
}

/** `last`/`before` from the oldest; ids in list order. */
async function walkBackward(
  source: MemorySource,
  size: number,
  filter?: ConnectionArgs['filter'],
  maxVendorCalls?: number,
): Promise<Walked> {
  const chunks: string[][] = [];
  const walked: Walked = { ids: [], pages: 0 };
  let before: string | null = null;
  for (;;) {
    const result: MessageConnection | null = await page(
      source,
      { last: size, before, filter },
      maxVendorCalls,
    ).catch((error) => {
      if (!isChatgraphError(error)) throw error;
      walked.error = error;
      return null;
    });
    if (!result) break;
    walked.pages++;
    chunks.unshift(result.edges.map((edge) => edge.node.externalId));
    if (!result.pageInfo.hasPreviousPage) break;
    before = result.pageInfo.startCursor;
    if (walked.pages > 10_000) throw new Error('the walk did not end');
  }
  walked.ids = chunks.flat();
  return walked;
}

const ROLES: SenderRole[] = ['CUSTOMER', 'AGENT', 'BOT'];

/** Newest first; times may repeat (ties in list order), gaps may be days long. */
const conversation = fc
  .array(
    fc.record({ gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * DAY })), role: fc.nat(2) }),
    {
      minLength: 0,
      maxLength: 120,
    },
  )
  .map((steps) => {
    let t = Date.UTC(2026, 5, 1);
    return steps.map((step, index) => {
      t -= step.gap;
      return memoryMessage(`m${index}`, t, ROLES[step.role]);
    });
  });

/**
 * Vendors whose pages have room for something new: a page no larger than what it repeats (records
 * before the anchor, the anchor itself) cannot advance, and is its own test below.
 */
const profile = fc
  .record({
    paging: fc.constantFrom<MemorySourceOptions['paging']>('anchor', 'windows'),
    newerPaging: fc.constantFrom<'NATIVE' | 'SCAN'>('NATIVE', 'SCAN'),
    vendorMaxPageSize: fc.integer({ min: 1, max: 50 }),
    pageCap: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    inclusiveAnchor: fc.boolean(),
    repeat: fc.integer({ min: 0, max: 3 }),
  })
  .filter(
    (p) =>
      Math.min(p.vendorMaxPageSize, p.pageCap ?? 50) > p.repeat + (p.inclusiveAnchor ? 1 : 0) + 1 ||
      (p.repeat === 0 && !p.inclusiveAnchor),
  );

const roleFilter = fc.option(fc.subarray(ROLES, { minLength: 1 }), { nil: undefined });

describe('the paging engine on vendors as their documents allow', () => {
  it('walks every profile exactly: each message once, in list order, both directions', async () => {
    await fc.assert(
      fc.asyncProperty(
        conversation,
        profile,
        fc.integer({ min: 1, max: 100 }),
        roleFilter,
        fc.integer({ min: 4, max: 1_000 }),
        async (messages, options, size, roles, maxVendorCalls) => {
          const source = memorySource({ ...options, messages });
          const filter = roles ? { senderRoles: roles } : undefined;
          const expected = messages
            .filter((m) => !roles || roles.includes(m.sender.role))
            .map((m) => m.externalId);
          const forward = await walkForward(source, size, filter, maxVendorCalls);
          expect(forward.error).toBeUndefined();
          expect(forward.ids).toEqual(expected);
          // A SCAN is not cut by the page budget: give it the calls it needs.
          const scanCalls =
            options.newerPaging === 'SCAN' && options.paging === 'anchor' ? 100_000 : maxVendorCalls;
          const backward = await walkBackward(source, size, filter, scanCalls);
          expect(backward.error).toBeUndefined();
          expect(backward.ids).toEqual(expected);
        },
      ),
      {
        numRuns: 300,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
      },
    );
  });

  it('skips a repeat of a record sent in the millisecond of the cursor that an earlier read proved behind (found by the property above)', async () => {
    // m2 and m3 share a millisecond. After m3, the vendor repeats three records before its anchor:
    // the first read lists m2 before m3 (behind), a later one repeats m2 without m3.
    const t = Date.UTC(2026, 5, 1);
    const messages = [t, t - 1, t - 2, t - 2, t - 3].map((sentAt, i) => memoryMessage(`m${i}`, sentAt));
    const source = memorySource({
      messages,
      paging: 'anchor',
      newerPaging: 'NATIVE',
      vendorMaxPageSize: 6,
      inclusiveAnchor: true,
      repeat: 3,
    });
    const walked = await walkForward(source, 2, undefined, 4);
    expect(walked).toEqual({ ids: ['m0', 'm1', 'm2', 'm3', 'm4'], pages: 3 });
  });

  it('resumes right after any edge, both ways, and opens `around` any edge with its neighbours', async () => {
    await fc.assert(
      fc.asyncProperty(
        conversation.filter((messages) => messages.length > 0),
        profile,
        fc.nat(),
        fc.integer({ min: 1, max: 30 }),
        async (messages, options, at, size) => {
          // Repeating vendors with records tied at one millisecond included: a repeat of a record
          // proved behind the walk is remembered as read (before, such a walk could leave
          // `hasPreviousPage` true one page early, or deliver a record twice).
          const source = memorySource({ ...options, messages });
          const ids = messages.map((m) => m.externalId);
          const index = at % ids.length;
          // A SCAN reads the whole history: give it the calls it needs.
          const calls = 100_000;
          const all = await page(source, { first: 100 }, calls);
          const edge = all.edges[index];
          if (!edge) return; // beyond the first 100: the walks cover it
          const older = await page(source, { first: size, after: edge.cursor }, calls);
          expect(older.edges.map((e) => e.node.externalId)).toEqual(ids.slice(index + 1, index + 1 + size));
          expect(older.pageInfo.hasNextPage).toBe(index + 1 + size < ids.length);
          expect(older.pageInfo.hasPreviousPage).toBe(true);
          const newer = await page(source, { last: size, before: edge.cursor }, calls);
          expect(newer.edges.map((e) => e.node.externalId)).toEqual(
            ids.slice(Math.max(0, index - size), index),
          );
          expect(newer.pageInfo.hasPreviousPage).toBe(index - size > 0);
          expect(newer.pageInfo.hasNextPage).toBe(true);
          const around = await pageAround(engineFor(source, calls), conversationOf(source), {
            first: size,
            around: edge.cursor,
          });
          const aroundIds = around.edges.map((e) => e.node.externalId);
          // About half newer, the rest older; near either end of the history, `size` all the same.
          const before = Math.floor((size - 1) / 2);
          const start = Math.max(0, Math.min(index - before, ids.length - size));
          expect(aroundIds).toEqual(ids.slice(start, start + size));
          expect(around.edges.find((e) => e.node.externalId === ids[index])?.cursor).toBe(edge.cursor);
          expect(around.pageInfo.hasPreviousPage).toBe(start > 0);
          expect(around.pageInfo.hasNextPage).toBe(start + size < ids.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('does not take a short page for the end: a vendor capping at 30 of 100 asked for', async () => {
    const messages = Array.from({ length: 95 }, (_, i) => memoryMessage(`m${i}`, 1_000_000 - i * 1000));
    const source = memorySource({ messages, paging: 'anchor', pageCap: 30, vendorMaxPageSize: 50 });
    const first = await page(source, { first: 100 });
    expect(first.edges).toHaveLength(95);
    expect(first.pageInfo.hasNextPage).toBe(false);
    // 30 + 30 + 30 + 5, then the empty page that proves the end.
    expect(source.calls).toBe(5);
    expect(first.scannedUntil).toBeNull();
  });

  it('turns an inclusive anchor into the next page, not a loop', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => memoryMessage(`m${i}`, 1_000_000 - i * 1000));
    const source = memorySource({ messages, paging: 'anchor', inclusiveAnchor: true, vendorMaxPageSize: 3 });
    expect((await walkForward(source, 2)).ids).toEqual(messages.map((m) => m.externalId));
  });

  it('fails a vendor cursor that never advances with a typed error, not after 10000 reads', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => memoryMessage(`m${i}`, 1_000_000 - i * 1000));
    const source = memorySource({ messages, paging: 'anchor', stuck: true, vendorMaxPageSize: 3 });
    const error = await page(source, { first: 5 }).catch((e: unknown) => e);
    expect(isChatgraphError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'VENDOR_BAD_RESPONSE',
      details: { source: 'memory', cause: 'notAdvancing' },
    });
    // The first page, then the same page again (the request cache answers it): one vendor call.
    expect(source.calls).toBe(1);
  });

  it('drops a record repeated from before `after` (a time-ordered vendor on the wrong side)', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => memoryMessage(`m${i}`, 1_000_000 - i * 1000));
    // Every page repeats the three records before its anchor: already delivered earlier.
    const source = memorySource({ messages, paging: 'anchor', repeat: 2, vendorMaxPageSize: 3 });
    const first = await page(source, { first: 2 });
    const second = await page(source, { first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.node.externalId)).toEqual(['m2', 'm3']);
  });

  it('bounds a sparse scan per page and resumes it: empty pages say how far they looked', async () => {
    // Two messages 400 days apart, one vendor call per day between them.
    const newest = Date.UTC(2026, 5, 1, 12);
    const messages = [memoryMessage('new', newest), memoryMessage('old', newest - 400 * DAY)];
    const source = memorySource({ messages, paging: 'windows' });
    const first = await page(source, { first: 5 }, 100);
    expect(first.edges.map((edge) => edge.node.externalId)).toEqual(['new']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(source.calls).toBe(50);
    // Looked at 50 days: up to the start of the 50th day back, no further.
    const reached = Date.UTC(2026, 5, 1) - 49 * DAY;
    expect(first.scannedUntil).toBe(reached);
    const second = await page(source, { first: 5, after: first.pageInfo.endCursor }, 100);
    expect(second.edges).toEqual([]);
    expect(second.pageInfo.hasNextPage).toBe(true);
    expect(second.scannedUntil).toBe(reached - 50 * DAY);
    const rest = await walkForward(source, 5, undefined, 100);
    expect(rest.ids).toEqual(['new', 'old']);
    // 401 days in pages of 50 calls each.
    expect(rest.pages).toBe(Math.ceil(401 / 50));
    expect(rest.error).toBeUndefined();
  });

  it('states a default lookback as the bound reached, not a silent end', async () => {
    const newest = Date.UTC(2026, 5, 1, 12);
    const messages = [memoryMessage('old', newest - 200 * DAY)];
    const lookback = newest - 90 * DAY;
    const source = memorySource({ messages, paging: 'windows', highest: newest, lookback });
    const result = await page(source, { first: 5 });
    expect(result.edges).toEqual([]);
    expect(result.pageInfo.hasNextPage).toBe(false);
    expect(result.scannedUntil).toBe(Math.floor(lookback / DAY) * DAY);
  });

  it('says null for scannedUntil when the end of history was proven', async () => {
    const source = memorySource({ messages: [memoryMessage('a', 5_000)], paging: 'anchor' });
    const result = await page(source, { first: 5 });
    expect(result.scannedUntil).toBeNull();
    expect(result.pageInfo.hasNextPage).toBe(false);
  });
});
