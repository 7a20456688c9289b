/**
 * The parts of an operation's page loaders, each on its own contract: the memo, the call budget
 * and the retry of unreadable answers. Counts, not times.
 */
import { describe, expect, it } from 'vitest';
import { ChatgraphError, ERROR_CODES } from '../../src/errors.js';
import { CallBudget } from '../../src/resolvers/call-budget.js';
import { retryUnreadable } from '../../src/resolvers/loaders.js';
import { PageMemo } from '../../src/resolvers/page-memo.js';

const unreadable = () => new ChatgraphError(ERROR_CODES.VENDOR_BAD_RESPONSE, 'garbled', {});

describe('PageMemo', () => {
  it('makes one call per key, in flight or answered, and remembers a failure', async () => {
    const calls: string[] = [];
    const memo = new PageMemo<{ id: string }, string>(
      (request) => request.id,
      async (request) => {
        calls.push(request.id);
        if (request.id === 'bad') throw new Error('broken page');
        return `page ${request.id}`;
      },
    );
    const [a, again] = await Promise.all([memo.load({ id: 'a' }), memo.load({ id: 'a' })]);
    expect([a, again]).toEqual(['page a', 'page a']);
    expect(await memo.load({ id: 'a' })).toBe('page a');
    await expect(memo.load({ id: 'bad' })).rejects.toThrow('broken page');
    await expect(memo.load({ id: 'bad' })).rejects.toThrow('broken page');
    expect(calls).toEqual(['a', 'bad']);
  });
});

describe('CallBudget', () => {
  it('spends up to its limit and refuses the next call with QUERY_TOO_COMPLEX', () => {
    const budget = new CallBudget(2);
    budget.spend();
    budget.spend();
    expect(() => budget.spend()).toThrowError(
      expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', details: { limit: 2, kind: 'vendorCalls' } }),
    );
    expect(budget.calls).toBe(3);
  });
});

describe('retryUnreadable', () => {
  it('asks again for an unreadable answer, twice at most', async () => {
    let attempts = 0;
    const flaky = async () => {
      attempts++;
      if (attempts < 3) throw unreadable();
      return 'read';
    };
    expect(await retryUnreadable(flaky, Number.MAX_SAFE_INTEGER)).toBe('read');
    expect(attempts).toBe(3);

    attempts = 0;
    const never = async () => {
      attempts++;
      throw unreadable();
    };
    await expect(retryUnreadable(never, Number.MAX_SAFE_INTEGER)).rejects.toMatchObject({
      code: 'VENDOR_BAD_RESPONSE',
    });
    expect(attempts).toBe(3);
  });

  it('does not retry other errors, nor past the deadline', async () => {
    let attempts = 0;
    await expect(
      retryUnreadable(async () => {
        attempts++;
        throw new ChatgraphError(ERROR_CODES.VENDOR_ERROR, 'no', {});
      }, Number.MAX_SAFE_INTEGER),
    ).rejects.toMatchObject({ code: 'VENDOR_ERROR' });
    await expect(
      retryUnreadable(async () => {
        attempts++;
        throw unreadable();
      }, 0),
    ).rejects.toMatchObject({ code: 'VENDOR_BAD_RESPONSE' });
    expect(attempts).toBe(2);
  });
});
