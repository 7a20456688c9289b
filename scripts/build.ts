/**
 * `npm run build`: compiles `src/` to `dist/` (what `npm start` and `bin/chatgraph.js` run).
 *
 *   npm run build
 *
 * Every `src/**\/*.ts` is transpiled file by file (esbuild, no bundling, source maps beside each
 * file), so `dist/` mirrors `src/`: files can move under `src/` without touching this script, and
 * paths a module builds from its own `import.meta.url` (the sandbox's fixtures) resolve the same
 * from `dist/` as from `src/`. Other files under `src/` (the /inbox page's HTML and CSS) are copied,
 * and the /inbox script is bundled once here instead of on the server's first request. Types are
 * not checked here: that is `npm run typecheck`. `dist/` is emptied first so that nothing deleted
 * or moved in `src/` lingers.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { bundleInboxPage, INBOX_PAGE_DIR, INBOX_SCRIPT } from '../src/inbox/assets.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Files under `dir`, as paths relative to it. */
function walk(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const path = join(under, entry.name);
    return entry.isDirectory() ? walk(dir, path) : [path];
  });
}

export async function build(root = ROOT): Promise<{ files: number; ms: number }> {
  const started = performance.now();
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  // The /inbox page's own modules run in the browser: bundled below, not compiled for Node.
  const files = walk(src).filter((file) => !file.startsWith(`${join('inbox', INBOX_PAGE_DIR)}/`));
  const code = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  await esbuild({
    entryPoints: code.map((file) => join(src, file)),
    outdir: dist,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of files) {
    if (file.endsWith('.ts')) continue;
    mkdirSync(dirname(join(dist, file)), { recursive: true });
    cpSync(join(src, file), join(dist, file));
  }
  writeFileSync(join(dist, 'inbox', INBOX_SCRIPT), await bundleInboxPage());
  return { files: code.length, ms: performance.now() - started };
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const { files, ms } = await build();
  process.stderr.write(`built dist/ from ${files} modules in ${ms.toFixed(0)} ms\n`);
}
