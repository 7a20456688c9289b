/**
 * CORS: which pages a browser lets call the API. By default none when the server runs open (Yoga's
 * own default let any page read it, with credentials), any when API keys are required; else the
 * configured origins, or any; never with credentials: the API authenticates by header, not cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { parseConfig } from '../../src/config/index.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const CONSOLE = 'https://console.example.com';
const OTHER = 'https://evil.example';

const KEY = 'console-key-0123456789abcdef';

let closed: Harness;
let keyed: Harness;
let listed: Harness;
let any: Harness;
beforeAll(async () => {
  [closed, keyed, listed, any] = await Promise.all([
    startHarness({ vendors: [] }),
    startHarness({
      vendors: [],
      policy: { clients: [{ name: 'console', keyHash: hashApiKey(KEY), sources: null }] },
      secrets: [KEY],
    }),
    startHarness({ vendors: [], policy: { corsOrigins: [CONSOLE, 'http://localhost:5173'] } }),
    startHarness({ vendors: [], policy: { corsOrigins: '*' } }),
  ]);
});
afterAll(() => Promise.all([closed.close(), keyed.close(), listed.close(), any.close()]));

/** The CORS headers of a preflight and of the POST after it, from a page at `origin`. */
async function cors(h: Harness, origin: string) {
  const pick = (response: Response) =>
    Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
  const preflight = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
  const post = await h.yoga.fetch('http://chatgraph.test/graphql', {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
  return { preflight: pick(preflight), post: pick(post) };
}

describe('CORS', () => {
  it('lets no other page read an open API by default', async () => {
    expect(await cors(closed, OTHER)).toEqual({ preflight: {}, post: {} });
  });

  it('lets any page call an API that requires keys by default, without credentials', async () => {
    expect((await cors(keyed, OTHER)).post).toEqual({
      'access-control-allow-origin': OTHER,
      'access-control-max-age': '600',
    });
  });

  it('answers the configured origins, without credentials', async () => {
    expect(await cors(listed, CONSOLE)).toEqual({
      preflight: {
        'access-control-allow-origin': CONSOLE,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type,authorization',
        'access-control-max-age': '600',
      },
      post: { 'access-control-allow-origin': CONSOLE, 'access-control-max-age': '600' },
    });
    expect((await cors(listed, OTHER)).post).toEqual({
      'access-control-allow-origin': 'null',
      'access-control-max-age': '600',
    });
  });

  it("answers any page's origin with '*', still without credentials", async () => {
    expect((await cors(any, OTHER)).post).toEqual({
      'access-control-allow-origin': OTHER,
      'access-control-max-age': '600',
    });
  });

  it('is configured as "*" or origins, checked at start', () => {
    const env = { CURSOR: 'a-cursor-secret-0123456789', COOKIE: 'c', MAGIC: 'b' };
    const shop = { vendor: 'WECHAT_STORE', name: 'shop', baseUrl: 'https://example.test' };
    const base = {
      cursorSecret: { env: 'CURSOR' },
      sources: [{ ...shop, cookie: { env: 'COOKIE' }, bizMagic: { env: 'MAGIC' } }],
      allowOpen: true,
    };
    expect(parseConfig({ ...base, server: { corsOrigins: [CONSOLE] } }, env).policy.corsOrigins).toEqual([
      CONSOLE,
    ]);
    expect(parseConfig({ ...base, server: { corsOrigins: '*' } }, env).policy.corsOrigins).toBe('*');
    expect(() => parseConfig({ ...base, server: { corsOrigins: [`${CONSOLE}/app`] } }, env)).toThrow(
      /an origin is scheme:\/\/host\[:port\], with no path/,
    );
  });
});
