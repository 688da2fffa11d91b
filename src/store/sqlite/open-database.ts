import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { registerFilterFunctions } from './filter-sql.js';

export interface SqliteOptions {
  /** FULL fsyncs the WAL at every commit, so an acknowledged write survives power loss, not only a crash. */
  synchronous: 'FULL' | 'NORMAL';
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
  return db;
}
