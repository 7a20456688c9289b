import { describe, expect, it } from 'vitest';
import { MAX_DISTINCT_WARNINGS, VendorWarnings, WARNING_INTERVAL_MS } from '../../src/normalize/warnings.js';

function recorder() {
  const lines: Array<[Record<string, unknown>, string]> = [];
  let now = 0;
  const warnings = new VendorWarnings(
    { warn: (details, message) => lines.push([details as Record<string, unknown>, message]) },
    'shop',
    { clock: () => now },
  );
  return { lines, warnings, advance: (ms: number) => (now += ms) };
}

describe('VendorWarnings', () => {
  it('is one warning for records that differ only in the details naming them', () => {
    const { lines, warnings } = recorder();
    warnings.warn('unknown status', { msgId: 'a', status: 'send' });
    warnings.warn('unknown status', { msgId: 'b', status: 'send' });
    warnings.warn('unknown status', { msgId: 'c', chatRecordId: 'x', status: 'send' });
    expect(lines).toEqual([[{ source: 'shop', msgId: 'a', status: 'send' }, 'unknown status']]);
  });

  it('is another warning for another value or another message', () => {
    const { lines, warnings } = recorder();
    warnings.warn('unknown status', { msgId: 'a', status: 'send' });
    warnings.warn('unknown status', { msgId: 'b', status: 'sending' });
    warnings.warn('unknown type', { msgId: 'c', status: 'send' });
    warnings.warn('unknown status', { msgId: 'd', status: 'send', extra: 1 });
    expect(lines.map(([details, message]) => [message, details.msgId])).toEqual([
      ['unknown status', 'a'],
      ['unknown status', 'b'],
      ['unknown type', 'c'],
      ['unknown status', 'd'],
    ]);
  });

  it('writes it again after the interval, with how many were not written since', () => {
    const { lines, warnings, advance } = recorder();
    warnings.warn('unknown status', { msgId: 'a', status: 'send' });
    advance(WARNING_INTERVAL_MS - 1);
    warnings.warn('unknown status', { msgId: 'b', status: 'send' });
    warnings.warn('unknown status', { msgId: 'c', status: 'send' });
    advance(1);
    warnings.warn('unknown status', { msgId: 'd', status: 'send' });
    advance(WARNING_INTERVAL_MS);
    warnings.warn('unknown status', { msgId: 'e', status: 'send' });
    expect(lines.map(([details]) => [details.msgId, details.repeated])).toEqual([
      ['a', undefined],
      ['d', 2],
      ['e', undefined],
    ]);
  });

  it(`remembers at most ${MAX_DISTINCT_WARNINGS} warnings, forgetting the least recently written`, () => {
    const { lines, warnings } = recorder();
    for (let i = 0; i <= MAX_DISTINCT_WARNINGS; i++) warnings.warn('unknown type', { type: `t${i}` });
    expect(lines).toHaveLength(MAX_DISTINCT_WARNINGS + 1);
    // t0 was forgotten when t256 came: written again (and t1 forgotten); t2 is still remembered.
    warnings.warn('unknown type', { type: 't0' });
    warnings.warn('unknown type', { type: 't2' });
    expect(lines.map(([details]) => details.type).slice(-1)).toEqual(['t0']);
    expect(lines).toHaveLength(MAX_DISTINCT_WARNINGS + 2);
  });

  it('still writes details that do not stringify', () => {
    const { lines, warnings } = recorder();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    warnings.warn('odd', { value: cycle });
    warnings.warn('odd', { value: 10n });
    expect(lines.map(([details]) => details.value)).toEqual([cycle]);
  });
});
