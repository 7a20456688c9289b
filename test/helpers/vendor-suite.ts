/**
 * The suite every vendor runs, whatever its wire protocol: `vendorSuite(definition)` starts the
 * vendor's sandbox alone (through the registry it is served from, so a test-only vendor runs it
 * too) and checks what chatgraph promises of any vendor:
 * - probes: the sandbox's credentials make the source ready; a wrong value in any of its
 *   `secretFields` makes the probe fail with VENDOR_AUTH_FAILED, naming no secret;
 * - the paging laws (`checkPagingLaws`) through GraphQL on each of its sandbox conversations
 *   (but the bench's long one, which the vendor's own tests walk with their own sizes);
 * - through the store as `npm start` runs it (every sandbox source archived), every page of a walk
 *   is what it is without a store: edges, cursors, page info and `scannedUntil`, also where a
 *   `filter.since` far back makes pages stop at their vendor-call budget.
 * Vendor-specific laws (windows, lookbacks, quirks, page fuzzing against the emulator) stay in
 * `test/sources/<vendor>/`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { silentLogger } from '../../src/logger.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import { createSources, VENDORS } from '../../src/sources/index.js';
import type { SourceConfig, VendorDefinition } from '../../src/sources/vendor.js';
import { type Harness, startHarness } from './harness.js';
import { checkPagingLaws, walkForward } from './paging.js';
import { testStoreConfig } from './store-engines.js';

export interface VendorSuiteOptions {
  /** The registry the vendor is served from; `VENDORS` by default. */
  registry?: readonly VendorDefinition[];
  /** Runs of each paging law per conversation. */
  numRuns?: number;
}

export function vendorSuite(definition: VendorDefinition, options: VendorSuiteOptions = {}): void {
  const registry = options.registry ?? VENDORS;
  const source = sandboxSourceName(definition.id);
  const conversations = definition.sandbox.conversations
    .map((conversation) => conversation.externalId)
    .filter((externalId) => externalId !== definition.bench.longConversation);

  describe(`${definition.id}: the shared vendor suite`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ vendors: [definition.id], registry });
    });
    afterAll(() => h?.close());

    it('is ready with its sandbox credentials, and refused with a wrong one', async () => {
      const config = h.sandbox.sources[0] as SourceConfig;
      const [ready] = createSources([config], { logger: silentLogger() }, registry);
      await expect(ready?.probe?.()).resolves.toBeUndefined();
      await ready?.close();
      const secrets = secretPaths(config, definition.secretFields);
      expect(secrets.length).toBeGreaterThan(0);
      for (const path of secrets) {
        const wrong = withWrongSecret(config, path) as SourceConfig;
        const [refused] = createSources([wrong], { logger: silentLogger() }, registry);
        const error = await refused?.probe?.().catch((e: unknown) => e);
        expect(error, path.join('.')).toMatchObject({ code: 'VENDOR_AUTH_FAILED' });
        expect(JSON.stringify(error)).not.toContain('-wrong');
        await refused?.close();
      }
    });

    it.each(conversations)('keeps the paging laws on %s', async (externalId) => {
      const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });
      const expected = await walkForward(h, id, { sizes: [100] });
      expect(new Set(expected).size).toBe(expected.length);
      await checkPagingLaws(h, id, { expected, minSize: 5, maxSize: 40, numRuns: options.numRuns ?? 3 });
    });
  });

  describe(`${definition.id}: through the sandbox's store`, () => {
    let plain: Harness;
    let stored: Harness;
    beforeAll(async () => {
      plain = await startHarness({ vendors: [definition.id], registry });
      // The same emulator, so the same messages and ids; archived as `npm start` archives.
      stored = await startHarness({
        vendors: [],
        registry,
        sources: plain.sandbox.sources,
        store: await testStoreConfig('sqlite', { [source]: { archive: true, retentionDays: null } }),
      });
    });
    afterAll(() => Promise.all([plain?.close(), stored?.close()]));

    it.each(conversations)('pages %s as it does without a store', async (externalId) => {
      const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 5, max: 40 }), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (sizes, forward) => {
            const expected = await wholeWalk(plain, id, forward, sizes);
            // Twice: the first walk archives what it reads, the second may be served from it.
            expect(await wholeWalk(stored, id, forward, sizes)).toEqual(expected);
            expect(await wholeWalk(stored, id, forward, sizes)).toEqual(expected);
          },
        ),
        { numRuns: options.numRuns ?? 3 },
      );
      for (const forward of [true, false]) {
        const expected = await wholeWalk(plain, id, forward, [50], FAR_BACK);
        expect(await wholeWalk(stored, id, forward, [50], FAR_BACK)).toEqual(expected);
      }
    });
  });
}

/** A far-back `filter.since`: most vendors read it in one walk, day windows in pages of budget. */
const FAR_BACK = { since: new Date(Date.now() - 400 * 86_400_000).toISOString() };

const WHOLE_PAGE = `query Page($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: MessageFilter) {
  conversation(id: $id) {
    messages(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { id externalId sentAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      scannedUntil
    }
  }
}`;

interface WholePage {
  data?: null | {
    conversation: {
      messages: {
        pageInfo: {
          hasNextPage: boolean;
          hasPreviousPage: boolean;
          startCursor: string | null;
          endCursor: string | null;
        };
      };
    };
  };
}

/** Every answer of a walk, whole (errors included), with `sizes` as `walkForward` takes them. */
async function wholeWalk(
  h: Harness,
  id: string,
  forward: boolean,
  sizes: number[],
  filter?: Record<string, unknown>,
): Promise<unknown[]> {
  const answers: unknown[] = [];
  let cursor: string | null = null;
  for (let step = 0; step < 60; step++) {
    const size = sizes[Math.min(step, sizes.length - 1)];
    const answer: WholePage = await h.query(
      WHOLE_PAGE,
      forward ? { id, first: size, after: cursor, filter } : { id, last: size, before: cursor, filter },
    );
    answers.push(answer);
    const info = answer.data?.conversation.messages.pageInfo;
    if (!info || !(forward ? info.hasNextPage : info.hasPreviousPage)) return answers;
    cursor = forward ? info.endCursor : info.startCursor;
  }
  throw new Error('the walk did not end in 60 pages');
}

/** Where `fields` hold strings in `config`, at any depth (logs redact them wherever they appear). */
function secretPaths(value: unknown, fields: readonly string[], path: string[] = []): string[][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'string' && fields.includes(key)
      ? [[...path, key]]
      : secretPaths(child, fields, [...path, key]),
  );
}

/** `config` with the secret at `path` made wrong. */
function withWrongSecret(value: unknown, path: string[]): unknown {
  const [key, ...rest] = path as [string, ...string[]];
  const record = value as Record<string, unknown>;
  return {
    ...record,
    [key]: rest.length === 0 ? `${record[key] as string}-wrong` : withWrongSecret(record[key], rest),
  };
}
