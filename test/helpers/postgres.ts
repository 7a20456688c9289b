/**
 * A real PostgreSQL server for tests: its own cluster (initdb in a temp dir) on a free loopback
 * port, its unix socket in that dir, stopped and removed after. Run as the `postgres` user when
 * the tests run as root (initdb refuses root). Absent binaries: `startPostgres` resolves to null
 * and says why, so the PostgreSQL tests are skipped loudly rather than silently passing.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `CHATGRAPH_PG_BIN`, else the newest Debian `postgresql` install (`/usr/lib/postgresql/<major>/bin`). */
export const PG_BIN = process.env.CHATGRAPH_PG_BIN ?? debianPostgres();

function debianPostgres(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  return `${root}/${majors[0] ?? 15}/bin`;
}

export interface RunningPostgres {
  /** A URL of a fresh, empty database on the cluster. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here; null when they can. */
export function postgresMissing(): string | null {
  return existsSync(join(PG_BIN, 'initdb'))
    ? null
    : `PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql, or set CHATGRAPH_PG_BIN): PostgreSQL store tests skipped`;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export async function startPostgres(): Promise<RunningPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'chatgraph-pg-'));
  const asRoot = process.getuid?.() === 0;
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args])
      : run(join(PG_BIN, tool), args);
  if (asRoot) {
    await run('chown', ['postgres', dir]);
    await chmod(dir, 0o700);
  }
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  await pg('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    'start',
  ]);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    async newDatabase() {
      const name = `chatgraph_test_${++databases}`;
      const { default: pgClient } = await import('pg');
      const client = new pgClient.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
