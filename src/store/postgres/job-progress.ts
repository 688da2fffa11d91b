import type pg from 'pg';
import { JobLeaseLost } from '../store.js';

type Lease = { jobId: string; owner: string };

/**
 * Locks the job row for the rest of the transaction if `owner` still holds the lease, else throws JobLeaseLost
 * (and the caller's transaction rolls back). While it is locked, a claim by another worker skips the job, so a
 * chunk's deletions and its counts commit together under one owner: exactly once.
 */
export async function lockJob(client: pg.PoolClient, job: Lease): Promise<void> {
  const { rowCount } = await client.query(
    "SELECT 1 FROM deletion_jobs WHERE job_id = $1 AND lease_owner = $2 AND status = 'running' FOR UPDATE", [job.jobId, job.owner],
  );
  if (rowCount !== 1) throw new JobLeaseLost(job.jobId);
}

/** Adds a chunk's counts to the job it ran for (its row is locked by lockJob). */
export async function recordProgress(
  client: pg.PoolClient, job: Lease, counts: Partial<Record<'deleted_logs' | 'deleted_sessions' | 'deleted_events', number>>,
): Promise<void> {
  const entries = Object.entries(counts);
  // Column names come from the fixed keys of `counts`.
  const set = entries.map(([column], i) => `${column} = ${column} + $${i + 3}`).join(', ');
  const { rowCount } = await client.query(
    `UPDATE deletion_jobs SET ${set} WHERE job_id = $1 AND lease_owner = $2 AND status = 'running'`,
    [job.jobId, job.owner, ...entries.map(([, n]) => n)],
  );
  if (rowCount !== 1) throw new JobLeaseLost(job.jobId);
}
