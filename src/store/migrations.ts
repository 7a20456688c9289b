/**
 * The store's schema, as Kysely migrations kept in code (run at start-up and by `chatgraph store
 * migrate`). Each engine gets its own full-text index: SQLite an FTS5 table with the trigram
 * tokenizer (substrings in any script, Chinese included, case-insensitive), PostgreSQL a pg_trgm
 * GIN index that `ILIKE '%…%'` uses. Migrations are append-only: never edit a shipped one.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Engine } from './db.js';
import { SHORT_TERMS_FUNCTION } from './short-terms.js';

function migrations(engine: Engine): Record<string, Migration> {
  const bigint = 'bigint' as const;
  return {
    '001-conversations-and-messages': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('conversations')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.notNull())
          .addColumn('vendor', 'text', (c) => c.notNull())
          .addColumn('title', 'text')
          .addColumn('last_activity_at', bigint, (c) => c.notNull())
          .addColumn('last_message_id', 'text')
          .addColumn('preview', 'text')
          .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('first_seen_at', bigint, (c) => c.notNull())
          .addColumn('floor_t', bigint)
          .addColumn('floor_id', 'text')
          .addPrimaryKeyConstraint('conversations_pk', ['source', 'external_id'])
          .execute();
        await db.schema
          .createIndex('conversations_activity')
          .on('conversations')
          .columns(['last_activity_at', 'source', 'external_id'])
          .execute();
        await db.schema
          .createIndex('conversations_source_activity')
          .on('conversations')
          .columns(['source', 'last_activity_at', 'external_id'])
          .execute();
        await db.schema
          .createTable('participants')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('conversation', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('participants_pk', ['source', 'conversation', 'name'])
          .execute();
        await db.schema.createIndex('participants_name').on('participants').column('name').execute();
        await db.schema
          .createTable('conversation_flags')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('conversation', 'text', (c) => c.notNull())
          .addColumn('flag', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('conversation_flags_pk', ['source', 'conversation', 'flag'])
          .execute();
        await db.schema
          .createTable('messages')
          // On SQLite an INTEGER PRIMARY KEY is the rowid, which the FTS5 index points at.
          .addColumn('seq', engine === 'sqlite' ? 'integer' : bigint, (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('conversation', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.notNull())
          .addColumn('sent_at', bigint, (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('sender_role', 'text', (c) => c.notNull())
          .addColumn('sender_name', 'text')
          .addColumn('text', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('raw', 'text', (c) => c.notNull())
          .addColumn('media_expires_at', bigint)
          .addColumn('stored_at', bigint, (c) => c.notNull())
          .addUniqueConstraint('messages_identity', ['source', 'conversation', 'external_id'])
          .execute();
        await db.schema
          .createIndex('messages_conversation_time')
          .on('messages')
          .columns(['source', 'conversation', 'sent_at', 'external_id'])
          .execute();
        await db.schema
          .createIndex('messages_source_time')
          .on('messages')
          .columns(['source', 'sent_at'])
          .execute();
        if (engine === 'sqlite') {
          await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='seq', tokenize='trigram')`.execute(
            db,
          );
          // External-content FTS5: the triggers keep the index in step with the table.
          await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, text) VALUES (new.seq, new.text); END`.execute(db);
          await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.seq, old.text); END`.execute(
            db,
          );
          await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
            INSERT INTO messages_fts(rowid, text) VALUES (new.seq, new.text); END`.execute(db);
        } else {
          await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
          await sql`CREATE INDEX messages_text_trgm ON messages USING gin (text gin_trgm_ops)`.execute(db);
        }
      },
    },
    // One- and two-character queries by index on SQLite (see short-terms.ts); PostgreSQL's
    // short queries stay a bounded scan, so nothing changes there.
    '002-short-terms': {
      async up(db: Kysely<unknown>) {
        if (engine !== 'sqlite') return;
        const terms = sql.raw(SHORT_TERMS_FUNCTION);
        await sql`CREATE VIRTUAL TABLE messages_short USING fts5(terms, content='', contentless_delete=1, detail='none', tokenize='ascii')`.execute(
          db,
        );
        await sql`CREATE TRIGGER messages_short_insert AFTER INSERT ON messages BEGIN
          INSERT INTO messages_short(rowid, terms) VALUES (new.seq, ${terms}(new.text)); END`.execute(db);
        await sql`CREATE TRIGGER messages_short_delete AFTER DELETE ON messages BEGIN
          DELETE FROM messages_short WHERE rowid = old.seq; END`.execute(db);
        await sql`CREATE TRIGGER messages_short_update AFTER UPDATE OF text ON messages BEGIN
          DELETE FROM messages_short WHERE rowid = old.seq;
          INSERT INTO messages_short(rowid, terms) VALUES (new.seq, ${terms}(new.text)); END`.execute(db);
        await sql`INSERT INTO messages_short(rowid, terms) SELECT seq, ${terms}(text) FROM messages`.execute(
          db,
        );
      },
    },
  };
}

class CodeMigrations implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.engine);
  }
}

/** Brings the database's schema up to date; resolves to the names of the migrations applied now. */
export async function migrate(db: Kysely<unknown>, engine: Engine): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new CodeMigrations(engine),
    migrationTableName: 'chatgraph_migrations',
    migrationLockTableName: 'chatgraph_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
