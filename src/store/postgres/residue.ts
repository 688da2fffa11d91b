import type pg from 'pg';
import { requestTsOf } from '../../model/log-sequence.js';
import { monthOf } from './partitions.js';

// Unpartitioned tables a deletion job deletes from or updates, and the outbox (payloads delivered earlier name subjects).
const SMALL_TABLES = ['sessions', 'exports', 'export_subjects', 'deletion_jobs', 'webhook_deliveries'];
const EVERYTHING = [...SMALL_TABLES, 'logs', 'log_subjects', 'events', 'event_subjects'];

/**
 * Residue erasure is VACUUM, whose cost grows with the tables it scans (GIN indexes are read whole). So the partitions
 * this process deleted from are remembered, and only those months are vacuumed. When it deleted nothing itself (a
 * job resumed after another process did the deleting), every table is vacuumed.
 */
export class ResidueTracker {
  private touched = new Set<string>();

  /** Records that rows with these keys were deleted from `table` and from its subject index. */
  deleted(table: 'logs' | 'events', seqs: (number | string)[]): void {
    for (const seq of seqs) {
      const { suffix } = monthOf(requestTsOf(Number(seq)));
      this.touched.add(`${table}_${suffix}`);
      this.touched.add(`${table === 'logs' ? 'log_subjects' : 'event_subjects'}_${suffix}`);
    }
  }

  async vacuum(pool: pg.Pool): Promise<void> {
    const partitions = [...this.touched];
    this.touched = new Set();
    // Partition names are built from fixed table names and digits (monthOf); a month dropped since is skipped.
    const { rows } = await pool.query<{ name: string }>('SELECT relname AS name FROM pg_class WHERE relname = ANY($1)', [partitions]);
    const tables = partitions.length ? [...SMALL_TABLES, ...rows.map((r) => r.name)] : EVERYTHING;
    await pool.query(`VACUUM ${tables.join(', ')}`);
  }
}
