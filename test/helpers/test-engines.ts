import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, skipPostgres } from './postgres-database.js';
import { databaseBytes } from './wait.js';

/** The storage engines end-to-end suites run on: SQLite always, PostgreSQL when LETHE_TEST_POSTGRES_URL is set. */
export type Engine = 'sqlite' | 'postgres';
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

/**
 * The suite once per engine, named after it. Where PostgreSQL is not available its run is one skipped test that
 * gives the reason, so a summary never counts it as passed.
 */
export function describeEachEngine(name: string, fn: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    const title = `${name} [${engine}]`;
    if (engine === 'postgres' && skipPostgres) test(title, { skip: skipPostgres }, () => {});
    else describe(title, () => fn(engine));
  }
}

export interface FreshDatabase {
  /** LETHE_DATABASE_URL for the servers and CLI runs of the suite. */
  url: string;
  /** Removes the database (every server using it must be stopped first). */
  drop(): Promise<void>;
}

/** An empty database of the engine: a SQLite file in a temporary directory, or a PostgreSQL database of its own. */
export async function freshDatabase(engine: Engine, label: string): Promise<FreshDatabase> {
  if (engine === 'postgres') return createTestDatabase(label);
  const dir = mkdtempSync(join(tmpdir(), `lethe-${label}-`));
  return { url: `sqlite:${join(dir, 'lethe.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one query (portable SQL) on the database and returns its rows. */
export async function queryRows(url: string, statement: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(statement).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

/** Runs statements (portable SQL) on the database, in one transaction, with no server using it: a test's own edits. */
export async function executeStatements(url: string, statements: string[]): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      db.transaction(() => { for (const s of statements) db.exec(s); })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`BEGIN; ${statements.join(';\n')}; COMMIT`);
  } finally {
    await client.end();
  }
}

/**
 * Runs one writing statement (portable SQL, parameters as `$1`, `$2` …) on the database: to set up what an earlier
 * version left, or to move a record's time past. SQLite waits for the server's writer if it holds the lock.
 */
export async function execute(url: string, statement: string, params: unknown[] = []): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      db.pragma('busy_timeout = 5000');
      const order = [...statement.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1]);
      db.prepare(statement.replace(/\$\d+/g, '?')).run(...order);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}

/**
 * What the database holds, to look for residue. SQLite: every byte of its files (the main file and the WAL).
 * PostgreSQL: every row of every table and partition as text, index words (tsvectors) included. PostgreSQL's own
 * files are not inspected: VACUUM does not overwrite freed space (README.md, "PostgreSQL").
 */
export async function storedContent(url: string): Promise<Buffer> {
  if (url.startsWith('sqlite:')) return databaseBytes(url.slice('sqlite:'.length));
  const tables = await queryRows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const [row] = await queryRows(url, `SELECT string_agg(t::text, E'\\n') AS content FROM "${String(tablename).replace(/"/g, '""')}" t`);
    parts.push(String(row?.content ?? ''));
  }
  return Buffer.from(parts.join('\n'));
}
