import type { SubjectHoldings, SubjectKind } from './subjects.js';

/** queued → running (deleting) → verifying (nothing left; subject erased; scrubbing files) → completed, or failed. */
export type JobStatus = 'queued' | 'running' | 'verifying' | 'completed' | 'failed' | 'cancelled';

export interface DeletionJobRecord {
  jobId: string;
  instanceId: string;
  subjectKind: SubjectKind;
  /** Needed while the job runs; erased when it completes so the finished record holds no personal data. */
  subjectValue: string | null;
  /** Keyed hash of the subject, kept as the PII-free receipt. */
  subjectHash: string;
  /** Records received before this instant are deleted. */
  cutoffTs: number;
  status: JobStatus;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  verifiedAt: number | null;
  /** Per-table counts re-queried by the verification step (all zero), kept in the receipt. */
  verification: SubjectHoldings | null;
  deletedLogs: number;
  deletedSessions: number;
  deletedEvents: number;
  error: string | null;
  requestedBy: string | null;
}
