/**
 * The /inbox page's files. The script is bundled from `page/main.ts` (with the example client
 * it imports) by esbuild on first use and kept in memory: nothing to pre-build, nothing to go
 * stale, and no CDN, so the page works offline.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface InboxAssets {
  html: string;
  css: string;
  js: string;
}

const file = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function load(): Promise<InboxAssets> {
  const [html, css, bundle] = await Promise.all([
    readFile(file('index.html'), 'utf8'),
    readFile(file('inbox.css'), 'utf8'),
    build({
      entryPoints: [file('page/main.ts')],
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
    }),
  ]);
  const js = bundle.outputFiles[0]?.text;
  if (js === undefined) throw new Error('esbuild produced no inbox bundle');
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
