import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { DEFAULT_QUERY_TIMEOUT_MS, type JobRepository, type Store } from '../store.js';
import { jobFromRow } from '../sql/mappers.js';
import { sqlJobRepository } from '../sql/job-repository.js';
import { portableRepositories } from '../sql/portable-repositories.js';
import { sqlAuditRepository } from '../sql/audit-repository.js';
import type { Tables } from '../sql/tables.js';
import { migratePostgres } from './migrations.js';
import { PartitionMaker } from './partitions.js';
import { pgEventRepository } from './pg-event-repository.js';
import { createPgIngest } from './pg-ingest.js';
import { pgLogRepository } from './pg-log-repository.js';
import { pgAuditAppend } from './pg-audit-append.js';
import { createPgLogAggregates } from './pg-log-aggregates.js';
import { backfillPgLogAggregates } from './pg-metric-backfill.js';
import { DEFAULT_METRIC_RULES, type MetricRules } from '../../model/metric-rules.js';
import { NulReplacementPlugin } from './nul-plugin.js';
import { PgRetention } from './pg-retention.js';
import { ResidueTracker } from './residue.js';
import { openReadPool } from './read-pool.js';

// Times and counts are int8, and every value Lethe stores in one is below 2^53: read them as numbers, as SQLite does.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function pgJobRepository(pool: pg.Pool, db: Kysely<Tables>): JobRepository {
  return {
    ...sqlJobRepository(db),
    async claim(owner, now, leaseMs) {
      // SKIP LOCKED: concurrent claimants (other processes, or a chunk holding the job row) pass over a locked job
      // instead of waiting for it, and each job goes to exactly one of them.
      const { rows: [row] } = await pool.query(
        `UPDATE deletion_jobs
         SET status = CASE status WHEN 'verifying' THEN 'verifying' ELSE 'running' END, lease_owner = $1, lease_until = $2,
             attempts = attempts + 1, started_at = coalesce(started_at, $3)
         WHERE job_id = (
           SELECT job_id FROM deletion_jobs
           WHERE status = 'queued' OR (status IN ('running', 'verifying') AND lease_until < $3)
           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [owner, now + leaseMs, now],
      );
      return row && jobFromRow(row);
    },
  };
}

export interface PostgresStore extends Store {
  /** The connection pool (retention drops partitions through it: partitions.ts). */
  readonly pool: pg.Pool;
  readonly partitions: PartitionMaker;
}

/** `postgres://user:pass@host:port/db` → a migrated store on a pool of connections. */
/** `queryTimeoutMs`: the budget of each heavy read (store.ts, DEFAULT_QUERY_TIMEOUT_MS when unset). */
export async function openPostgresStore(
  url: string, opts: { poolSize?: number; rules?: MetricRules; queryTimeoutMs?: number } = {},
): Promise<PostgresStore> {
  const rules = opts.rules ?? DEFAULT_METRIC_RULES;
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const aggregates = createPgLogAggregates();
  const partitions = new PartitionMaker(pool);
  try {
    await migratePostgres(pool);
    await backfillPgLogAggregates(pool, aggregates, rules);
    // This month's and the next month's partitions, before any request: then ingest creates them only when a month
    // begins, instead of on the first message of every process.
    await partitions.ensure([Date.now()]);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), plugins: [new NulReplacementPlugin()] });
  const readPool = openReadPool(url, opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS, types);
  const reads = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: readPool.pool }), plugins: [new NulReplacementPlugin()] });
  const residue = new ResidueTracker();
  const retention = new PgRetention(pool, partitions, residue, aggregates);
  return {
    engine: 'postgres',
    ...portableRepositories(db),
    pool,
    partitions,
    logs: pgLogRepository(pool, reads, residue, retention, aggregates),
    events: pgEventRepository(pool, db, residue, retention),
    audit: { ...sqlAuditRepository(db), append: pgAuditAppend(pool) },
    ingest: createPgIngest(pool, partitions, aggregates, rules),
    jobs: pgJobRepository(pool, db),
    async close() {
      // Each ends its pool too.
      await reads.destroy();
      await db.destroy();
    },
  };
}
