/**
 * Hostile documents, generated: every one is answered or refused with a code (never a 500, never
 * an unexpected error), the compiled-document cache stays within its bounds, no operation makes
 * more vendor calls than allowed, and the server still answers at the end. Counts, not times.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import { FINDINGS, type HostileRequest, hostileRequest } from './hostile.js';

const CACHE = { compiledCacheEntries: 8, compiledCacheBytes: 2_000_000 };
const MAX_VENDOR_CALLS = 50;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    policy: { ...CACHE, maxVendorCalls: MAX_VENDOR_CALLS, introspection: false, maxBodyBytes: 64 * 1024 },
  });
});
afterAll(() => h.close());

interface Answer {
  status: number;
  codes: string[];
  data: boolean;
}

async function send(request: HostileRequest): Promise<Answer> {
  const response = request.get
    ? await h.yoga.fetch(`http://chatgraph.test/graphql?query=${encodeURIComponent(request.query)}`, {
        headers: { accept: 'application/json' },
      })
    : await h.yoga.fetch('http://chatgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: request.query, variables: request.variables }),
      });
  const body = await response.json();
  const errors: Array<{ extensions?: { code?: unknown } }> = body.errors ?? [];
  return {
    status: response.status,
    codes: errors.map((error) => String(error.extensions?.code)),
    data: body.data !== undefined && body.data !== null,
  };
}

function expectAnsweredOrRefused(answer: Answer, request: HostileRequest): void {
  const where = `${request.kind}: ${request.query.slice(0, 200)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.codes.length > 0 || answer.data, where).toBe(true);
  for (const code of answer.codes) {
    expect(code, where).toMatch(/^[A-Z][A-Z_]+$/);
    expect(code, where).not.toBe('INTERNAL_SERVER_ERROR');
  }
}

describe('hostile documents', () => {
  it('the findings of issue 12 are each answered or refused with a code', async () => {
    const codes: Record<string, string[]> = {};
    for (const request of FINDINGS) {
      const answer = await send(request);
      expectAnsweredOrRefused(answer, request);
      codes[request.kind] = answer.codes.toSorted();
    }
    expect(codes).toMatchObject({
      '2 cost hidden in variable defaults': ['QUERY_TOO_COMPLEX'],
      '3 fragments spreading fragments twice (22 levels)': ['QUERY_TOO_COMPLEX'],
      '4 selections nested 5,000 deep': ['QUERY_TOO_COMPLEX'],
      '5 a page needing 1,000 vendor calls': ['QUERY_TOO_COMPLEX'],
      '6 _service with introspection off': ['FORBIDDEN'],
      '7 GET without the CSRF header': ['CSRF_HEADER_REQUIRED'],
      '8 _entities: a reference that fails, then a type that is no entity': [
        'INVALID_ARGUMENT',
        'INVALID_ID',
      ],
    });
  });

  it('generated ones are all answered or refused, within the cache bounds and the call limit', async () => {
    const cache = h.app.compiledDocuments;
    const calls = h.calls('WECHAT_STORE');
    let refused = 0;
    let sent = 0;
    const compilationsBefore = cache.compilations;
    await fc.assert(
      fc.asyncProperty(hostileRequest(), async (request) => {
        const before = calls.count;
        const answer = await send(request);
        sent++;
        expectAnsweredOrRefused(answer, request);
        if (answer.codes.includes('QUERY_TOO_COMPLEX')) refused++;
        // No operation gets more vendor calls than allowed (retries of unreadable pages aside).
        expect(calls.count - before).toBeLessThanOrEqual(MAX_VENDOR_CALLS);
        expect(cache.size).toBeLessThanOrEqual(CACHE.compiledCacheEntries);
        expect(cache.bytes).toBeLessThanOrEqual(CACHE.compiledCacheBytes);
      }),
      { numRuns: 150, seed: 12 },
    );
    expect(sent).toBe(150);
    // The generator reaches the limits: a good share is refused, and what was compiled was cheap.
    expect(refused).toBeGreaterThan(30);
    expect(cache.compilations - compilationsBefore).toBeLessThanOrEqual(sent);
    expect(cache.uncompiled).toBeGreaterThan(0);
    // Still serving.
    expect((await h.query('{ sources { name } }')).data).toEqual({ sources: [{ name: 'wechat-store' }] });
  });
});
