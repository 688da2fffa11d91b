import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Subject } from '../../model/subjects.js';
import { seqFloor } from '../../model/log-sequence.js';
import { eventReads } from '../sql/event-reads.js';
import type { Tables } from '../sql/tables.js';
import { JobLeaseLost, type EventRepository } from '../store.js';
import { eventSubjects } from './ingest-append.js';

/** Events are read by subject (overview, exports) and erased like logs: chunked, counted on the job, lease-checked. */
export function sqliteEventRepository(raw: Database.Database, db: Kysely<Tables>): EventRepository {
  const selectSubjectEvents = raw.prepare(
    `SELECT e.seq, e.user_id, e.visitor_id FROM event_subjects s JOIN events e ON e.seq = s.seq
     WHERE s.instance_id = ? AND s.kind = ? AND s.value = ? AND s.seq < ? LIMIT ?`,
  );
  // events_instance ends in seq, so the oldest events of an instance are a range of that index.
  const selectOldestEvents = raw.prepare('SELECT seq, user_id, visitor_id FROM events WHERE instance_id = ? AND seq < ? ORDER BY seq LIMIT ?');
  const deleteEvent = raw.prepare('DELETE FROM events WHERE seq = ?');
  const deleteSubject = raw.prepare('DELETE FROM event_subjects WHERE instance_id = ? AND kind = ? AND value = ? AND seq = ?');
  const addProgress = raw.prepare(
    `UPDATE deletion_jobs SET deleted_events = deleted_events + ? WHERE job_id = ? AND lease_owner = ? AND status = 'running'`,
  );
  type EventRow = { seq: number; user_id: string | null; visitor_id: string | null };

  /** The one place event rows are removed (subject deletion and retention): each with its subject-index entries. */
  function removeEventRows(instanceId: string, rows: EventRow[]): void {
    for (const row of rows) {
      deleteEvent.run(row.seq);
      for (const s of eventSubjects({ userId: row.user_id, visitorId: row.visitor_id })) deleteSubject.run(instanceId, s.kind, s.value, row.seq);
    }
  }

  const deleteChunkTx = raw.transaction((job: { jobId: string; owner: string }, instanceId: string, subject: Subject, cutoffTs: number, chunk: number) => {
    const rows = selectSubjectEvents.all(instanceId, subject.kind, subject.value, seqFloor(cutoffTs), chunk) as EventRow[];
    removeEventRows(instanceId, rows);
    if (addProgress.run(rows.length, job.jobId, job.owner).changes !== 1) throw new JobLeaseLost(job.jobId);
    return { events: rows.length, done: rows.length < chunk };
  });
  const deleteBeforeTx = raw.transaction((instanceId: string, cutoffTs: number, chunk: number) => {
    const rows = selectOldestEvents.all(instanceId, seqFloor(cutoffTs), chunk) as EventRow[];
    removeEventRows(instanceId, rows);
    return { events: rows.length, done: rows.length < chunk };
  });

  return {
    ...eventReads(db),
    async deleteSubjectChunk(job, instanceId, subject, cutoffTs, chunk) {
      return deleteChunkTx.immediate(job, instanceId, subject, cutoffTs, chunk);
    },
    async deleteBefore(instanceId, cutoffTs, chunk) {
      return deleteBeforeTx.immediate(instanceId, cutoffTs, chunk);
    },
  };
}
