import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { WebhookEvent } from '../../model/webhooks.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What a linked service needs to delete the same person: the subject itself. Lethe's own receipt names the subject
 * only by a keyed hash whose key never leaves this installation, so a receiver could not match it to its records.
 * The body is erased from the outbox once delivered or given up.
 */
function requestedData(job: DeletionJobRecord) {
  return {
    job_id: job.jobId, subject: { kind: job.subjectKind, value: job.subjectValue }, cutoff: iso(job.cutoffTs), requested: iso(job.createdAt),
  };
}

/** The PII-free receipt: the subject only by its keyed hash, counts and the time nothing was found left. */
function completedData(job: DeletionJobRecord) {
  return {
    job_id: job.jobId, subject: { kind: job.subjectKind, hash: job.subjectHash }, cutoff: iso(job.cutoffTs), verified: iso(job.verifiedAt),
    deleted: { logs: job.deletedLogs, sessions: job.deletedSessions, events: job.deletedEvents },
  };
}

/** The request a receiver was told about is withdrawn: nothing was deleted here, and it should not delete either. */
function cancelledData(job: DeletionJobRecord) {
  return { job_id: job.jobId, subject: { kind: job.subjectKind, hash: job.subjectHash }, cancelled: iso(job.finishedAt) };
}

const DATA = { 'deletion.requested': requestedData, 'deletion.completed': completedData, 'deletion.cancelled': cancelledData };

/** The exact body of one delivery; `id` is the delivery ID (also sent as `Lethe-Delivery`) for receiver idempotency. */
export function webhookBody(deliveryId: string, event: WebhookEvent, job: DeletionJobRecord, at: number): string {
  const data = DATA[event](job);
  return JSON.stringify({ id: deliveryId, event, created: iso(at), instance_id: job.instanceId, data });
}
