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
});
