/**
 * A harness on one vendor's sandbox started with quirks (`src/sandbox/quirks.ts`), for the suites
 * that run chatgraph against every variant a vendor's document allows. `calls` counts the calls
 * of that quirky emulator.
 */
import { expect } from 'vitest';
import { VENDOR_FAULT_CODES } from '../../src/errors.js';
import type { Vendor } from '../../src/model/index.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { sandboxSourceName, startSandbox } from '../../src/sandbox/index.js';
import type { QuirkSettings } from '../../src/sandbox/quirks.js';
import { type Harness, startHarness } from './harness.js';
import { fetchPage } from './paging.js';

/** Faults quick to get over: retries without backoff, hangs cut short, no breaker in the way. */
/** Every fault at once, retried fast: the harshest walks' vendor (each retry still counted). */
export const HARSH_FAULTS: Faults = {
  latencyJitterMs: 1,
  errorRate: 0.04,
  rateLimitRate: 0.03,
  retryAfterSeconds: 0.001,
  hangRate: 0.002,
  malformedRate: 0.02,
  truncatedRate: 0.02,
  wrongTypeRate: 0.02,
  seed: 20261130,
};

export const QUICK_RETRIES = {
  headersTimeoutMs: 150,
  bodyTimeoutMs: 150,
  retryMinDelayMs: 0,
  retryMaxDelayMs: 1,
  breakerFailureThreshold: 10_000,
};

export async function startQuirkHarness(
  vendor: Vendor,
  quirks: QuirkSettings,
  options: { faults?: Faults } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    vendors: [vendor],
    quirks: { [sandboxSourceName(vendor)]: quirks },
    faults: options.faults,
  });
  const h = await startHarness({
    vendors: [],
    sources: options.faults
      ? sandbox.sources.map((config) => ({ ...config, http: QUICK_RETRIES }) as typeof config)
      : sandbox.sources,
    policy: { maxVendorCalls: 10_000 },
  });
  return {
    ...h,
    sandbox,
    calls(which) {
      const emulator = sandbox.emulators.get(which);
      if (!emulator) throw new Error(`No ${which} emulator in this harness.`);
      return emulator.calls;
    },
    async close() {
      await h.close();
      await sandbox.close();
    },
  };
}

export interface RetryingWalk {
  /** External ids in list order (newest first), whichever way the walk went. */
  ids: string[];
  /** The typed errors pages failed with before a retry got through. */
  failures: string[];
}

/**
 * Walks a whole conversation like a client that retries a failed page with the same arguments:
 * `forward` with `first`/`after` from the newest, else `last`/`before` from the oldest. Every
 * failure must be a typed vendor error on the page's own `messages` field; a page that says there
 * is more must be full.
 */
export async function walkRetrying(
  h: Harness,
  conversationId: string,
  options: { forward: boolean; sizes: number[]; filter?: Record<string, unknown>; maxAttempts?: number },
): Promise<RetryingWalk> {
  const failures: string[] = [];
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let step = 0; ; step++) {
    const size = options.sizes[Math.min(step, options.sizes.length - 1)] as number;
    const args = options.forward ? { first: size, after: cursor } : { last: size, before: cursor };
    let page: Awaited<ReturnType<typeof fetchPage>> | undefined;
    for (let attempt = 0; !page; attempt++) {
      expect(attempt, 'a page kept failing').toBeLessThan(options.maxAttempts ?? 30);
      try {
        page = await fetchPage(h, conversationId, { ...args, filter: options.filter });
      } catch (error) {
        const errors = JSON.parse((error as Error).message.replace(/^page failed: /, '')) as Array<{
          path?: string[];
          extensions?: { code?: string };
        }>;
        for (const e of errors) {
          // The error names the page that failed: the messages field of that conversation.
          expect(e.path).toEqual(['conversation', 'messages']);
          expect(VENDOR_FAULT_CODES.has(e.extensions?.code ?? ''), String(e.extensions?.code)).toBe(true);
          failures.push(e.extensions?.code ?? '');
        }
      }
    }
    const ids = page.edges.map((edge) => edge.node.externalId);
    const more = options.forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (more) expect(ids).toHaveLength(size);
    if (options.forward) pages.push(ids);
    else pages.unshift(ids);
    if (!more) return { ids: pages.flat(), failures };
    cursor = (options.forward ? page.pageInfo.endCursor : page.pageInfo.startCursor) ?? undefined;
  }
}
