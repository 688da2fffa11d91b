import type { Kysely } from 'kysely';
import type { JobRepository } from '../store.js';
import { jobFromRow, jobToRow } from './mappers.js';
import type { Tables } from './tables.js';

/** Deletion jobs, except `claim`, whose atomicity each engine provides its own way. */
export function sqlJobRepository(db: Kysely<Tables>): Omit<JobRepository, 'claim'> {
  return {
    async insert(job) {
      await db.insertInto('deletion_jobs').values(jobToRow(job)).execute();
    },
    async get(jobId) {
      const row = await db.selectFrom('deletion_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
      return row && jobFromRow(row);
    },
    async list(instanceId, limit) {
      let q = db.selectFrom('deletion_jobs').selectAll().orderBy('created_at', 'desc').orderBy('job_id', 'desc').limit(limit);
      if (instanceId !== null) q = q.where('instance_id', '=', instanceId);
      return (await q.execute()).map(jobFromRow);
    },
    async renewLease(jobId, owner, until) {
      const res = await db.updateTable('deletion_jobs').set({ lease_until: until })
        .where('job_id', '=', jobId).where('lease_owner', '=', owner).where('status', 'in', ['running', 'verifying']).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async markVerified(jobId, owner, at, verification) {
      // The subject itself was only needed to find its records; the receipt keeps its keyed hash.
      await db.updateTable('deletion_jobs').set({ status: 'verifying', verified_at: at, verification: JSON.stringify(verification), subject_value: null })
        .where('job_id', '=', jobId).where('lease_owner', '=', owner).execute();
    },
    async cancel(jobId, at) {
      // Only a job no worker has claimed: once running, its deletions are committed chunk by chunk and it must finish.
      const res = await db.updateTable('deletion_jobs').set({ status: 'cancelled', finished_at: at, subject_value: null })
        .where('job_id', '=', jobId).where('status', '=', 'queued').executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async listBySubject(instanceId, subjectHash, limit) {
      const rows = await db.selectFrom('deletion_jobs').selectAll().where('instance_id', '=', instanceId)
        .where('subject_hash', '=', subjectHash).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(jobFromRow);
    },
    async finish(jobId, owner, outcome) {
      await db.updateTable('deletion_jobs')
        .set({
          status: outcome.status, finished_at: outcome.at, error: outcome.error,
          lease_owner: null, lease_until: null,
        })
        .where('job_id', '=', jobId).where('lease_owner', '=', owner).execute();
    },
  };
}
