import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { JobRepository, Store } from '../store.js';
import { jobFromRow } from '../sql/mappers.js';
import { sqlAssistantRepository, sqlWorkspaceRepository } from '../sql/catalog-repositories.js';
import { sqlJobRepository } from '../sql/job-repository.js';
import { sqlKeyRepository } from '../sql/key-repository.js';
import { sqlSecretRepository } from '../sql/secret-repository.js';
import { sqlSessionRepository } from '../sql/session-repository.js';
import type { Tables } from '../sql/tables.js';
import { migrate } from './migrations.js';
import { openSqlite, type SqliteOptions } from './open-database.js';
import { sqliteLogRepository } from './sqlite-log-repository.js';

function sqliteJobRepository(raw: Database.Database, db: Kysely<Tables>): JobRepository {
  // One UPDATE … RETURNING is atomic under SQLite's single-writer lock, so two processes never claim the same job.
  const claim = raw.prepare(
    `UPDATE deletion_jobs
     SET status = 'running', lease_owner = @owner, lease_until = @until, attempts = attempts + 1,
         started_at = coalesce(started_at, @now)
     WHERE job_id = (
       SELECT job_id FROM deletion_jobs
       WHERE status = 'queued' OR (status = 'running' AND lease_until < @now)
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

export function openSqliteStore(url: string, opts: SqliteOptions): Store {
  const raw = openSqlite(url, opts);
  migrate(raw);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    engine: 'sqlite',
    keys: sqlKeyRepository(db),
    workspaces: sqlWorkspaceRepository(db),
    assistants: sqlAssistantRepository(db),
    sessions: sqlSessionRepository(db),
    logs: sqliteLogRepository(raw, db),
    jobs: sqliteJobRepository(raw, db),
    secrets: sqlSecretRepository(db),
    async close() {
      await db.destroy();
    },
  };
}
