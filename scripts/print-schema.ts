/** Prints the schema as sorted SDL; `--write` updates schema.graphql, `--check` fails when stale. */
import { readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const file = new URL('../schema.graphql', import.meta.url);
const sdl = `${printSchema(schema)}\n`;

if (process.argv.includes('--write')) {
  writeFileSync(file, sdl);
} else if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current !== sdl) {
    process.stderr.write('schema.graphql is stale: run `npm run schema:print` and commit it.\n');
    process.exit(1);
  }
} else {
  process.stdout.write(sdl);
}
