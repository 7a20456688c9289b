/**
 * Each vendor folder's sample answer (`src/sources/<vendor>/sandbox/*.sample.json`) is a verbatim
 * copy of the vendor sample shared with the team.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../shared/vendors/', import.meta.url);
const sources = new URL('../src/sources/', import.meta.url);

describe.runIf(existsSync(shared))('vendor fixtures', () => {
  it('match ../shared/vendors byte for byte', () => {
    const samples = readdirSync(shared).filter((file) => file.endsWith('.json'));
    expect(samples.length).toBeGreaterThan(0);
    for (const file of samples) {
      const vendor = file.slice(0, file.indexOf('.'));
      expect(readFileSync(new URL(`${vendor}/sandbox/${file}`, sources), 'utf8'), file).toBe(
        readFileSync(new URL(file, shared), 'utf8'),
      );
    }
  });
});
