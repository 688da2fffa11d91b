import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { seqFloor } from '../../model/log-sequence.js';
import type { LogRepository } from '../store.js';
import { REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import type { PgLogAggregates } from './pg-log-aggregates.js';
import { logPages } from '../sql/log-pages.js';
import type { Tables } from '../sql/tables.js';
import { planLogSource } from './filter-sql.js';
import { lockJob, recordProgress } from './job-progress.js';
import { pgText } from './pg-text.js';
import type { PgRetention } from './pg-retention.js';
import type { ResidueTracker } from './residue.js';
import { withTransaction } from './transaction.js';

// Every column a page returns: not the tsvectors, which only serve the search.
const LOG_COLUMNS = sql.raw(`logs.instance_id, logs.seq, logs.log_id, logs.api, logs.assistant_id, logs.environment_id, logs.workspace_id,
  logs.session_id, logs.conversation_id, logs.user_id, logs.customer_id, logs.customer_ids, logs.deployment, logs.language, logs.snapshot,
  logs.top_intent, logs.top_confidence, logs.entities_count, logs.input_text, logs.learning_opt_out, logs.request_ts, logs.response_ts,
  logs.request, logs.response`);

/**
 * Reading and erasing logs (appending is Store.ingest). Each erasure chunk is one transaction, lease-checked first, on
 * `pool`; pages and counts run on `reads` (the read pool, read-pool.ts), within the query budget.
 */
export function pgLogRepository(
  pool: pg.Pool, reads: Kysely<Tables>, residue: ResidueTracker, retention: PgRetention, aggregates: PgLogAggregates,
): LogRepository {
  return {
    ...logPages(reads, { plan: (filter, instanceId) => [planLogSource(filter, instanceId)], columns: LOG_COLUMNS }),
    async deleteSubjectChunk(job, instanceId, subject, cutoffTs, chunk) {
      return withTransaction(pool, async (client) => {
        await lockJob(client, job);
        const { rows: keys } = await client.query<{ seq: string }>(
          'SELECT seq FROM log_subjects WHERE instance_id = $1 AND kind = $2 AND value = $3 AND seq < $4 ORDER BY seq LIMIT $5',
          [instanceId, subject.kind, pgText(subject.value), seqFloor(cutoffTs), chunk],
        );
        const seqs = keys.map((k) => k.seq);
        // Only what this transaction really deleted is counted: another job may have erased a shared log first.
        const deleted = await client.query<RemovedLogRow & { session_id: string | null }>(
          `DELETE FROM logs WHERE instance_id = $1 AND seq = ANY($2::int8[]) RETURNING session_id, ${REMOVED_LOG_COLUMNS}`, [instanceId, seqs],
        );
        await client.query('DELETE FROM log_subjects WHERE instance_id = $1 AND seq = ANY($2::int8[])', [instanceId, seqs]);
        await aggregates.logsRemoved(client, deleted.rows);
        residue.deleted('logs', seqs);
        const sessionIds = [...new Set(deleted.rows.map((r) => r.session_id).filter((s): s is string => s !== null))];
        const sessions = sessionIds.length
          ? (await client.query('DELETE FROM sessions WHERE instance_id = $1 AND session_id = ANY($2::text[])', [instanceId, sessionIds])).rowCount ?? 0
          : 0;
        await recordProgress(client, job, { deleted_logs: deleted.rowCount ?? 0, deleted_sessions: sessions });
        return { logs: deleted.rowCount ?? 0, sessions, done: seqs.length < chunk };
      });
    },
    async deleteBefore(instanceId, cutoffTs, chunk) {
      const r = await retention.deleteBefore('logs', instanceId, cutoffTs, chunk);
      return { logs: r.rows, sessions: r.sessions, done: r.done };
    },
    async eraseResidue() {
      // Removes the deleted rows' dead tuples and index entries so no query, snapshot or page reuse can reach them.
      // What PostgreSQL keeps beyond this (freed bytes until overwritten, WAL, backups) is listed in README.md.
      await residue.vacuum(pool);
    },
    async compactIndexStep() {
      // GIN indexes take deletions entry by entry whatever their size: nothing to merge ahead of time.
      return false;
    },
  };
}
