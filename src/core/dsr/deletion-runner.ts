import { randomUUID } from 'node:crypto';
import { PollingWorker } from '../polling-loop.js';
import type { Logger } from 'pino';
import type { IngestWriter } from '../ingest/ingest-writer.js';
import type { Sessions } from '../sessions/sessions.js';
import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { Subject, SubjectTargets } from '../../model/subjects.js';
import { JobLeaseLost, type Store } from '../../store/store.js';

export type DeletionTargets = SubjectTargets;

export interface DeletionRunnerOptions {
  leaseMs: number;
  /** Logs deleted per transaction: small enough that ingest is never blocked for long. */
  chunk?: number;
  pollMs?: number;
  /** Told when a job is verified, completed or failed (the audit trail records it); awaited, must not throw. */
  onOutcome?: (jobId: string, outcome: JobOutcome) => Promise<void>;
  /**
   * Called once a job is verified and its residue erased, just before it is marked completed. A job resumed after a
   * crash may call it again, so it must be idempotent.
   */
  onVerified?: (jobId: string) => Promise<void>;
}

export type JobOutcome = 'verified' | 'completed' | 'failed';

/**
 * Executes deletion jobs: claim (with a lease, so a job whose worker died is taken over), delete in chunks, erase
 * residue from the database files, verify that nothing received before the cutoff remains, then record the result.
 * Every step is idempotent, so a job interrupted anywhere is simply run again.
 */
export class DeletionRunner extends PollingWorker {
  readonly owner = randomUUID();

  constructor(
    private readonly store: Store,
    /** What a job's subject covers: which log and event subjects it deletes (aliases such as pseudonyms included). */
    private readonly targetsOf: (instanceId: string, subject: Subject) => DeletionTargets,
    private readonly writer: IngestWriter,
    private readonly sessions: Sessions,
    private readonly log: Logger,
    private readonly opts: DeletionRunnerOptions,
  ) {
    // A runner only works between start() and stop(): a CLI that merely queues a job must not run it.
    super(opts.pollMs ?? 1000, log, 'deletion pass');
  }

  /** Runs every runnable job. */
  protected async pass(): Promise<void> {
    for (;;) {
      if (!this.loop.active) return;
      const job = await this.store.jobs.claim(this.owner, Date.now(), this.opts.leaseMs);
      if (!job) return;
      await this.runJob(job);
    }
  }

  private async runJob(job: DeletionJobRecord): Promise<void> {
    const started = Date.now();
    this.log.info({ jobId: job.jobId, attempt: job.attempts }, 'deletion job started');
    try {
      // A job resumed after verification has already erased its subject; only the scrubbing remains.
      if (job.subjectValue !== null) await this.deleteAndVerify(job, { kind: job.subjectKind, value: job.subjectValue });
      // Last, so the job row's own change (its subject erased) is checkpointed out of the WAL with everything else.
      await this.store.logs.eraseResidue();
      await this.opts.onVerified?.(job.jobId);
      await this.store.jobs.finish(job.jobId, this.owner, { status: 'completed', at: Date.now(), error: null });
      await this.opts.onOutcome?.(job.jobId, 'completed');
      this.log.info({ jobId: job.jobId, ms: Date.now() - started }, 'deletion job completed and verified');
    } catch (err) {
      if (err instanceof JobLeaseLost) return this.log.warn({ jobId: job.jobId }, 'deletion job taken over by another worker');
      // Transient trouble (a busy WAL, a lost connection) is retried by the next claim after the lease runs out.
      this.log.error({ jobId: job.jobId, err: (err as Error).message, attempt: job.attempts }, 'deletion job attempt failed');
      if (job.attempts >= 5) {
        await this.store.jobs.finish(job.jobId, this.owner, { status: 'failed', at: Date.now(), error: (err as Error).message });
        await this.opts.onOutcome?.(job.jobId, 'failed');
      }
    }
  }

  private async deleteAndVerify(job: DeletionJobRecord, subject: Subject): Promise<void> {
    const targets = this.targetsOf(job.instanceId, subject);
    // Messages and events received before the cutoff may still be in the group-commit queue: commit them first.
    await this.writer.drain();
    for (const s of targets.logs) await this.untilDone(job, () => this.store.logs.deleteSubjectChunk(this.lease(job), job.instanceId, s, job.cutoffTs, this.chunk));
    for (const s of targets.events) await this.untilDone(job, () => this.store.events.deleteSubjectChunk(this.lease(job), job.instanceId, s, job.cutoffTs, this.chunk));
    // An export holding the subject's events is erased whole: a file handed over must not outlive the data in it.
    for (const s of targets.events) await this.store.exports.eraseForSubject(job.instanceId, s);
    this.sessions.forgetAll();
    // Verification re-reads every table that links records to people, independently of the counts the deletion kept.
    const holdings = await this.store.subjects.holdings(job.instanceId, targets, job.cutoffTs);
    const left = Object.entries(holdings).filter(([, n]) => n > 0);
    if (left.length) throw new Error(`verification found records still present: ${left.map(([t, n]) => `${t} ${n}`).join(', ')}`);
    await this.store.jobs.markVerified(job.jobId, this.owner, Date.now(), holdings);
    await this.opts.onOutcome?.(job.jobId, 'verified');
  }

  private lease(job: DeletionJobRecord) {
    return { jobId: job.jobId, owner: this.owner };
  }

  private get chunk(): number {
    return this.opts.chunk ?? 2000;
  }

  /** Deletes chunk after chunk, renewing the lease between them and yielding so requests keep flowing. */
  private async untilDone(job: DeletionJobRecord, deleteChunk: () => Promise<{ done: boolean }>): Promise<void> {
    for (;;) {
      const r = await deleteChunk();
      await this.store.jobs.renewLease(job.jobId, this.owner, Date.now() + this.opts.leaseMs);
      if (r.done) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
