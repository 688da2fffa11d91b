import type pg from 'pg';

// Deadlock detected, serialization failure: the transaction was rolled back as a whole and can simply run again.
const RETRYABLE = new Set(['40P01', '40001']);

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** Error codes after which the whole transaction runs again. */
  codes: ReadonlySet<string>;
  /** Wait before run n + 1: n × this. */
  backoffMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, codes: RETRYABLE, backoffMs: 0 };

/** Runs `fn` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(
  pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if (attempt >= retry.attempts || !retry.codes.has((err as { code?: string }).code ?? '')) throw err;
    } finally {
      client.release();
    }
    if (retry.backoffMs) await new Promise((resolve) => setTimeout(resolve, retry.backoffMs * attempt));
  }
}
