import { availableParallelism } from 'node:os';
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { DEFAULT_QUERY_TIMEOUT_MS, type JobRepository, type Store } from '../store.js';
import { jobFromRow } from '../sql/mappers.js';
import { sqlJobRepository } from '../sql/job-repository.js';
import { portableRepositories } from '../sql/portable-repositories.js';
import type { Tables } from '../sql/tables.js';
import { migrate } from './migrations.js';
import { backfillLogAggregates } from './metric-backfill.js';
import { openSqlite, type SqliteOptions } from './open-database.js';
import { sqliteSessionRepository } from './sqlite-session-repository.js';
import { sqliteLogRepository } from './sqlite-log-repository.js';
import { AppendChannel } from './append-channel.js';
import { createAppender, encodeWrites, type EncodedWrite } from './ingest-append.js';
import { sqliteEventRepository } from './sqlite-event-repository.js';
import { sqlAuditRepository } from '../sql/audit-repository.js';
import { sqliteAuditAppend } from './sqlite-audit-append.js';
import { DEFAULT_METRIC_RULES, type MetricRules } from '../../model/metric-rules.js';
import { ReadPool } from './read-pool.js';
import { ReadPoolDialect } from './read-pool-dialect.js';

/** Read threads: enough that one slow read does not hold up the others, few enough to leave the cores to requests. */
const READ_THREADS = Math.min(4, Math.max(2, availableParallelism()));

function sqliteJobRepository(raw: Database.Database, db: Kysely<Tables>): JobRepository {
  // One UPDATE … RETURNING is atomic under SQLite's single-writer lock, so two processes never claim the same job.
  const claim = raw.prepare(
    `UPDATE deletion_jobs
     SET status = CASE status WHEN 'verifying' THEN 'verifying' ELSE 'running' END, lease_owner = @owner, lease_until = @until, attempts = attempts + 1,
         started_at = coalesce(started_at, @now)
     WHERE job_id = (
       SELECT job_id FROM deletion_jobs
       WHERE status = 'queued' OR (status IN ('running', 'verifying') AND lease_until < @now)
       ORDER BY created_at LIMIT 1)
     RETURNING *`,
  );
  return {
    ...sqlJobRepository(db),
    async claim(owner, now, leaseMs) {
      const row = claim.get({ owner, now, until: now + leaseMs }) as Parameters<typeof jobFromRow>[0] | undefined;
      return row && jobFromRow(row);
    },
  };
}

/** A writer thread for a database file; an in-memory database exists only on this connection, so it appends here. */
function appender(url: string, opts: SqliteOptions, raw: Database.Database) {
  if (url === 'sqlite::memory:') {
    const appendHere = createAppender(raw);
    return { append: async (w: EncodedWrite[]) => appendHere(w), close: async () => {} };
  }
  const channel = new AppendChannel(url, opts);
  return { append: (w: EncodedWrite[]) => channel.append(w), close: () => channel.close() };
}

/**
 * Where heavy reads run: the read threads of a database file, or, for a database that exists only on this connection
 * (`sqlite::memory:`, for tests and throwaway use), this connection itself, without a time budget.
 */
function heavyReads(url: string, opts: SqliteOptions, db: Kysely<Tables>): Kysely<Tables> {
  if (url === 'sqlite::memory:') return db;
  const pool = new ReadPool(url.slice('sqlite:'.length), READ_THREADS, opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  return new Kysely<Tables>({ dialect: new ReadPoolDialect(pool) });
}

export function openSqliteStore(url: string, opts: SqliteOptions, rules: MetricRules = DEFAULT_METRIC_RULES): Store {
  const raw = openSqlite(url, opts);
  migrate(raw);
  backfillLogAggregates(raw, rules);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
  const { append, close } = appender(url, opts, raw);
  const reads = heavyReads(url, opts, db);
  return {
    engine: 'sqlite',
    ...portableRepositories(db),
    logs: sqliteLogRepository(raw, reads),
    events: sqliteEventRepository(raw, db),
    audit: { ...sqlAuditRepository(db), append: sqliteAuditAppend(raw) },
    ingest: (writes) => append(encodeWrites(writes, rules)),
    jobs: sqliteJobRepository(raw, db),
    sessions: sqliteSessionRepository(raw, db),
    async close() {
      await close();
      if (reads !== db) await reads.destroy();
      await db.destroy();
    },
  };
}
