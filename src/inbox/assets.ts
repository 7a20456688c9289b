/**
 * The /inbox page's files. The script is bundled from `page/main.ts` (with the example client it
 * imports) by esbuild: at build time into `dist/inbox/page.js` (`npm run build`), which the built
 * server reads; run from `src/` (tsx: development and tests) it is bundled on first use instead.
 * Either way it is kept in memory, and no CDN is involved, so the page works offline.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface InboxAssets {
  html: string;
  css: string;
  js: string;
}

/** The page's browser modules, under this folder (not compiled for Node by the build). */
export const INBOX_PAGE_DIR = 'page';
/** The bundled page script, beside this module in `dist/`. */
export const INBOX_SCRIPT = 'page.js';

const file = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Bundles the page's script; esbuild is loaded only here, so a built server never loads it. */
export async function bundleInboxPage(): Promise<string> {
  const { build } = await import('esbuild');
  const bundle = await build({
    entryPoints: [file(`${INBOX_PAGE_DIR}/main.ts`)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // graphql's printer checks NODE_ENV for its dev-mode instanceof checks.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = bundle.outputFiles[0]?.text;
  if (js === undefined) throw new Error('esbuild produced no inbox bundle');
  return js;
}

async function script(): Promise<string> {
  try {
    return await readFile(file(INBOX_SCRIPT), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return bundleInboxPage();
  }
}

async function load(): Promise<InboxAssets> {
  const [html, css, js] = await Promise.all([
    readFile(file('index.html'), 'utf8'),
    readFile(file('inbox.css'), 'utf8'),
    script(),
  ]);
  return { html, css, js };
}

let loading: Promise<InboxAssets> | null = null;

export function inboxAssets(): Promise<InboxAssets> {
  if (!loading) {
    loading = load();
    // A failed build is retried on the next request rather than cached.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
