/**
 * The store's engines for tests: SQLite always (a file in a temp dir), PostgreSQL when its
 * binaries are installed (one cluster per test file, a fresh database per store). Test files run
 * their cases over `STORE_ENGINES` and call `openTestStore(engine, …)`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { StoreConfig, StoreSourcePolicy } from '../../src/store/config.js';
import { postgresMissing, type RunningPostgres, startPostgres } from './postgres.js';

export type TestEngine = 'sqlite' | 'postgres';

const missing = postgresMissing();
if (missing) console.warn(missing);

export const STORE_ENGINES: TestEngine[] = missing ? ['sqlite'] : ['sqlite', 'postgres'];

let postgres: Promise<RunningPostgres> | null = null;
const dirs: string[] = [];

afterAll(async () => {
  if (postgres) await (await postgres).stop();
  postgres = null;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A store configuration on a fresh, empty database of `engine`. */
export async function testStoreConfig(
  engine: TestEngine,
  sources: Record<string, StoreSourcePolicy> = {},
): Promise<StoreConfig> {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'chatgraph-store-'));
    dirs.push(dir);
    return { engine, path: join(dir, 'store.db'), sources };
  }
  postgres ??= startPostgres();
  const url = await (await postgres).newDatabase();
  return { engine, url, poolSize: 4, sources };
}
