#!/usr/bin/env -S node --enable-source-maps
// chatgraph runs as compiled JavaScript: `dist/` is built from `src/` by `npm run build`, which
// `npm ci` / `npm install` run (`prepare`) and `npm start` runs again before starting. The CLI
// runs in this process (no child process, so signals reach the server directly). A page of
// messages allocates a lot that dies young; a 64 MB young generation lets it die there instead
// of being promoted and marked (a third less CPU per page under concurrent load, BENCHMARKS.md).
// Source maps point stack traces at `src/`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('chatgraph: dist/ is missing: run `npm run build` (or `npm ci`) first\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
