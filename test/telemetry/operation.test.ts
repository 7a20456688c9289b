import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationInfo } from '../../src/telemetry/operation.js';

describe('operationInfo', () => {
  it('tells each operation of a document by the name asked for, however the asks alternate', () => {
    const document = parse('query A { __typename } mutation B { __typename } subscription { __typename }');
    for (let round = 0; round < 2; round++) {
      expect(operationInfo(document, 'A')).toEqual({ type: 'query', name: 'A' });
      expect(operationInfo(document, 'A')).toEqual({ type: 'query', name: 'A' });
      expect(operationInfo(document, 'B')).toEqual({ type: 'mutation', name: 'B' });
      expect(operationInfo(document, 'C')).toEqual({ type: 'unknown', name: null });
      // Several operations and no name: graphql-js cannot tell which one runs.
      expect(operationInfo(document)).toEqual({ type: 'unknown', name: null });
      expect(operationInfo(document, null)).toEqual({ type: 'unknown', name: null });
    }
  });

  it('tells the only operation of a document with or without its name', () => {
    const document = parse(`query ${'N'.repeat(120)} { __typename }`);
    expect(operationInfo(document)).toEqual({ type: 'query', name: 'N'.repeat(100) });
    expect(operationInfo(document, 'N'.repeat(120))).toEqual({ type: 'query', name: 'N'.repeat(100) });
    expect(operationInfo(parse('{ __typename }'))).toEqual({ type: 'query', name: null });
  });

  it('answers a repeated ask with what it told before, and never lets it be changed', () => {
    const document = parse('query Q { __typename }');
    const first = operationInfo(document, 'Q');
    expect(operationInfo(document, 'Q')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
