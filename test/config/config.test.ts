import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

const env = {
  SHOP_COOKIE: 'session=abc',
  SHOP_MAGIC: 'magic',
  CURSOR_SECRET: 'a-cursor-secret-of-32-characters',
};
const shop = {
  vendor: 'WECHAT_STORE',
  name: 'shop',
  baseUrl: 'https://store.weixin.qq.com',
  cookie: { env: 'SHOP_COOKIE' },
  bizMagic: { env: 'SHOP_MAGIC' },
};

function problems(document: unknown, environment: Record<string, string> = env): string[] {
  try {
    parseConfig(document, environment, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('resolves secrets from the environment and fills defaults', () => {
    expect(
      parseConfig({ cursorSecret: { env: 'CURSOR_SECRET' }, allowOpen: true, sources: [shop] }, env),
    ).toEqual({
      port: 4000,
      host: '0.0.0.0',
      cursorSecret: 'a-cursor-secret-of-32-characters',
      sources: [
        {
          vendor: 'WECHAT_STORE',
          name: 'shop',
          baseUrl: 'https://store.weixin.qq.com',
          cookie: 'session=abc',
          bizMagic: 'magic',
          pageSize: 50,
        },
      ],
      policy: { clients: null },
    });
  });

  it('reports every bad field with its path, and never a secret value', () => {
    const found = problems(
      {
        cursorSecret: { env: 'CURSOR_SECRET' },
        allowOpen: true,
        sources: [
          { ...shop, cookie: { env: 'MISSING_COOKIE' }, baseUrl: 'ftp://x', pageSize: 500 },
          { ...shop, bizMagic: 'inline-secret' },
          { ...shop, vendor: 'ICQ' },
        ],
      },
      env,
    );
    expect(found).toEqual([
      'sources.2.vendor: Invalid option: expected one of "WECHAT_STORE"|"AIRUDDER"|"WEIZHIPIN"|"MYSCRM"',
    ]);
    const perField = problems({
      cursorSecret: { env: 'CURSOR_SECRET' },
      allowOpen: true,
      sources: [
        { ...shop, cookie: { env: 'MISSING_COOKIE' }, baseUrl: 'ftp://x', pageSize: 500 },
        { ...shop, bizMagic: 'inline-secret' },
      ],
    });
    expect(perField.map((problem) => problem.split(':')[0])).toEqual([
      'sources.0.baseUrl',
      'sources.0.cookie',
      'sources.0.pageSize',
      'sources.1.bizMagic',
    ]);
    expect(perField.join('\n')).toContain('environment variable MISSING_COOKIE is not set');
    expect(perField.join('\n')).not.toContain('inline-secret');
  });

  it('rejects duplicate source names, a short cursor secret and unknown fields', () => {
    expect(
      problems({ cursorSecret: { env: 'CURSOR_SECRET' }, allowOpen: true, sources: [shop, shop] }).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual(['sources.1.name']);
    expect(problems({ cursorSecret: { env: 'SHOP_MAGIC' }, allowOpen: true, sources: [shop] })).toEqual([
      'cursorSecret: must be at least 16 characters',
    ]);
    expect(
      problems({
        cursorSecret: { env: 'CURSOR_SECRET' },
        allowOpen: true,
        sources: [{ ...shop, extra: 1 }],
      })[0],
    ).toMatch(/^sources\.0: Unrecognized key/);
  });

  it('reads live subscriptions, webhook secrets and Redis from the environment, and checks them', () => {
    const liveEnv = { ...env, HOOK: 'a-webhook-secret-0123456789', REDIS: 'redis://:pw@redis.internal:6379' };
    const base = { cursorSecret: { env: 'CURSOR_SECRET' }, allowOpen: true, sources: [shop] };
    const config = parseConfig(
      {
        ...base,
        server: { live: { minIntervalMs: 1_000, maxIntervalMs: 20_000, bufferSize: 50 } },
        webhooks: { shop: { secret: { env: 'HOOK' } } },
        redis: { url: { env: 'REDIS' } },
      },
      liveEnv,
    );
    expect(config.policy.live).toEqual({
      minIntervalMs: 1_000,
      maxIntervalMs: 20_000,
      bufferSize: 50,
      redisUrl: 'redis://:pw@redis.internal:6379',
    });
    expect(config.policy.webhooks).toEqual({ shop: { secret: 'a-webhook-secret-0123456789' } });
    const bad = problems(
      {
        ...base,
        server: { live: { minIntervalMs: 5_000, maxIntervalMs: 1_000 } },
        webhooks: { nope: { secret: { env: 'HOOK' } }, shop: { secret: { env: 'SHOP_MAGIC' } } },
        redis: { url: { env: 'CURSOR_SECRET' } },
      },
      liveEnv,
    );
    expect(bad).toEqual([
      'server.live: minIntervalMs must not be above maxIntervalMs',
      'webhooks.shop.secret: must be at least 16 characters',
      'redis.url: must be a redis:// or rediss:// URL',
    ]);
    expect(problems({ ...base, webhooks: { nope: { secret: { env: 'HOOK' } } } }, liveEnv)).toEqual([
      'webhooks.nope: no source is named "nope"',
    ]);
    // No secret value in any problem.
    expect(bad.join('\n')).not.toContain('a-cursor-secret');
  });
});
