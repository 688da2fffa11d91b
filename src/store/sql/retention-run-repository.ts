import type { Kysely, Selectable } from 'kysely';
import type { RetentionRunRecord } from '../../model/retention-runs.js';
import type { RetentionRunRepository } from '../store.js';
import type { Tables } from './tables.js';

function runFromRow(r: Selectable<Tables['retention_runs']>): RetentionRunRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    runId: r.run_id, instanceId: r.instance_id, logCutoffTs: num(r.log_cutoff_ts), eventCutoffTs: num(r.event_cutoff_ts),
    deletedLogs: Number(r.deleted_logs), deletedSessions: Number(r.deleted_sessions), deletedEvents: Number(r.deleted_events),
    deletedExports: Number(r.deleted_exports), startedAt: Number(r.started_at), finishedAt: Number(r.finished_at),
  };
}

export function sqlRetentionRunRepository(db: Kysely<Tables>): RetentionRunRepository {
  return {
    async insert(run) {
      await db.insertInto('retention_runs').values({
        run_id: run.runId, instance_id: run.instanceId, log_cutoff_ts: run.logCutoffTs, event_cutoff_ts: run.eventCutoffTs,
        deleted_logs: run.deletedLogs, deleted_sessions: run.deletedSessions, deleted_events: run.deletedEvents,
        deleted_exports: run.deletedExports, started_at: run.startedAt, finished_at: run.finishedAt,
      }).execute();
    },
    async list(instanceId, limit) {
      let q = db.selectFrom('retention_runs').selectAll().orderBy('started_at', 'desc').orderBy('run_id', 'desc').limit(limit);
      if (instanceId !== null) q = q.where('instance_id', '=', instanceId);
      return (await q.execute()).map(runFromRow);
    },
  };
}
