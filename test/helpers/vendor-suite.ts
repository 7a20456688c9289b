/**
 * The suite every vendor runs, whatever its wire protocol: `vendorSuite(definition)` starts the
 * vendor's sandbox alone (through the registry it is served from, so a test-only vendor runs it
 * too) and checks what chatgraph promises of any vendor:
 * - probes: the sandbox's credentials make the source ready; a wrong value in any of its
 *   `secretFields` makes the probe fail with VENDOR_AUTH_FAILED, naming no secret;
 * - the paging laws (`checkPagingLaws`) through GraphQL on each of its sandbox conversations
 *   (but the bench's long one, which the vendor's own tests walk with their own sizes).
 * Vendor-specific laws (windows, lookbacks, quirks, page fuzzing against the emulator) stay in
 * `test/sources/<vendor>/`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { silentLogger } from '../../src/logger.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import { createSources, VENDORS } from '../../src/sources/index.js';
import type { SourceConfig, VendorDefinition } from '../../src/sources/vendor.js';
import { type Harness, startHarness } from './harness.js';
import { checkPagingLaws, walkForward } from './paging.js';

export interface VendorSuiteOptions {
  /** The registry the vendor is served from; `VENDORS` by default. */
  registry?: readonly VendorDefinition[];
  /** Runs of each paging law per conversation. */
  numRuns?: number;
}

export function vendorSuite(definition: VendorDefinition, options: VendorSuiteOptions = {}): void {
  const registry = options.registry ?? VENDORS;
  const source = sandboxSourceName(definition.id);
  const conversations = definition.sandbox.conversations
    .map((conversation) => conversation.externalId)
    .filter((externalId) => externalId !== definition.bench.longConversation);

  describe(`${definition.id}: the shared vendor suite`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ vendors: [definition.id], registry });
    });
    afterAll(() => h?.close());

    it('is ready with its sandbox credentials, and refused with a wrong one', async () => {
      const config = h.sandbox.sources[0] as SourceConfig;
      const [ready] = createSources([config], { logger: silentLogger() }, registry);
      await expect(ready?.probe?.()).resolves.toBeUndefined();
      await ready?.close();
      const secrets = secretPaths(config, definition.secretFields);
      expect(secrets.length).toBeGreaterThan(0);
      for (const path of secrets) {
        const wrong = withWrongSecret(config, path) as SourceConfig;
        const [refused] = createSources([wrong], { logger: silentLogger() }, registry);
        const error = await refused?.probe?.().catch((e: unknown) => e);
        expect(error, path.join('.')).toMatchObject({ code: 'VENDOR_AUTH_FAILED' });
        expect(JSON.stringify(error)).not.toContain('-wrong');
        await refused?.close();
      }
    });

    it.each(conversations)('keeps the paging laws on %s', async (externalId) => {
      const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });
      const expected = await walkForward(h, id, { sizes: [100] });
      expect(new Set(expected).size).toBe(expected.length);
      await checkPagingLaws(h, id, { expected, minSize: 5, maxSize: 40, numRuns: options.numRuns ?? 3 });
    });
  });
}

/** Where `fields` hold strings in `config`, at any depth (logs redact them wherever they appear). */
function secretPaths(value: unknown, fields: readonly string[], path: string[] = []): string[][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'string' && fields.includes(key)
      ? [[...path, key]]
      : secretPaths(child, fields, [...path, key]),
  );
}

/** `config` with the secret at `path` made wrong. */
function withWrongSecret(value: unknown, path: string[]): unknown {
  const [key, ...rest] = path as [string, ...string[]];
  const record = value as Record<string, unknown>;
  return {
    ...record,
    [key]: rest.length === 0 ? `${record[key] as string}-wrong` : withWrongSecret(record[key], rest),
  };
}
