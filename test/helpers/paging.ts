/**
 * Paging laws, checked through GraphQL on any conversation of any source (and on any other
 * connection, `checkConnectionLaws`: the listing, search):
 * - walking with `first`/`after` from the newest, and with `last`/`before` from the oldest, yields
 *   every message exactly once, in the same order both ways;
 * - every page is full except the walk's last, and page info is exact on both sides;
 * - resuming from any edge's cursor (not only `endCursor`) continues right after that edge.
 * Vendor test files call `checkPagingLaws` with their own conversations and page-size generators.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Harness } from './harness.js';

export interface WalkOptions {
  /** Page size of each step; the last one repeats when the walk is longer. */
  sizes: number[];
  filter?: Record<string, unknown>;
}

export interface PageResult {
  edges: Array<{ cursor: string; node: { externalId: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const PAGE = `query Page($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: MessageFilter) {
  conversation(id: $id) {
    messages(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { externalId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

export async function fetchPage(
  h: Harness,
  conversationId: string,
  args: { first?: number; after?: string; last?: number; before?: string; filter?: Record<string, unknown> },
): Promise<PageResult> {
  const result = await h.query<{ conversation: { messages: PageResult } }>(PAGE, {
    id: conversationId,
    ...args,
  });
  if (result.errors) throw new Error(`page failed: ${JSON.stringify(result.errors)}`);
  return (result.data as { conversation: { messages: PageResult } }).conversation.messages;
}

const sizeAt = (sizes: number[], step: number): number => sizes[Math.min(step, sizes.length - 1)] as number;

/** Relay's paging arguments. */
export interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** A page of some connection whose nodes have an `externalId`, asked with `args`. */
export type PageOf = (args: PageArgs) => Promise<PageResult>;

/** A conversation's messages as a `PageOf`, under `filter`. */
export const messagesOf =
  (h: Harness, conversationId: string, filter?: Record<string, unknown>): PageOf =>
  (args) =>
    fetchPage(h, conversationId, { ...args, filter });

/** From the start of the list with `first`/`after`; returns the external ids in list order. */
export async function walkConnectionForward(pageOf: PageOf, sizes: number[]): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let step = 0; ; step++) {
    const first = sizeAt(sizes, step);
    const page = await pageOf({ first, after });
    ids.push(...page.edges.map((edge) => edge.node.externalId));
    expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
    if (!page.pageInfo.hasNextPage) return ids;
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor ?? undefined;
  }
}

/** From the end of the list with `last`/`before`; returns the external ids in list order. */
export async function walkConnectionBackward(pageOf: PageOf, sizes: number[]): Promise<string[]> {
  const pages: string[][] = [];
  let before: string | undefined;
  for (let step = 0; ; step++) {
    const last = sizeAt(sizes, step);
    const page = await pageOf({ last, before });
    pages.unshift(page.edges.map((edge) => edge.node.externalId));
    expect(page.pageInfo.hasNextPage).toBe(before !== undefined);
    if (!page.pageInfo.hasPreviousPage) return pages.flat();
    expect(page.edges).toHaveLength(last);
    before = page.pageInfo.startCursor ?? undefined;
  }
}

/** Newest → oldest with `first`/`after`; returns the external ids in list order. */
export function walkForward(h: Harness, conversationId: string, options: WalkOptions): Promise<string[]> {
  return walkConnectionForward(messagesOf(h, conversationId, options.filter), options.sizes);
}

/** Oldest → newest with `last`/`before`; returns the external ids in list order (newest first). */
export function walkBackward(h: Harness, conversationId: string, options: WalkOptions): Promise<string[]> {
  return walkConnectionBackward(messagesOf(h, conversationId, options.filter), options.sizes);
}

export interface PagingLawsOptions {
  /** The conversation's message ids, newest first, as the vendor holds them (from its emulator data). */
  expected: string[];
  filter?: Record<string, unknown>;
  /** Page sizes to draw from; keep the range sensible for long conversations. */
  minSize?: number;
  maxSize?: number;
  numRuns?: number;
}

export function checkPagingLaws(
  h: Harness,
  conversationId: string,
  options: PagingLawsOptions,
): Promise<void> {
  return checkConnectionLaws(messagesOf(h, conversationId, options.filter), options);
}

/** The laws above on any connection that lists `options.expected` (external ids, in list order). */
export async function checkConnectionLaws(
  pageOf: PageOf,
  options: Omit<PagingLawsOptions, 'filter'>,
): Promise<void> {
  const { expected } = options;
  const size = fc.integer({ min: options.minSize ?? 1, max: options.maxSize ?? 100 });
  await fc.assert(
    fc.asyncProperty(fc.array(size, { minLength: 1, maxLength: 8 }), fc.boolean(), async (sizes, forward) => {
      const ids = forward
        ? await walkConnectionForward(pageOf, sizes)
        : await walkConnectionBackward(pageOf, sizes);
      expect(ids).toEqual(expected);
    }),
    { numRuns: options.numRuns ?? 6 },
  );

  // Resuming from any edge continues right after it, in both directions.
  if (expected.length === 0) return;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: expected.length - 1 }),
      fc.integer({ min: 1, max: options.maxSize ?? 100 }),
      async (index, pageSize) => {
        const around = await pageOf({ first: Math.min(100, index + 1) });
        const edge = around.edges[index];
        if (!edge) return; // index beyond the first 100: covered by the walks above
        const older = await pageOf({ first: pageSize, after: edge.cursor });
        expect(older.edges.map((e) => e.node.externalId)).toEqual(
          expected.slice(index + 1, index + 1 + pageSize),
        );
        expect(older.pageInfo.hasNextPage).toBe(index + 1 + pageSize < expected.length);
        const newer = await pageOf({ last: pageSize, before: edge.cursor });
        expect(newer.edges.map((e) => e.node.externalId)).toEqual(
          expected.slice(Math.max(0, index - pageSize), index),
        );
        expect(newer.pageInfo.hasPreviousPage).toBe(index - pageSize > 0);
      },
    ),
    { numRuns: options.numRuns ?? 6 },
  );
}
