#!/usr/bin/env -S node --max-semi-space-size=64
// chatgraph ships as TypeScript with no build step: tsx's loader runs `src/cli.ts` in this process
// (no child process, so signals reach the server directly). A page of messages allocates a lot
// that dies young; a 64 MB young generation lets it die there instead of being promoted and
// marked (a third less CPU per page under concurrent load, BENCHMARKS.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
