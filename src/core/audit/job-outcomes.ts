import type { Logger } from 'pino';
import type { JobRepository } from '../../store/store.js';
import type { JobOutcome } from '../dsr/deletion-runner.js';
import { SYSTEM_ACTOR } from './actors.js';
import type { AuditRecorder } from './audit-trail.js';

const ACTIONS: Record<JobOutcome, string> = { verified: 'dsr.deletion.verify', completed: 'dsr.deletion.complete', failed: 'dsr.deletion.fail' };

/**
 * The DeletionRunner's outcome hook: records each step a deletion job reaches, with its counts as stored. Never
 * throws, so a failing audit append cannot fail (and re-run) a deletion that succeeded; the failure is logged.
 */
export function recordJobOutcomes(audit: AuditRecorder, jobs: JobRepository, log: Logger): (jobId: string, outcome: JobOutcome) => Promise<void> {
  return async (jobId, outcome) => {
    try {
      const job = await jobs.get(jobId);
      if (!job) return;
      await audit.record({
        instanceId: job.instanceId, actor: SYSTEM_ACTOR, action: ACTIONS[outcome], target: jobId,
        details: {
          subject_kind: job.subjectKind, subject_hash: job.subjectHash, deleted_logs: job.deletedLogs,
          deleted_sessions: job.deletedSessions, deleted_events: job.deletedEvents, attempts: job.attempts,
        },
      });
    } catch (err) {
      log.error({ jobId, outcome, err: (err as Error).message }, 'recording a deletion job outcome in the audit trail failed');
    }
  };
}
