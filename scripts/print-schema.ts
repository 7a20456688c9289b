/**
 * Prints the schema as sorted SDL: schema.graphql is the API clients see, subgraph.graphql the
 * Apollo Federation subgraph SDL (with `@link` / `@key`) that a gateway's composition reads.
 * `--write` updates both, `--check` fails when either is stale; with neither it prints one to
 * stdout (`--subgraph` for the subgraph SDL).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { printSchema } from 'graphql';
import { createSchema } from '../src/schema/index.js';

const { clientSchema, schema } = createSchema();

const [client, subgraph] = [
  {
    file: new URL('../schema.graphql', import.meta.url),
    name: 'schema.graphql',
    sdl: `${printSchema(clientSchema)}\n`,
  },
  {
    file: new URL('../subgraph.graphql', import.meta.url),
    name: 'subgraph.graphql',
    sdl: `${printSubgraphSchema(schema)}\n`,
  },
];

const outputs = [client, subgraph];

if (process.argv.includes('--write')) {
  for (const { file, sdl } of outputs) writeFileSync(file, sdl);
} else if (process.argv.includes('--check')) {
  let stale = false;
  for (const { file, name, sdl } of outputs) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current !== sdl) {
      process.stderr.write(`${name} is stale: run \`npm run schema:print\` and commit it.\n`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
} else {
  process.stdout.write((process.argv.includes('--subgraph') ? subgraph : client).sdl);
}
