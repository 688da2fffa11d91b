import { newId } from '../ids.js';
import { BadRequest, NotFound } from '../errors.js';
import type { SubjectHasher } from '../subjects/subject-hash.js';
import type { DeletionJobRecord, Subject } from '../../store/records.js';
import type { JobRepository } from '../../store/store.js';

/** Records deletion requests as durable jobs; the DeletionRunner executes them. */
export class DeletionRequests {
  constructor(
    private readonly jobs: JobRepository,
    private readonly hasher: SubjectHasher,
    /** Called after a job is stored, to start work at once instead of at the next poll. */
    private readonly onQueued: () => void = () => {},
    /** Called with the job just before it is stored (webhooks queue their announcement here, so none is lost). */
    private readonly beforeRecorded: (job: DeletionJobRecord) => Promise<void> = async () => {},
  ) {}

  async request(instanceId: string, subject: Subject, requestedBy: string | null, receivedAt = Date.now()): Promise<DeletionJobRecord> {
    if (!subject.value || subject.value.length > 256) throw new BadRequest(`${subject.kind} must be 1-256 characters`);
    const job: DeletionJobRecord = {
      jobId: newId(), instanceId, subjectKind: subject.kind, subjectValue: subject.value,
      subjectHash: this.hasher.hash(instanceId, subject), cutoffTs: receivedAt, status: 'queued', attempts: 0,
      createdAt: receivedAt, startedAt: null, finishedAt: null, verifiedAt: null, deletedLogs: 0, deletedSessions: 0, deletedEvents: 0,
      error: null, requestedBy,
    };
    await this.beforeRecorded(job);
    await this.jobs.insert(job);
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
}
