import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import { iso } from '../iso.js';

/**
 * A deletion job as its requester sees it: a receipt naming the subject only by its keyed hash, with what was
 * deleted and what the verification step found left (zero everywhere on a completed job).
 */
export function jobJson(j: DeletionJobRecord) {
  return {
    job_id: j.jobId, type: 'delete_subject', status: j.status, subject: { kind: j.subjectKind, hash: j.subjectHash },
    cutoff: iso(j.cutoffTs), created: iso(j.createdAt), started: iso(j.startedAt), completed: iso(j.finishedAt),
    verified: iso(j.verifiedAt), attempts: j.attempts, deleted: { logs: j.deletedLogs, sessions: j.deletedSessions, events: j.deletedEvents },
    verification: j.verification, error: j.error,
  };
}
