import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { registerFilterFunctions } from './filter-sql.js';
import { indexedWords } from './fts-words.js';
import { outputTextOf } from './ingest-append.js';

export interface SqliteOptions {
  /** FULL fsyncs the WAL at every commit, so an acknowledged write survives power loss, not only a crash. */
  synchronous: 'FULL' | 'NORMAL';
  /** The time budget of each heavy read (store.ts, DEFAULT_QUERY_TIMEOUT_MS when unset). */
  queryTimeoutMs?: number;
}

/** `sqlite:./data/lethe.db`, `sqlite:/abs/path.db` or `sqlite::memory:` → a configured connection. */
export function openSqlite(url: string, opts: SqliteOptions): Database.Database {
  const path = url.slice('sqlite:'.length);
  if (!path) throw new Error('LETHE_DATABASE_URL: a sqlite URL needs a file path, e.g. sqlite:./data/lethe.db');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous}`);
  // Deleted content is overwritten with zeros instead of lingering in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  registerFilterFunctions(db);
  registerIndexFunctions(db);
  return db;
}

/**
 * A read-only connection to a database file that a writer (openSqlite) has already set up in WAL mode, where readers
 * never wait for the writer nor it for them: the read threads' connections (read-pool.ts).
 */
export function openSqliteReader(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  registerFilterFunctions(db);
  return db;
}

/** What the full-text index is built from, for migrations that rebuild it in SQL. */
function registerIndexFunctions(db: Database.Database): void {
  const opts = { deterministic: true, directOnly: true };
  db.function('lethe_indexed_words', opts, (text: unknown) => (typeof text === 'string' ? indexedWords(text) : ''));
  db.function('lethe_output_text', opts, (api: unknown, response: unknown) =>
    (typeof response === 'string' ? outputTextOf({ api: api === 'v1' ? 'v1' : 'v2', response: JSON.parse(response) as Record<string, unknown> }) : ''));
}
