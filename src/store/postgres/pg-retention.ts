import type pg from 'pg';
import { seqFloor } from '../../model/log-sequence.js';
import { listPartitions, underPartitionLock, type PartitionMaker } from './partitions.js';
import { REMOVED_LOG_COLUMNS, type RemovedLogRow } from '../metric-arithmetic.js';
import type { PgLogAggregates } from './pg-log-aggregates.js';
import type { ResidueTracker } from './residue.js';
import { withTransaction } from './transaction.js';

type Kind = 'logs' | 'events';
const SUBJECT_TABLE = { logs: 'log_subjects', events: 'event_subjects' } as const;

/**
 * Retention on PostgreSQL. A month partition is shared by every instance, so it is dropped (the fast path: no
 * row-by-row delete, no dead tuples, nothing left to vacuum) only when it ended at or before the cutoff and holds rows
 * of this instance alone; everything else is deleted by key in chunks, oldest first, with its subject-index entries.
 */
export class PgRetention {
  constructor(
    private readonly pool: pg.Pool,
    private readonly partitions: PartitionMaker,
    private readonly residue: ResidueTracker,
    private readonly aggregates: PgLogAggregates,
  ) {}

  /** Deletes up to `chunk` rows (plus any whole months dropped first); sessions are those of deleted logs. */
  async deleteBefore(kind: Kind, instanceId: string, cutoffTs: number, chunk: number): Promise<{ rows: number; sessions: number; done: boolean }> {
    const dropped = await this.dropMonthsOfOnly(kind, instanceId, cutoffTs);
    const deleted = await withTransaction(this.pool, async (client) => {
      const { rows: keys } = await client.query<{ seq: string }>(
        `SELECT seq FROM ${kind} WHERE instance_id = $1 AND seq < $2 ORDER BY seq LIMIT $3`, [instanceId, seqFloor(cutoffTs), chunk],
      );
      const seqs = keys.map((k) => k.seq);
      // Counted from what this transaction really deleted: another process running retention may have been first.
      const gone = await client.query<RemovedLogRow & { session_id?: string | null }>(
        `DELETE FROM ${kind} WHERE instance_id = $1 AND seq = ANY($2::int8[]) RETURNING ${kind === 'logs' ? `session_id, ${REMOVED_LOG_COLUMNS}` : 'seq'}`,
        [instanceId, seqs],
      );
      await client.query(`DELETE FROM ${SUBJECT_TABLE[kind]} WHERE instance_id = $1 AND seq = ANY($2::int8[])`, [instanceId, seqs]);
      if (kind === 'logs') await this.aggregates.logsRemoved(client, gone.rows);
      this.residue.deleted(kind, seqs);
      const sessions = await deleteSessions(client, instanceId, gone.rows.map((r) => r.session_id ?? null));
      return { rows: gone.rowCount ?? 0, sessions, done: seqs.length < chunk };
    });
    return { rows: dropped.rows + deleted.rows, sessions: dropped.sessions + deleted.sessions, done: deleted.done };
  }

  private async dropMonthsOfOnly(kind: Kind, instanceId: string, cutoffTs: number): Promise<{ rows: number; sessions: number }> {
    const total = { rows: 0, sessions: 0 };
    for (const month of await this.monthsBefore(kind, cutoffTs)) {
      // A cheap look first (two probes of the primary key), so the lock below is only taken to drop.
      if (!(await onlyInstance(this.pool, month.name, instanceId))) continue;
      const dropped = await underPartitionLock(this.pool, async (client) => {
        // Every insert and read goes through the parent: with it locked, nothing can add another instance's row
        // between the check and the drop.
        await client.query(`LOCK TABLE ONLY ${kind}, ONLY ${SUBJECT_TABLE[kind]} IN ACCESS EXCLUSIVE MODE`);
        const { rows: [exists] } = await client.query('SELECT to_regclass($1) AS oid', [month.name]);
        if (!exists?.oid || !(await onlyInstance(client, month.name, instanceId))) return undefined;
        const { rows: [count] } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${month.name}`);
        let sessions = 0;
        // The metric aggregates lose these logs' share too: their dimensions are read first (no text, no JSON).
        let removed: RemovedLogRow[] = [];
        if (kind === 'logs') {
          const { rows } = await client.query<{ session_id: string }>(`SELECT DISTINCT session_id FROM ${month.name} WHERE session_id IS NOT NULL`);
          sessions = await deleteSessions(client, instanceId, rows.map((r) => r.session_id));
          removed = (await client.query<RemovedLogRow>(`SELECT ${REMOVED_LOG_COLUMNS} FROM ${month.name}`)).rows;
        }
        await client.query(`DROP TABLE ${month.name}`);
        await client.query(`DROP TABLE IF EXISTS ${SUBJECT_TABLE[kind]}_${month.suffix}`);
        await this.aggregates.logsRemoved(client, removed);
        return { rows: Number(count?.n ?? 0), sessions };
      });
      if (!dropped) continue;
      this.partitions.forget(month.start);
      total.rows += dropped.rows;
      total.sessions += dropped.sessions;
    }
    return total;
  }

  /** The partitions of `kind` whose whole month lies before the cutoff, oldest first. */
  private async monthsBefore(kind: Kind, cutoffTs: number): Promise<{ name: string; suffix: string; start: number }[]> {
    const months = [];
    for (const p of await listPartitions(this.pool, [kind])) {
      const suffix = p.name.slice(kind.length + 1);
      // Names are the fixed table name and a month suffix of digits (partitions.ts): safe to put in SQL.
      if (p.endSeq > seqFloor(cutoffTs) || !/^y\d{4}m\d{2}$/.test(suffix)) continue;
      months.push({ name: p.name, suffix, start: p.start });
    }
    return months.sort((a, b) => a.start - b.start);
  }
}

/** True when the partition holds rows and all are the instance's: two index probes of the (instance_id, seq) key. */
async function onlyInstance(db: pg.Pool | pg.PoolClient, partition: string, instanceId: string): Promise<boolean> {
  const { rows: [r] } = await db.query<{ mine: boolean; other: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${partition} WHERE instance_id = $1) AS mine,
            EXISTS (SELECT 1 FROM ${partition} WHERE instance_id < $1) OR EXISTS (SELECT 1 FROM ${partition} WHERE instance_id > $1) AS other`,
    [instanceId],
  );
  return Boolean(r?.mine) && !r?.other;
}

async function deleteSessions(client: pg.PoolClient, instanceId: string, ids: (string | null)[]): Promise<number> {
  const sessionIds = [...new Set(ids.filter((s): s is string => s !== null))];
  if (!sessionIds.length) return 0;
  return (await client.query('DELETE FROM sessions WHERE instance_id = $1 AND session_id = ANY($2::text[])', [instanceId, sessionIds])).rowCount ?? 0;
}
