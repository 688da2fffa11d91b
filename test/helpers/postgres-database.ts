import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';

/**
 * PostgreSQL for tests: LETHE_TEST_POSTGRES_URL names a server (and a database to connect to for administration);
 * each test file or server gets a database of its own, so runs never see each other's data and can run in parallel.
 */
export const TEST_POSTGRES_URL = process.env.LETHE_TEST_POSTGRES_URL;

/** The reason PostgreSQL tests are skipped, or false when they run (node:test `skip` option). */
export const skipPostgres: string | false = TEST_POSTGRES_URL
  ? false
  : 'LETHE_TEST_POSTGRES_URL is not set: PostgreSQL was not tested (npm test starts a scratch server when it finds or can install PostgreSQL)';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after `label`; `drop` removes it (after every connection to it is closed). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (!TEST_POSTGRES_URL) throw new Error('LETHE_TEST_POSTGRES_URL is not set');
  const name = `lethe_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A suite that needs PostgreSQL. Without LETHE_TEST_POSTGRES_URL it is one skipped test carrying the reason, so the
 * runner's summary counts it as skipped instead of silently running nothing.
 */
export function describePostgres(name: string, fn: () => void): void {
  if (skipPostgres) test(name, { skip: skipPostgres }, () => {});
  else describe(name, fn);
}
