import pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { QueryTimeout } from '../../model/errors.js';

/** PostgreSQL's code for a statement cancelled by statement_timeout (or a cancel request; Lethe sends none). */
const QUERY_CANCELED = '57014';

/** Connections of the read pool: heavy reads wait for one of these, never for the writers' connections. */
const READ_CONNECTIONS = 4;

/**
 * The connections heavy reads (pages and counts of logs) run on: their own, with `statement_timeout` set, so the
 * server stops a read past its budget and the request is answered with QueryTimeout. Ingest and deletion use the
 * store's other pool, which has no such limit: a deletion chunk is never cut short by a read's budget.
 */
export function openReadPool(url: string, budgetMs: number, types: pg.CustomTypesConfig): { pool: PostgresPool; end(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: READ_CONNECTIONS, types, statement_timeout: budgetMs });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const budgeted = (client: pg.PoolClient): PostgresPoolClient => ({
    // Kysely never streams from this pool (no cursor is configured), so every query is text and values.
    query: ((text: string, values: unknown[]) =>
      client.query(text, values).catch((err: unknown) => {
        throw (err as { code?: string }).code === QUERY_CANCELED ? new QueryTimeout(budgetMs) : err;
      })) as unknown as PostgresPoolClient['query'],
    release: () => client.release(),
  });
  return { pool: { connect: async () => budgeted(await pool.connect()), end: () => pool.end() }, end: () => pool.end() };
}
