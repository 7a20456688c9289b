/** The configuration file's `store` block: both engines, per-source policies, clear refusals. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

const env = {
  CURSOR_SECRET: 'a-cursor-secret-of-32-characters',
  C: 'c',
  M: 'm',
  PG: 'postgres://u@db/chatgraph',
};
const base = {
  cursorSecret: { env: 'CURSOR_SECRET' },
  allowOpen: true,
  sources: [
    {
      vendor: 'WECHAT_STORE',
      name: 'shop',
      baseUrl: 'https://store.weixin.qq.com',
      cookie: { env: 'C' },
      bizMagic: { env: 'M' },
    },
  ],
};

const problems = (store: unknown): string[] => {
  try {
    parseConfig({ ...base, store }, env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('store configuration', () => {
  it('is absent unless configured, and takes either engine with per-source policies', () => {
    expect(parseConfig(base, env).store).toBeUndefined();
    expect(
      parseConfig({ ...base, store: { engine: 'sqlite', path: '/var/lib/chatgraph/store.db' } }, env).store,
    ).toEqual({
      engine: 'sqlite',
      path: '/var/lib/chatgraph/store.db',
      sources: {},
    });
    expect(
      parseConfig(
        {
          ...base,
          store: {
            engine: 'postgres',
            url: { env: 'PG' },
            sources: { shop: { archive: true, retentionDays: 90 } },
          },
        },
        env,
      ).store,
    ).toEqual({
      engine: 'postgres',
      url: 'postgres://u@db/chatgraph',
      poolSize: 10,
      sources: { shop: { archive: true, retentionDays: 90, listMembers: [] } },
    });
    expect(
      parseConfig(
        {
          ...base,
          store: {
            engine: 'sqlite',
            path: 'x',
            sources: {
              shop: {
                listMembers: [
                  { id: 'wo1', type: 'employee' },
                  { id: 'wm2', type: 'external' },
                ],
              },
            },
          },
        },
        env,
      ).store?.sources.shop?.listMembers,
    ).toEqual([
      { id: 'wo1', type: 'employee' },
      { id: 'wm2', type: 'external' },
    ]);
  });

  it('refuses unknown engines, sources and fields, a URL in the file, and bad retention', () => {
    expect(problems({ engine: 'mysql', path: 'x' })[0]).toMatch(/^store\.engine: /);
    expect(problems({ engine: 'sqlite', path: 'x', sources: { nope: { archive: true } } })).toEqual([
      'store.sources: no source is named "nope"',
    ]);
    expect(problems({ engine: 'postgres', url: 'postgres://u:secret@db/x' })[0]).toMatch(/^store\.url: /);
    expect(problems({ engine: 'sqlite', path: 'x', sources: { shop: { retentionDays: 0 } } })[0]).toMatch(
      /^store\.sources\.shop\.retentionDays: /,
    );
    expect(problems({ engine: 'sqlite', path: 'x', archive: true })[0]).toMatch(/^store: /);
    expect(
      problems({
        engine: 'sqlite',
        path: 'x',
        sources: { shop: { listMembers: [{ id: 'wo1', type: 'staff' }] } },
      })[0],
    ).toMatch(/^store\.sources\.shop\.listMembers\.0\.type: /);
    expect(() => parseConfig({ ...base, store: { engine: 'sqlite' } }, env)).toThrow(ConfigError);
  });
});
