/**
 * Under vendor faults (latency, 5xx, 429 with Retry-After, hangs, malformed, truncated and
 * mistyped answers: about 15% of all vendor calls), walking every sandbox conversation in both
 * directions returns every message exactly once, or a typed error on the page that failed —
 * never a silently short page, a duplicate or a skipped message. A client that retries the
 * failed page ends with exactly the list a fault-free walk gives.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_FAULT_CODES } from '../../src/errors.js';
import { encodeNodeId } from '../../src/ids.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { fetchPage, walkForward } from '../helpers/paging.js';

const FAULTS: Faults = {
  latencyJitterMs: 2,
  errorRate: 0.04,
  rateLimitRate: 0.03,
  retryAfterSeconds: 0.01,
  hangRate: 0.005,
  malformedRate: 0.025,
  truncatedRate: 0.025,
  wrongTypeRate: 0.025,
  seed: 20261122,
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    configure: (configs) =>
      configs.map((config) => ({
        ...config,
        // Hangs end quickly; the breaker stays out of the way of a 15% fault rate.
        http: {
          headersTimeoutMs: 150,
          bodyTimeoutMs: 150,
          retryMinDelayMs: 1,
          retryMaxDelayMs: 2,
          breakerFailureThreshold: 10_000,
        },
      })),
    policy: { requestTimeoutMs: 5_000, maxVendorCalls: 10_000 },
  });
});
afterAll(() => h.close());

const setFaults = (faults: Faults) => {
  for (const emulator of h.sandbox.emulators.values()) emulator.setFaults(faults);
};

interface ResilientWalk {
  ids: string[];
  failures: Array<{ code: unknown; path: string }>;
}

/** Walks like a client that retries a failed page with the same arguments. */
async function walkRetrying(
  id: string,
  direction: 'forward' | 'backward',
  size: number,
): Promise<ResilientWalk> {
  const failures: ResilientWalk['failures'] = [];
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const args = direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    let page: Awaited<ReturnType<typeof fetchPage>> | undefined;
    for (let attempt = 0; !page; attempt++) {
      expect(attempt, 'a page kept failing').toBeLessThan(25);
      try {
        page = await fetchPage(h, id, args);
      } catch (error) {
        const errors = JSON.parse((error as Error).message.replace(/^page failed: /, '')) as Array<{
          path?: string[];
          extensions?: { code?: unknown };
        }>;
        for (const e of errors) {
          // The error says which page failed: the messages field of that conversation.
          expect(e.path).toEqual(['conversation', 'messages']);
          expect(VENDOR_FAULT_CODES.has(e.extensions?.code as string), String(e.extensions?.code)).toBe(true);
          failures.push({ code: e.extensions?.code, path: (e.path ?? []).join('.') });
        }
      }
    }
    const ids = page.edges.map((edge) => edge.node.externalId);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    // A page that says there is more is full: nothing went missing silently.
    if (more) expect(ids).toHaveLength(size);
    if (direction === 'forward') pages.push(ids);
    else pages.unshift(ids);
    if (!more) return { ids: pages.flat(), failures };
    cursor = (direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor) ?? undefined;
  }
}

describe('every sandbox conversation under vendor faults', () => {
  it('walks to exactly the fault-free list in both directions, or fails a page with a typed error', {
    timeout: 300_000,
  }, async () => {
    const conversations = h.sandbox.conversations.map((c) => ({
      ...c,
      id: encodeNodeId({ kind: 'Conversation', source: c.source, conversation: c.externalId }),
    }));
    // The fault-free list; that both directions agree on it without faults is the paging laws' job.
    setFaults({});
    const reference = new Map<string, string[]>();
    for (const c of conversations) reference.set(c.id, await walkForward(h, c.id, { sizes: [100] }));

    setFaults(FAULTS);
    let faultyCalls = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 40, max: 100 }), async (size) => {
        for (const c of conversations) {
          // Backward walks on vendors that page one way are scans: the largest page keeps them short.
          for (const [direction, pageSize] of [
            ['forward', size],
            ['backward', 100],
          ] as const) {
            for (const emulator of h.sandbox.emulators.values()) emulator.calls.reset();
            const walk = await walkRetrying(c.id, direction, pageSize);
            expect(walk.ids, `${direction} ${c.source}/${c.externalId}`).toEqual(reference.get(c.id));
            for (const emulator of h.sandbox.emulators.values()) {
              faultyCalls += emulator.calls.recent.filter((call) => call.fault !== undefined).length;
            }
          }
        }
      }),
      { numRuns: 1 },
    );
    // The faults really happened. Whether any outlived the retries and reached a client as a page
    // error depends on the page sizes drawn; every one that did was checked in walkRetrying.
    expect(faultyCalls).toBeGreaterThan(100);
  });
});
