import type pg from 'pg';
import { seqFloor } from '../../model/log-sequence.js';
import { withTransaction, type RetryPolicy } from './transaction.js';

/**
 * Logs, events and their subject indexes are partitioned by calendar month (UTC) of their time-ordered key. A month's
 * partitions are created the first time something received in it is written, and retention drops whole months: no
 * row-by-row delete, no dead tuples, no vacuum debt.
 */
export const PARTITIONED_TABLES = ['logs', 'log_subjects', 'events', 'event_subjects'] as const;

// Serialises partition creation and dropping between processes (any fixed number, distinct from the migration lock).
const PARTITION_LOCK = 7_465_283_002;

const LOCK_TIMEOUT_MS = 200;
// A transaction that gave way (lock_not_available: lock_timeout expired) or lost a deadlock runs again, for up to
// about 25 s: creating a month cannot wait for a later pass, a message for it is waiting.
const PARTITION_RETRY: RetryPolicy = { attempts: 50, codes: new Set(['55P03', '40P01']), backoffMs: 20 };

/** The UTC month holding `ms`, as its first instant and the first instant of the next month. */
export function monthOf(ms: number): { start: number; end: number; suffix: string } {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1), suffix: `y${y}m${String(m + 1).padStart(2, '0')}` };
}

/** Creates each month's partitions once per process; another process creating them first is harmless. */
export class PartitionMaker {
  private readonly known = new Set<number>();

  constructor(private readonly pool: pg.Pool) {}

  async ensure(timestamps: Iterable<number>): Promise<void> {
    const missing = new Map<number, ReturnType<typeof monthOf>>();
    for (const ms of timestamps) {
      // The next month too, so its partitions exist well before the first record for it arrives.
      for (const month of [monthOf(ms), monthOf(monthOf(ms).end)]) {
        if (!this.known.has(month.start)) missing.set(month.start, month);
      }
    }
    if (!missing.size) return;
    await underPartitionLock(this.pool, async (client) => {
      for (const month of missing.values()) {
        for (const table of PARTITIONED_TABLES) {
          // Identifiers are built only from the fixed table names and digits; bounds are integers.
          await client.query(`CREATE TABLE IF NOT EXISTS ${table}_${month.suffix} PARTITION OF ${table}
            FOR VALUES FROM (${seqFloor(month.start)}) TO (${seqFloor(month.end)})`);
        }
      }
    });
    for (const start of missing.keys()) this.known.add(start);
  }

  /** Forgets a dropped month so it is created again if something from it arrives later. */
  forget(monthStart: number): void {
    this.known.delete(monthStart);
  }

  /** Another process dropped months this one knew: check every month again. */
  forgetAll(): void {
    this.known.clear();
  }
}

/**
 * Drops every month that ended at or before `cutoffMs`, on all partitioned tables together; returns the months
 * dropped (as their first instant). A month that straddles the cutoff is kept: its older rows are left to row-level
 * deletion.
 */
export async function dropPartitionsBefore(pool: pg.Pool, cutoffMs: number, maker?: PartitionMaker): Promise<number[]> {
  const dropped = await underPartitionLock(pool, async (client) => {
    const months: number[] = [];
    for (const p of await listPartitions(client, PARTITIONED_TABLES)) {
      if (p.endSeq > seqFloor(cutoffMs)) continue;
      await client.query(`DROP TABLE ${client.escapeIdentifier(p.name)}`);
      if (!months.includes(p.start)) months.push(p.start);
    }
    return months;
  });
  for (const start of dropped) maker?.forget(start);
  return dropped.sort((a, b) => a - b);
}

/** The partitions of the given parent tables, with the first instant of their month and the key that ends it. */
export async function listPartitions(
  db: pg.Pool | pg.PoolClient, parents: readonly string[],
): Promise<{ name: string; parent: string; start: number; endSeq: number }[]> {
  const { rows } = await db.query<{ name: string; parent: string; bound: string }>(
    `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = ANY($1) AND p.relnamespace = current_schema()::regnamespace`,
    [[...parents]],
  );
  return rows.flatMap((row) => {
    const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(row.bound);
    return m ? [{ name: row.name, parent: row.parent, start: Number(m[1]) / seqFloor(1), endSeq: Number(m[2]) }] : [];
  });
}

/**
 * A transaction that creates or drops partitions, one process at a time. Either locks parent tables exclusively, one
 * after the other, while a query joining two of them (a subject's logs) may hold one and wait for the other: a
 * deadlock. A short lock_timeout makes this side give way at once, instead of the query being aborted by the deadlock
 * detector a second later, and the transaction runs again.
 */
export function underPartitionLock<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
    return fn(client);
  }, PARTITION_RETRY);
}
