import type pg from 'pg';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { seqFloor } from '../log-sequence.js';
import type { LogPageRequest } from '../records.js';
import type { LogRepository } from '../store.js';
import { REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import type { PgLogAggregates } from './pg-log-aggregates.js';
import { logFromRow } from '../sql/mappers.js';
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

/** Reading and erasing logs (appending is Store.ingest). Each erasure chunk is one transaction, lease-checked first. */
export function pgLogRepository(
  pool: pg.Pool, db: Kysely<Tables>, residue: ResidueTracker, retention: PgRetention, aggregates: PgLogAggregates,
): LogRepository {
  /** The conditions of a page or count: instance, scope, then the compiled filter. */
  const selection = (req: Pick<LogPageRequest, 'instanceId' | 'scope'>, filter: RawBuilder<boolean> | undefined | null) => {
    const conditions = [sql<boolean>`logs.instance_id = ${req.instanceId}`];
    if (req.scope.workspaceId !== undefined) conditions.push(sql<boolean>`logs.workspace_id = ${pgText(req.scope.workspaceId)}`);
    if (req.scope.assistantId !== undefined) conditions.push(sql<boolean>`logs.assistant_id = ${pgText(req.scope.assistantId)}`);
    if (filter) conditions.push(filter);
    return conditions;
  };
  return {
    async page(req) {
      const source = planLogSource(req.filter, req.instanceId);
      const conditions = selection(req, source.where);
      if (req.after) conditions.push(sql<boolean>`${source.key} ${sql.raw(req.descending ? '<' : '>')} ${req.after.seq}`);
      // The key is time-ordered, so this is request-time order, and each source's index yields it without sorting.
      const { rows } = await sql<Selectable<Tables['logs']>>`SELECT ${LOG_COLUMNS} FROM ${source.from}
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY ${source.key} ${sql.raw(req.descending ? 'DESC' : 'ASC')} LIMIT ${req.limit + 1}`.execute(db);
      const logs = rows.slice(0, req.limit).map(logFromRow);
      const last = logs[logs.length - 1];
      return { logs, next: rows.length > req.limit && last ? { seq: last.seq } : null };
    },
    async count(req) {
      const source = planLogSource(req.filter, req.instanceId);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${source.from}
        WHERE ${sql.join(selection(req, source.where), sql` AND `)}`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
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
  };
}
