/** docs/configuration.md: every complete example in it is a configuration the server accepts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { VENDORS } from '../../src/sources/index.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((match) => JSON.parse(match[1] as string) as Record<string, unknown>)
  .filter((document) => 'sources' in document);

describe('docs/configuration.md', () => {
  it('has one complete example per vendor', () => {
    const vendors = examples.flatMap((example) =>
      (example.sources as Array<{ vendor: string }>).map((s) => s.vendor),
    );
    expect(vendors.sort()).toEqual(VENDORS.map((definition) => definition.id).sort());
  });

  it.each(examples.map((example) => [(example.sources as Array<{ vendor: string }>)[0]?.vendor, example]))(
    'the %s example loads',
    (_vendor, example) => {
      const names = [...JSON.stringify(example).matchAll(/"env":"([A-Z0-9_]+)"/g)].map(
        (match) => match[1] as string,
      );
      const env = Object.fromEntries(names.map((name) => [name, `value-of-${name}-for-the-test`]));
      const config = parseConfig(example, env, 'example');
      expect(config.sources).toHaveLength(1);
      expect(config.cursorSecret).toBe('value-of-CHATGRAPH_CURSOR_SECRET-for-the-test');
    },
  );

  it('documents every field of every vendor and of the http block', async () => {
    const { secretFrom } = await import('../../src/config/secret.js');
    const { sourceHttpConfig } = await import('../../src/sources/http.js');
    const secret = secretFrom({});
    const documented = (field: string) => doc.includes(`| \`${field}\` |`) || doc.includes(`| \`${field}.`);
    for (const plugin of VENDORS) {
      const shape = (plugin.configSchema(secret) as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of Object.keys(shape)) expect(documented(field), `${plugin.id}.${field}`).toBe(true);
    }
    const http = (sourceHttpConfig.unwrap() as unknown as { shape: Record<string, unknown> }).shape;
    for (const field of Object.keys(http)) expect(documented(field), `http.${field}`).toBe(true);
  });
});
