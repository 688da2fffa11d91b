import type Database from 'better-sqlite3';
import { messageFlags, type MetricRules } from '../../model/metric-rules.js';
import { aggregatedLogFromRow, REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import { createLogAggregates } from './log-aggregates.js';

/**
 * Counts the logs stored before the metric aggregates existed (migration 6 records their seq range), in chunks of
 * one transaction each, so an interrupted run resumes where it stopped and two processes opening the database at once
 * never count a log twice. Runs at start-up, before any new message is appended.
 */
export function backfillLogAggregates(db: Database.Database, rules: MetricRules, chunkSize = 5000): void {
  const aggregates = createLogAggregates(db);
  const progress = db.prepare('SELECT next_seq, until_seq FROM metric_backfill');
  const chunk = db.prepare(
    `SELECT ${REMOVED_LOG_COLUMNS}, response FROM logs WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const setFlags = db.prepare('UPDATE logs SET metric_flags = ? WHERE seq = ?');
  const advance = db.prepare('UPDATE metric_backfill SET next_seq = ?');
  const finish = db.prepare('DELETE FROM metric_backfill');
  const step = db.transaction((): boolean => {
    const p = progress.get() as { next_seq: number; until_seq: number } | undefined;
    if (!p) return false;
    const rows = chunk.all(p.next_seq, p.until_seq, chunkSize) as (RemovedLogRow & { response: string })[];
    for (const r of rows) {
      r.metric_flags = messageFlags({ topIntent: r.top_intent, response: JSON.parse(r.response) as Record<string, unknown> }, rules);
      setFlags.run(r.metric_flags, r.seq);
    }
    aggregates.logsAdded(rows.map(aggregatedLogFromRow));
    if (rows.length < chunkSize) finish.run();
    else advance.run(rows[rows.length - 1]!.seq + 1);
    return rows.length === chunkSize;
  });
  while (step.immediate()) { /* next chunk */ }
}
