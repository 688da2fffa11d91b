import type pg from 'pg';
import { seqFloor } from '../log-sequence.js';

/**
 * Logs, events and their subject indexes are partitioned by calendar month (UTC) of their time-ordered key. A month's
 * partitions are created the first time something received in it is written, and retention drops whole months: no
 * row-by-row delete, no dead tuples, no vacuum debt.
 */
export const PARTITIONED_TABLES = ['logs', 'log_subjects', 'events', 'event_subjects'] as const;

// Serialises partition creation and dropping between processes (any fixed number, distinct from the migration lock).
export const PARTITION_LOCK = 7_465_283_002;

const LOCK_TIMEOUT_MS = 200;
const CREATE_ATTEMPTS = 50;
// lock_not_available (lock_timeout expired), deadlock_detected.
const LOCK_CONFLICTS = new Set(['55P03', '40P01']);

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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.create([...missing.values()]);
        break;
      } catch (err) {
        if (attempt >= CREATE_ATTEMPTS || !LOCK_CONFLICTS.has(String((err as { code?: string }).code))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
    for (const start of missing.keys()) this.known.add(start);
  }

  /**
   * Creating a partition locks its parent table exclusively, one parent after the other, while a query joining two of
   * them (a subject's logs) holds one and waits for the other: a deadlock. A short lock_timeout makes this side give
   * way at once (instead of the query being aborted by the deadlock detector a second later), and tries again.
   */
  private async create(months: ReturnType<typeof monthOf>[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
      for (const month of months) {
        for (const table of PARTITIONED_TABLES) {
          // Identifiers are built only from the fixed table names and digits; bounds are integers.
          await client.query(`CREATE TABLE IF NOT EXISTS ${table}_${month.suffix} PARTITION OF ${table}
            FOR VALUES FROM (${seqFloor(month.start)}) TO (${seqFloor(month.end)})`);
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
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
  const client = await pool.connect();
  const dropped: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
    // As when creating (above): give way to queries rather than deadlock with them; the next retention pass retries.
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
    const { rows } = await client.query<{ name: string; parent: string; bound: string }>(
      `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = ANY($1) AND p.relnamespace = current_schema()::regnamespace`,
      [[...PARTITIONED_TABLES]],
    );
    for (const row of rows) {
      const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(row.bound);
      if (!m || Number(m[2]) > seqFloor(cutoffMs)) continue;
      await client.query(`DROP TABLE ${client.escapeIdentifier(row.name)}`);
      const start = Number(m[1]) / seqFloor(1);
      if (!dropped.includes(start)) dropped.push(start);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  for (const start of dropped) maker?.forget(start);
  return dropped.sort((a, b) => a - b);
}
