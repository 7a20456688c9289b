/**
 * What a process loads to serve the API: Redis' client and the store's query builder only when
 * they are configured. Each loaded package is heap the garbage collector marks and RSS the process
 * keeps (BENCHMARKS.md), so a static import of either from a module every request uses is a
 * regression this test names.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);

/** Imports `modules` in a fresh Node process and lists the packages it resolved, in order. */
async function packagesLoadedBy(modules: string[]): Promise<string[]> {
  // A resolve hook sees every ESM import; CommonJS `require` calls (ioredis is required by name
  // when a transport is made) are seen by wrapping the CommonJS loader.
  const hook = `
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      const name = result.url.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1];
      if (name) console.log('PKG ' + name);
      return result;
    }`;
  const script = `
    import { register } from 'node:module';
    import Module from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    const load = Module._load;
    Module._load = function (request, ...rest) {
      if (!request.startsWith('.') && !request.startsWith('node:') && !request.startsWith('/')) console.log('PKG ' + request);
      return load.call(this, request, ...rest);
    };
    for (const m of ${JSON.stringify(modules)}) await import(new URL(m, ${JSON.stringify(ROOT.href)}).href);
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT.pathname,
  });
  return [...new Set(stdout.split('\n').flatMap((line) => (line.startsWith('PKG ') ? [line.slice(4)] : [])))];
}

describe('what serving the API loads', () => {
  it('loads neither ioredis nor kysely without Redis or a store', async () => {
    const loaded = await packagesLoadedBy(['src/app.ts', 'src/yoga.ts', 'src/sources/index.ts']);
    // The check would pass vacuously if the hook saw nothing: the API's own packages are there.
    expect(loaded).toEqual(expect.arrayContaining(['graphql-yoga', 'graphql-jit', 'undici']));
    expect(loaded.filter((name) => /^(ioredis|kysely|pg)$/.test(name))).toEqual([]);
  }, 60_000);

  it('loads ioredis once a Redis transport is made', async () => {
    const loaded = await packagesLoadedBy(['test/app/fixtures/redis-transport.ts']);
    expect(loaded).toEqual(expect.arrayContaining(['ioredis']));
  }, 60_000);
});
