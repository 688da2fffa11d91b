import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { seqFloor } from '../../model/log-sequence.js';
import type { Subject } from '../../model/subjects.js';
import { JobLeaseLost, type LogRepository, type SubjectDeletion } from '../store.js';
import { logPages } from '../sql/log-pages.js';
import type { Tables } from '../sql/tables.js';
import { planLogSource } from './filter-sql.js';
import { indexedWords } from './fts-words.js';
import { compactTextIndexStep, listTextPartitions, TextIndex } from './text-index.js';
import { logSubjects, outputTextOf } from './ingest-append.js';
import { aggregatedLogFromRow, REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import { createLogAggregates } from './log-aggregates.js';

/**
 * Reading and erasing logs (appending is Store.ingest). Erasure runs as prepared statements in synchronous
 * better-sqlite3 transactions, which cannot interleave with any other statement on the shared connection.
 */
/** SQLite's default: a commit that leaves more WAL pages than this checkpoints them. */
const AUTOCHECKPOINT_PAGES = 1000;

/** What removing a log row reads first (of `logs l`): its aggregates' dimensions and what its index entries hold. */
export const REMOVED_ROW_COLUMNS =
  `${REMOVED_LOG_COLUMNS.split(', ').map((c) => `l.${c}`).join(', ')}, l.session_id, l.customer_ids, l.api, l.input_text, l.response`;

/** `reads` runs the pages and counts (sqlite-store.ts: on the read threads); erasure runs on `raw`. */
export function sqliteLogRepository(raw: Database.Database, reads: Kysely<Tables>): LogRepository {
  const selectSubjectLogs = raw.prepare(
    `SELECT ${REMOVED_ROW_COLUMNS} FROM log_subjects s JOIN logs l ON l.seq = s.seq
     WHERE s.instance_id = ? AND s.kind = ? AND s.value = ? AND s.seq < ? LIMIT ?`,
  );
  // logs_instance ends in seq, so the oldest logs of an instance are a range of that index.
  const selectOldestLogs = raw.prepare(`SELECT ${REMOVED_ROW_COLUMNS} FROM logs l WHERE l.instance_id = ? AND l.seq < ? ORDER BY l.seq LIMIT ?`);
  const deleteLog = raw.prepare('DELETE FROM logs WHERE seq = ?');
  // A contentless FTS entry is removed by replaying the words it was indexed with (fts-words.ts).
  const text = new TextIndex(raw);
  const deleteSubject = raw.prepare('DELETE FROM log_subjects WHERE instance_id = ? AND kind = ? AND value = ? AND seq = ?');
  const deleteSession = raw.prepare('DELETE FROM sessions WHERE session_id = ? AND instance_id = ?');
  const addProgress = raw.prepare(
    `UPDATE deletion_jobs SET deleted_logs = deleted_logs + ?, deleted_sessions = deleted_sessions + ?
     WHERE job_id = ? AND lease_owner = ? AND status = 'running'`,
  );

  const aggregates = createLogAggregates(raw);

  /**
   * A chunk of a deletion rewrites thousands of scattered pages; left to the automatic checkpoint, every chunk's
   * commit would also copy them into the database file, and again for the next chunk. Every deletion path ends
   * with eraseResidue, whose one TRUNCATE checkpoint copies each page once and turns the automatic one back on.
   * (The ingest writer's own connection keeps checkpointing meanwhile, so the WAL stays bounded under load.)
   */
  const deferCheckpoints = () => raw.pragma('wal_autocheckpoint = 0');

  /** What removing a log needs: its metric dimensions (to adjust the aggregates) and what its index entries hold. */
  interface LogRow extends RemovedLogRow {
    session_id: string | null; customer_ids: string; api: 'v1' | 'v2'; input_text: string; response: string;
  }

  /**
   * The one place log rows are removed (subject deletion and retention alike): each row goes with its full-text
   * entries, subject-index entries and its share of the metric aggregates, and the sessions the rows belonged to go too. Runs inside the caller's
   * transaction; returns how many sessions it deleted.
   */
  function removeLogRows(instanceId: string, rows: LogRow[]): number {
    const sessions = new Set<string>();
    for (const row of rows) {
      deleteLog.run(row.seq);
      text.remove(row.seq, indexedWords(row.input_text), indexedWords(outputTextOf({ api: row.api, response: JSON.parse(row.response) as Record<string, unknown> })));
      for (const s of logSubjects(JSON.parse(row.customer_ids) as string[], row.user_id)) {
        deleteSubject.run(instanceId, s.kind, s.value, row.seq);
      }
      if (row.session_id) sessions.add(row.session_id);
    }
    aggregates.logsRemoved(rows.map(aggregatedLogFromRow));
    let deletedSessions = 0;
    for (const id of sessions) deletedSessions += deleteSession.run(id, instanceId).changes;
    return deletedSessions;
  }

  const deleteChunkTx = raw.transaction(
    (job: { jobId: string; owner: string }, instanceId: string, subject: Subject, cutoffTs: number, chunk: number): SubjectDeletion => {
      const rows = selectSubjectLogs.all(instanceId, subject.kind, subject.value, seqFloor(cutoffTs), chunk) as LogRow[];
      const deletedSessions = removeLogRows(instanceId, rows);
      if (addProgress.run(rows.length, deletedSessions, job.jobId, job.owner).changes !== 1) throw new JobLeaseLost(job.jobId);
      return { logs: rows.length, sessions: deletedSessions, done: rows.length < chunk };
    },
  );
  const deleteBeforeTx = raw.transaction((instanceId: string, cutoffTs: number, chunk: number): SubjectDeletion => {
    const rows = selectOldestLogs.all(instanceId, seqFloor(cutoffTs), chunk) as LogRow[];
    const sessions = removeLogRows(instanceId, rows);
    return { logs: rows.length, sessions, done: rows.length < chunk };
  });

  return {
    ...logPages(reads, { plan: (filter, instanceId) => planLogSource(filter, instanceId, listTextPartitions(raw)), columns: sql`logs.*` }),
    async deleteSubjectChunk(job, instanceId, subject, cutoffTs, chunk) {
      deferCheckpoints();
      return deleteChunkTx.immediate(job, instanceId, subject, cutoffTs, chunk);
    },
    async deleteBefore(instanceId, cutoffTs, chunk) {
      deferCheckpoints();
      return deleteBeforeTx.immediate(instanceId, cutoffTs, chunk);
    },
    async compactIndexStep(now) {
      return compactTextIndexStep(raw, now);
    },
    async eraseResidue() {
      // The WAL still holds pre-delete copies of the pages; TRUNCATE copies the zeroed pages back and empties it.
      // It cannot finish while another connection reads an older snapshot, so wait for readers to move on.
      for (let attempt = 0; attempt < 100; attempt++) {
        const [result] = raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (result?.busy === 0) return void raw.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('WAL checkpoint stayed busy for 5 s: another process holds a read transaction open');
    },
  };
}
