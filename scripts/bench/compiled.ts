/**
 * The served rungs run compiled, as chatgraph ships (`npm run build`, `node dist/…`): no tsx
 * loader thread (a second V8 heap) in the measured process. `dist/` is rebuilt from the current
 * source, and `rung-process.ts` with the bench code it imports is bundled into one module whose
 * imports of `src/` point at `dist/` instead, so the API's code is exactly the shipped files.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type Plugin } from 'esbuild';
import { build } from '../build.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src/');
const DIST = join(ROOT, 'dist/');
/** A build cache, out of git and of the linter's way. */
const OUT = join(ROOT, 'node_modules/.cache/chatgraph-bench/');

/** Builds `dist/` and the compiled rung process; returns the latter's path. */
export async function compileRungProcess(): Promise<string> {
  await build();
  const outfile = join(OUT, 'rung-process.mjs');
  const srcToDist: Plugin = {
    name: 'src-to-dist',
    setup(builder) {
      builder.onResolve({ filter: /\/src\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        if (!path.startsWith(SRC)) return undefined;
        const target = relative(dirname(outfile), join(DIST, relative(SRC, path)));
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
    },
  };
  await esbuild({
    entryPoints: [fileURLToPath(new URL('rung-process.ts', import.meta.url))],
    outfile,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    plugins: [srcToDist],
    logLevel: 'warning',
  });
  return outfile;
}
