import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { seqFloor } from '../src/model/log-sequence.js';
import { aggregatedLogFromRow, type RemovedLogRow } from '../src/store/metric-arithmetic.js';
import { indexedWords } from '../src/store/sqlite/fts-words.js';
import { logSubjects, outputTextOf } from '../src/store/sqlite/ingest-append.js';
import { createLogAggregates } from '../src/store/sqlite/log-aggregates.js';
import { REMOVED_ROW_COLUMNS } from '../src/store/sqlite/sqlite-log-repository.js';
import { openSqlite } from '../src/store/sqlite/open-database.js';
import { TextIndex } from '../src/store/sqlite/text-index.js';
import { compactSearchIndex } from './seed-logs.js';
import { addSubject, SHAPES, seededLogs, type SubjectShape } from './deletion-latency.js';

const SIZES = (process.env.BENCH_DELETION_SIZES ?? '1000000,10000000').split(',').map(Number);
const CHUNK = 2000;

const PHASES = {
  select: 'read the rows (subject index → logs)',
  words: 'recompute the indexed words of each row',
  fts: 'queue the full-text deletions',
  ftsFlush: 'FTS5 secure-delete of the queued entries (forced by a savepoint)',
  logs: 'delete the log rows (table and five indexes)',
  subjects: 'delete the subject-index entries',
  aggregates: 'adjust the metric aggregates',
  commit: 'commit (WAL written and fsynced)',
} as const;
type Phase = keyof typeof PHASES;

interface Row extends RemovedLogRow { customer_ids: string; api: 'v1' | 'v2'; input_text: string; response: string; words?: [string, string] }

/**
 * The deletion job's transaction taken apart: the statements of removeLogRows (sqlite-log-repository.ts), in its
 * order and chunk size, each phase timed on its own. FTS5 defers the work of its deletions to the next savepoint or
 * commit, so a savepoint after queueing them makes that work a phase of its own instead of part of whatever
 * statement comes next.
 */
function deleteInPhases(db: Database.Database, subject: string): Record<Phase | 'checkpoint' | 'walMb', number> {
  const select = db.prepare(
    `SELECT ${REMOVED_ROW_COLUMNS} FROM log_subjects s JOIN logs l ON l.seq = s.seq
     WHERE s.instance_id = 'bench' AND s.kind = 'customer_id' AND s.value = ? AND s.seq > ? AND s.seq < ? LIMIT ?`,
  );
  const deleteLog = db.prepare('DELETE FROM logs WHERE seq = ?');
  const deleteSubject = db.prepare("DELETE FROM log_subjects WHERE instance_id = 'bench' AND kind = ? AND value = ? AND seq = ?");
  const text = new TextIndex(db);
  const aggregates = createLogAggregates(db);
  const ms = Object.fromEntries(Object.keys(PHASES).map((p) => [p, 0])) as Record<Phase, number>;
  const timed = (phase: Phase, f: () => void) => {
    const t0 = performance.now();
    f();
    ms[phase] += performance.now() - t0;
  };
  db.pragma('wal_autocheckpoint = 0');
  let after = -1;
  let rows: Row[];
  do {
    db.exec('BEGIN IMMEDIATE');
    timed('select', () => { rows = select.all(subject, after, seqFloor(Date.now()), CHUNK) as Row[]; });
    after = rows!.at(-1)?.seq ?? after;
    timed('words', () => {
      for (const r of rows) {
        r.words = [indexedWords(r.input_text), indexedWords(outputTextOf({ api: r.api, response: JSON.parse(r.response) as Record<string, unknown> }))];
      }
    });
    timed('fts', () => { for (const r of rows) text.remove(r.seq, ...r.words!); });
    timed('ftsFlush', () => db.exec('SAVEPOINT flush; RELEASE flush'));
    timed('logs', () => { for (const r of rows) deleteLog.run(r.seq); });
    timed('subjects', () => {
      for (const r of rows) for (const s of logSubjects(JSON.parse(r.customer_ids) as string[], r.user_id)) deleteSubject.run(s.kind, s.value, r.seq);
    });
    timed('aggregates', () => aggregates.logsRemoved(rows.map(aggregatedLogFromRow)));
    timed('commit', () => db.exec('COMMIT'));
  } while (rows!.length === CHUNK);
  const walMb = statSync(`${db.name}-wal`).size / 1e6;
  const t0 = performance.now();
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { ...ms, checkpoint: performance.now() - t0, walMb };
}

/** Where a deletion's time goes, phase by phase, for each size and subject shape of the deletion benchmark. */
export async function deletionPhases(): Promise<string> {
  const columns: { label: string; result: ReturnType<typeof deleteInPhases> }[] = [];
  for (const size of SIZES) {
    const path = seededLogs(size);
    for (const shape of SHAPES as SubjectShape[]) {
      const subject = `dsr-phases-${Date.now()}`;
      await addSubject(path, subject, 2000, shape);
      compactSearchIndex(path);
      const db = openSqlite(`sqlite:${path}`, { synchronous: 'FULL' });
      try {
        columns.push({ label: `${size / 1e6}M, ${shape}`, result: deleteInPhases(db, subject) });
      } finally {
        db.close();
      }
    }
  }
  const line = (label: string, pick: (r: ReturnType<typeof deleteInPhases>) => number) =>
    `| ${label} | ${columns.map((c) => pick(c.result).toFixed(0)).join(' | ')} |`;
  const phases = Object.keys(PHASES) as Phase[];
  return `## Deletion, phase by phase

- command: \`BENCH_SUITES=deletion-phases npm run bench\` (sizes: BENCH_DELETION_SIZES, shapes: BENCH_DELETION_SHAPES)
- method: the same databases and subjects as "Deletion latency" (10,000 messages of one customer), deleted without a
  server by the statements of the deletion job, in its order and chunks of ${CHUNK}, each phase timed on its own; one run
  per column, so single figures carry the machine's noise (the disk's write-back especially).

| phase, ms | ${columns.map((c) => c.label).join(' | ')} |
|---|${columns.map(() => '---:').join('|')}|
${phases.map((p) => line(PHASES[p], (r) => r[p])).join('\n')}
${line('**total to committed**', (r) => phases.reduce((n, p) => n + r[p], 0))}
${line('WAL written, MB', (r) => r.walMb)}
${line('checkpoint (after verification in the job)', (r) => r.checkpoint)}
`;
}
