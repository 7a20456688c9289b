/** The committed generated client matches schema.graphql and the documents (like schema:check). */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { generateClient } from '../../examples/client/codegen.js';

test('examples/client/src/gql and its persisted-documents manifest are current: run `npm run codegen` after changing the schema or documents', async () => {
  const files = await generateClient();
  expect([...files.keys()].sort()).toEqual([
    'examples/client/persisted-documents.json',
    'examples/client/src/gql/biome.json',
    'examples/client/src/gql/gql.ts',
    'examples/client/src/gql/graphql.ts',
    'examples/client/src/gql/index.ts',
  ]);
  for (const [file, content] of files) {
    expect(await readFile(file, 'utf8'), file).toBe(content);
  }
});
