import { newId } from '../../model/ids.js';
import { Conflict, NotFound } from '../../model/errors.js';
import { subjectOf } from '../../model/identifier.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import type { SubjectHasher } from '../subjects/subject-hash.js';
import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { Subject } from '../../model/subjects.js';
import type { JobRepository } from '../../store/store.js';

/** Records deletion requests as durable jobs; the DeletionRunner executes them. */
export class DeletionRequests {
  constructor(
    private readonly jobs: JobRepository,
    private readonly hasher: SubjectHasher,
    private readonly audit: AuditRecorder,
    /** Called after a job is stored, to start work at once instead of at the next poll. */
    private readonly onQueued: () => void = () => {},
    /** Called with the job just before it is stored (webhooks queue their announcement here, so none is lost). */
    private readonly beforeRecorded: (job: DeletionJobRecord) => Promise<void> = async () => {},
    /** Called with a job once it is cancelled (webhooks withdraw or retract its announcement). */
    private readonly afterCancelled: (job: DeletionJobRecord) => Promise<void> = async () => {},
  ) {}

  /**
   * `requestedBy` is the actor (actors.ts) the audit trail records the request under. The subject is taken under the
   * identifier rule (identifier.ts), the rule every record was stored under, so the job looks for the same bytes.
   */
  async request(instanceId: string, named: Subject, requestedBy: string, receivedAt = Date.now()): Promise<DeletionJobRecord> {
    const subject = subjectOf(named);
    const job: DeletionJobRecord = {
      jobId: newId(), instanceId, subjectKind: subject.kind, subjectValue: subject.value,
      subjectHash: this.hashOf(instanceId, subject), cutoffTs: receivedAt, status: 'queued', attempts: 0,
      createdAt: receivedAt, startedAt: null, finishedAt: null, verifiedAt: null, verification: null, deletedLogs: 0, deletedSessions: 0, deletedEvents: 0,
      error: null, requestedBy,
    };
    await this.beforeRecorded(job);
    await this.jobs.insert(job);
    await this.audit.record({ instanceId, actor: requestedBy, action: 'dsr.deletion.request', target: job.jobId, subject, details: { cutoff: receivedAt } });
    this.onQueued();
    return job;
  }

  /** A job of `instanceId` (null: any instance, for the operator's CLI). */
  async get(jobId: string, instanceId: string | null): Promise<DeletionJobRecord> {
    const job = await this.jobs.get(jobId);
    if (!job || (instanceId !== null && job.instanceId !== instanceId)) throw new NotFound(`No deletion job ${jobId}`);
    return job;
  }

  list(instanceId: string | null, limit = 100): Promise<DeletionJobRecord[]> {
    return this.jobs.list(instanceId, limit);
  }

  hashOf(instanceId: string, subject: Subject): string {
    return this.hasher.hash(instanceId, subject);
  }

  /** Deletion jobs ever requested for this subject (by its keyed hash: finished jobs no longer hold the subject). */
  forSubject(instanceId: string, subject: Subject, limit = 100): Promise<DeletionJobRecord[]> {
    return this.jobs.listBySubject(instanceId, this.hashOf(instanceId, subject), limit);
  }

  /** Withdraws a job still waiting for a worker; a job already running is carried through, so this is a 409. */
  async cancel(jobId: string, instanceId: string | null, actor: string, at = Date.now()): Promise<DeletionJobRecord> {
    const job = await this.get(jobId, instanceId);
    if (!(await this.jobs.cancel(job.jobId, at))) {
      throw new Conflict(`Deletion job ${jobId} is ${(await this.get(jobId, instanceId)).status}; only a queued job can be cancelled`);
    }
    await this.audit.record({ instanceId: job.instanceId, actor, action: 'dsr.deletion.cancel', target: job.jobId });
    const cancelled = await this.get(jobId, instanceId);
    await this.afterCancelled(cancelled);
    return cancelled;
  }
}
