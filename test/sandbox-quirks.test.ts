import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/index.js';
import { parseQuirks } from '../src/sandbox/quirks.js';

describe('sandbox quirks', () => {
  it('reads <source>.<quirk>[=<value>] lists, a bare quirk meaning 1', () => {
    expect(parseQuirks(' wechat-store.pageCap=30, wechat-store.anchor=inclusive ,airudder.unsorted')).toEqual(
      {
        'wechat-store': { pageCap: '30', anchor: 'inclusive' },
        airudder: { unsorted: '1' },
      },
    );
    expect(parseQuirks('')).toEqual({});
  });

  it('refuses a part without a source or a quirk', () => {
    expect(() => parseQuirks('pageCap=30')).toThrow(/Bad quirk "pageCap=30"/);
    expect(() => parseQuirks('wechat-store.=1')).toThrow(/Bad quirk/);
    expect(() => parseQuirks('wechat-store.pageCap=')).toThrow(/Bad quirk/);
  });

  it('refuses a source the sandbox does not have, and a quirk its vendor does not declare', async () => {
    await expect(startSandbox({ quirks: { 'wechat-shop': { pageCap: '30' } } })).rejects.toThrow(
      /no sandbox source is named "wechat-shop"/,
    );
    await expect(
      startSandbox({ vendors: ['MYSCRM'], quirks: { myscrm: { noSuchQuirk: '1' } } }),
    ).rejects.toThrow(/Bad quirk for myscrm/);
  });
});
