/**
 * Opens the store's database: SQLite in a file (better-sqlite3) or PostgreSQL (`pg`), both behind
 * one Kysely query layer. The drivers are imported only here and only when a store is configured,
 * so a configuration without one never loads the native SQLite module.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { StoreConfig } from './config.js';
import { registerShortTerms } from './short-terms.js';
import type { Tables } from './tables.js';

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Tables>;
  engine: Engine;
}

/** PostgreSQL's BIGINT type id: epoch milliseconds fit a JS number, so read them as numbers. */
const INT8_OID = 20;

export async function openDatabase(config: StoreConfig): Promise<Database> {
  if (config.engine === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const database = new SQLite(config.path);
    // WAL lets readers go on while the recorder writes; NORMAL sync is durable across crashes of
    // the process (not of the machine), which a cache of vendor history can afford.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    registerShortTerms(database);
    return { db: new Kysely<Tables>({ dialect: new SqliteDialect({ database }) }), engine: 'sqlite' };
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  return { db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgres' };
}
