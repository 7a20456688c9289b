#!/usr/bin/env node
// chatgraph ships as TypeScript with no build step: tsx's loader runs `src/cli.ts` in this process
// (no child process, so signals reach the server directly).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
