/**
 * Where a vendor call goes: the path resolved against the source's base URL and the query
 * appended, exactly as `new URL` and `URLSearchParams` write them (vendors sign and parse these
 * bytes), though the client no longer parses a URL per call.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { createSourceHttp, queryString } from '../../src/sources/http.js';

/** What the client wrote before: `URLSearchParams` after a `set` per defined value. */
function viaUrlSearchParams(query: Record<string, string | number | boolean | undefined>): string {
  const url = new URL('http://vendor.example/');
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.search.slice(1);
}

// Any UTF-16 text, lone surrogates included, with the characters the two encoders treat apart.
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...' !\'()*-._~+%&=?#/:;@$,[]"<>\\^`{|}\u00e9\u4e2d'.split('')) }),
  fc.string({ unit: 'grapheme' }),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.bigInt().map(String),
  fc.boolean(),
  fc.constant(undefined),
);

describe('queryString', () => {
  it('writes what URLSearchParams writes, for any names and values', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value), (query) => {
        expect(queryString(query)).toBe(viaUrlSearchParams(query));
      }),
      { numRuns: 2_000 },
    );
  });

  it('encodes the characters the two encoders disagree on', () => {
    expect(queryString({ 'a b': "!'()~*-._", c: '\ud800x', d: undefined, e: 12, f: false })).toBe(
      'a+b=%21%27%28%29%7E*-._&c=%EF%BF%BDx&e=12&f=false',
    );
    expect(queryString({})).toBe('');
    expect(queryString(undefined)).toBe('');
  });
});

describe('the request target a vendor receives', () => {
  const running: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((item) => item.close()));
  });

  async function vendorAt(
    prefix: string,
  ): Promise<{ emulator: RunningEmulator; json: ReturnType<typeof createSourceHttp>['http']['json'] }> {
    const emulator = await startEmulator(() => ({ status: 200, body: {} }));
    running.push(emulator);
    const made = createSourceHttp(
      { name: 'test', baseUrl: `${emulator.baseUrl}${prefix}` },
      { logger: silentLogger() },
    );
    running.push(made);
    return { emulator, json: (req, scope) => made.http.json(req, scope) };
  }

  it('keeps the base URL path, resolves the call path once and appends the query every time', async () => {
    const { emulator, json } = await vendorAt('/api/v2');
    await json({ method: 'GET', path: '/msgs', query: { cursor: 'a b/c', limit: 50 } });
    await json({ method: 'GET', path: '/msgs', query: { cursor: 'next', skip: undefined } });
    await json({ method: 'GET', path: 'msgs' });
    await json({ method: 'GET', path: '/a/../b c' });
    expect(emulator.calls.recent.map((call) => call.path)).toEqual([
      '/api/v2/msgs?cursor=a+b%2Fc&limit=50',
      '/api/v2/msgs?cursor=next',
      '/api/v2/msgs',
      '/api/v2/b%20c',
    ]);
  });

  it('adds the query to a path that has its own, as URLSearchParams did', async () => {
    const { emulator, json } = await vendorAt('');
    await json({ method: 'GET', path: '/x?a=1&b=%7e', query: { b: "it's", c: 'd' } });
    await json({ method: 'GET', path: '/x?a=1' });
    expect(emulator.calls.recent.map((call) => call.path)).toEqual(['/x?a=1&b=it%27s&c=d', '/x?a=1']);
  });
});
