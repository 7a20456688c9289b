/** The repository's fixtures are verbatim copies of the vendor samples shared with the team. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../shared/vendors/', import.meta.url);
const local = new URL('../fixtures/vendors/', import.meta.url);

describe.runIf(existsSync(shared))('vendor fixtures', () => {
  it('match ../shared/vendors byte for byte', () => {
    const samples = readdirSync(shared).filter((file) => file.endsWith('.json'));
    expect(samples.length).toBeGreaterThan(0);
    for (const file of samples) {
      expect(readFileSync(new URL(file, local), 'utf8'), file).toBe(
        readFileSync(new URL(file, shared), 'utf8'),
      );
    }
  });
});
