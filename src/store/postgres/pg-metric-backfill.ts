import type pg from 'pg';
import { messageFlags, type MetricRules } from '../../model/metric-rules.js';
import { aggregatedLogFromRow, REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import type { PgLogAggregates } from './pg-log-aggregates.js';
import { withTransaction } from './transaction.js';

/**
 * Counts the logs stored before the metric aggregates existed (migration 6 records their key range), in chunks of one
 * transaction each that lock the progress row: an interrupted run resumes where it stopped, and processes starting
 * together take turns, so no log is counted twice. Runs while the store opens, before this process appends anything.
 */
export async function backfillPgLogAggregates(pool: pg.Pool, aggregates: PgLogAggregates, rules: MetricRules, chunkSize = 5000): Promise<void> {
  for (;;) {
    const more = await withTransaction(pool, async (client) => {
      const { rows: [p] } = await client.query<{ after_seq: string; after_instance: string; until_seq: string }>(
        'SELECT after_seq, after_instance, until_seq FROM metric_backfill FOR UPDATE');
      if (!p) return false;
      const { rows } = await client.query<RemovedLogRow & { response: string }>(
        `SELECT ${REMOVED_LOG_COLUMNS}, response FROM logs WHERE (seq, instance_id) > ($1::int8, $2::text) AND seq <= $3
         ORDER BY seq, instance_id LIMIT $4`,
        [p.after_seq, p.after_instance, p.until_seq, chunkSize],
      );
      for (const r of rows) {
        r.metric_flags = messageFlags({ topIntent: r.top_intent, response: JSON.parse(r.response) as Record<string, unknown> }, rules);
      }
      if (rows.length) {
        await client.query(
          `UPDATE logs SET metric_flags = u.flags FROM unnest($1::text[], $2::int8[], $3::int4[]) AS u(instance_id, seq, flags)
           WHERE logs.instance_id = u.instance_id AND logs.seq = u.seq`,
          [rows.map((r) => r.instance_id), rows.map((r) => r.seq), rows.map((r) => r.metric_flags)],
        );
      }
      await aggregates.logsAdded(client, rows.map((r) => aggregatedLogFromRow({ ...r, seq: Number(r.seq), request_ts: Number(r.request_ts) })));
      const last = rows[rows.length - 1];
      if (rows.length < chunkSize || !last) await client.query('DELETE FROM metric_backfill');
      else await client.query('UPDATE metric_backfill SET after_seq = $1, after_instance = $2', [last.seq, last.instance_id]);
      return rows.length === chunkSize;
    });
    if (!more) return;
  }
}
