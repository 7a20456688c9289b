import { describe, expect, it } from 'vitest';
import { isGraphqlPath } from '../../src/plugins/graphql-path.js';

const at = (url: string) => isGraphqlPath(new Request(url));

describe('isGraphqlPath', () => {
  it('knows /graphql on any plain origin without parsing it', () => {
    expect(at('http://localhost:4000/graphql')).toBe(true);
    expect(at('https://api.example.com/graphql')).toBe(true);
    expect(at('http://[::1]:8080/graphql')).toBe(true);
  });

  it('leaves every other path, a query string or a fragment to the parsed URL', () => {
    for (const url of [
      'http://localhost/graphql?query=%7B__typename%7D',
      'http://localhost/graphql/',
      'http://localhost/graphql#x',
      'http://localhost/readiness',
      'http://localhost/metrics',
      'http://localhost/inbox/',
      'http://localhost/webhooks/graphql',
      'http://localhost/x/graphql',
    ]) {
      expect(at(url), url).toBe(false);
    }
  });

  it('never calls /graphql what a parser would read as another path', () => {
    // Texts the fetch API would normalize, as a forged Host header could make them.
    for (const url of ['http://a\\metrics?/graphql', 'http://a?/graphql', 'http://a#/graphql']) {
      expect(isGraphqlPath({ url } as Request), url).toBe(false);
    }
  });
});
