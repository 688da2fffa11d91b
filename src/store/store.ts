import type { ApiKeyRecord } from '../model/api-keys.js';
import type { AnnotationInput, AnnotationRecord, AnnotationTally } from '../model/annotations.js';
import type { AuditEntryRecord, AuditHead } from '../model/audit.js';
import type { AssistantRecord, ListPage, WorkspaceRecord } from '../model/catalog.js';
import type { DeletionJobRecord } from '../model/deletion-jobs.js';
import type { EventRecord } from '../model/events.js';
import type { ExportRecord } from '../model/exports.js';
import type { IngestWrite } from '../model/ingest.js';
import type { LogCursor, LogPage } from '../model/logs.js';
import type { MetricsScope, MetricsTotals } from '../model/metrics.js';
import type { RetentionRunRecord } from '../model/retention-runs.js';
import type { SessionRecord } from '../model/sessions.js';
import type { InstanceSettings } from '../model/settings.js';
import type { Subject, SubjectHoldings, SubjectTargets } from '../model/subjects.js';
import type { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookRecord } from '../model/webhooks.js';
import type { FilterExpr } from '../filter/watson-logs/index.js';

/**
 * The one storage interface the domain talks to. Each engine (sqlite/, later postgres/) implements it and the
 * contract suite in store.contract.ts runs unchanged against every engine.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly keys: KeyRepository;
  readonly workspaces: WorkspaceRepository;
  readonly assistants: AssistantRepository;
  readonly sessions: SessionRepository;
  readonly logs: LogRepository;
  readonly jobs: JobRepository;
  readonly secrets: SecretRepository;
  readonly events: EventRepository;
  readonly settings: SettingsRepository;
  readonly exports: ExportRepository;
  readonly subjects: SubjectRepository;
  readonly audit: AuditRepository;
  readonly redaction: RedactionRepository;
  readonly trainingData: TrainingDataRepository;
  readonly retentionRuns: RetentionRunRepository;
  readonly webhooks: WebhookRepository;
  /** Pre-computed conversation metrics, kept exact by every ingest and deletion. */
  readonly metrics: MetricsRepository;
  readonly annotations: AnnotationRepository;
  /** Commits every write of the batch in one transaction: the group commit behind durable acknowledgements. */
  ingest(writes: IngestWrite[]): Promise<void>;
  close(): Promise<void>;
}

export interface KeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  findBySecretHash(secretHash: string): Promise<ApiKeyRecord | undefined>;
  list(instanceId: string | null): Promise<ApiKeyRecord[]>;
  revoke(keyId: string, instanceId: string | null, at: number): Promise<boolean>;
  countActive(): Promise<number>;
}

export interface WorkspaceRepository {
  insert(ws: WorkspaceRecord): Promise<void>;
  get(instanceId: string, workspaceId: string): Promise<WorkspaceRecord | undefined>;
  /** The workspace's `updatedAt`, read without loading its content; undefined when it does not exist. */
  revision(instanceId: string, workspaceId: string): Promise<number | undefined>;
  list(instanceId: string, opts: { sort: 'name' | 'updated'; descending: boolean; offset: number; limit: number }): Promise<ListPage<WorkspaceRecord>>;
  update(ws: WorkspaceRecord): Promise<boolean>;
  delete(instanceId: string, workspaceId: string): Promise<boolean>;
}

export interface AssistantRepository {
  insert(a: AssistantRecord): Promise<void>;
  get(instanceId: string, assistantId: string): Promise<AssistantRecord | undefined>;
  /** Finds the assistant whose id or draft/live environment id is `id`. */
  findByEnvironment(instanceId: string, environmentId: string): Promise<AssistantRecord | undefined>;
  list(instanceId: string, opts: { sort: 'name' | 'updated'; descending: boolean; offset: number; limit: number }): Promise<ListPage<AssistantRecord>>;
  update(a: AssistantRecord): Promise<boolean>;
  delete(instanceId: string, assistantId: string): Promise<boolean>;
}

export interface SessionRepository {
  insert(s: SessionRecord): Promise<void>;
  get(instanceId: string, sessionId: string): Promise<SessionRecord | undefined>;
  delete(instanceId: string, sessionId: string): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

export interface SubjectDeletion {
  logs: number;
  sessions: number;
  /** True when nothing matching remains after this chunk. */
  done: boolean;
}

/**
 * How long a heavy read (a page or count of logs: LogRepository.page, count, subjectPage) may run before it is stopped
 * with QueryTimeout (model/errors.ts), unless the store is opened with another budget (LETHE_QUERY_TIMEOUT_MS).
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

export interface LogPageRequest {
  instanceId: string;
  /** Filters already compiled from the query language; the engine adds them to its WHERE clause. */
  filter: FilterExpr | null;
  scope: { workspaceId?: string; assistantId?: string };
  descending: boolean;
  limit: number;
  after: LogCursor | null;
}

/** A page of the logs linked to any of the subjects (as Watson customer ID or as user ID), oldest first. */
export interface SubjectLogPageRequest {
  instanceId: string;
  /** Values, compared as they are; subjects no log is linked under (visitor IDs) are ignored. */
  subjects: Subject[];
  limit: number;
  after: LogCursor | null;
}

export interface LogRepository {
  /** Runs within the store's query budget, never on the thread that answers requests. */
  page(req: LogPageRequest): Promise<LogPage>;
  /**
   * The logs linked to any of the subjects, through the subject index (no filter is parsed or compiled: an identifier
   * is only ever a bound value), within the query budget.
   */
  subjectPage(req: SubjectLogPageRequest): Promise<LogPage>;
  /**
   * Deletes up to `chunk` logs of the subject received before `cutoffTs`, with every index entry and session they
   * touched, and adds the counts to the job in the same transaction. Rolls back (JobLeaseLost) if `job.owner` no
   * longer holds the job, so counts stay exact when a job changes hands.
   */
  deleteSubjectChunk(job: { jobId: string; owner: string }, instanceId: string, subject: Subject, cutoffTs: number, chunk: number): Promise<SubjectDeletion>;
  /**
   * Retention: deletes up to `chunk` of the instance's oldest logs received before `cutoffTs`, with their index
   * entries and sessions, in one transaction. Idempotent, so two processes may run it at once.
   */
  deleteBefore(instanceId: string, cutoffTs: number, chunk: number): Promise<SubjectDeletion>;
  /** How many logs `page` would go through for this filter and scope (for progress reports of exports). */
  count(req: Pick<LogPageRequest, 'instanceId' | 'filter' | 'scope'>): Promise<number>;
  /** Makes deleted bytes unrecoverable from the database files (engine specific: WAL checkpoint, vacuum …). */
  eraseResidue(): Promise<void>;
  /**
   * One short step of background index upkeep that keeps deletions fast (SQLite: merging the full-text index of a
   * month that has ended into one segment); false when there is nothing left to do.
   */
  compactIndexStep(now: number): Promise<boolean>;
}

export interface JobRepository {
  insert(job: DeletionJobRecord): Promise<void>;
  get(jobId: string): Promise<DeletionJobRecord | undefined>;
  list(instanceId: string | null, limit: number): Promise<DeletionJobRecord[]>;
  /** Atomically takes the oldest runnable job (queued, or running/verifying with an expired lease) for `owner`. */
  claim(owner: string, now: number, leaseMs: number): Promise<DeletionJobRecord | undefined>;
  renewLease(jobId: string, owner: string, until: number): Promise<boolean>;
  /** Nothing of the subject is left: record the verification time and counts, and erase the subject from the job itself. */
  markVerified(jobId: string, owner: string, at: number, verification: SubjectHoldings): Promise<void>;
  /** Cancels a job not yet taken by a worker (and forgets its subject); false when it is running or finished. */
  cancel(jobId: string, at: number): Promise<boolean>;
  /** The jobs of an instance whose subject has this keyed hash, newest first. */
  listBySubject(instanceId: string, subjectHash: string, limit: number): Promise<DeletionJobRecord[]>;
  finish(jobId: string, owner: string, outcome: { status: 'completed' | 'failed'; at: number; error: string | null }): Promise<void>;
}

export interface EventQuery {
  instanceId: string;
  /** Events attributed to any of these subjects (an empty list: every event of the instance). */
  subjects: Subject[];
  fromTs?: number;
  toTs?: number;
  limit: number;
  /** Key of the last event of the previous page. */
  afterSeq?: number;
}

export interface EventRepository {
  list(q: EventQuery): Promise<(EventRecord & { seq: number })[]>;
  /** Number of events per type attributed to any of the subjects. */
  countByType(instanceId: string, subjects: Subject[]): Promise<Record<string, number>>;
  /** As LogRepository.deleteSubjectChunk, for events. */
  deleteSubjectChunk(job: { jobId: string; owner: string }, instanceId: string, subject: Subject, cutoffTs: number, chunk: number): Promise<{ events: number; done: boolean }>;
  /** As LogRepository.deleteBefore, for events. */
  deleteBefore(instanceId: string, cutoffTs: number, chunk: number): Promise<{ events: number; done: boolean }>;
}

export interface ExportRepository {
  insert(e: ExportRecord): Promise<void>;
  get(instanceId: string, exportId: string): Promise<ExportRecord | undefined>;
  list(instanceId: string): Promise<ExportRecord[]>;
  /** Exports holding events of any of the subjects, newest first (without their content). */
  holding(instanceId: string, subjects: Subject[]): Promise<ExportRecord[]>;
  /** Exports still PENDING (to resume after a restart). */
  pending(): Promise<ExportRecord[]>;
  /** Stores the finished file and the subjects whose events it holds, in one transaction. */
  complete(exportId: string, content: Buffer, subjects: Subject[], at: number): Promise<void>;
  fail(exportId: string, error: string, at: number): Promise<void>;
  /**
   * The file of an available export not yet expired at `now`. Expiry is checked here, on every read: the clean-up
   * (`expire`) that erases the file runs only from time to time.
   */
  content(instanceId: string, exportId: string, now: number): Promise<Buffer | undefined>;
  /** Sets the share link's hash of an available export not yet expired at `at`; false when there is none. */
  share(instanceId: string, exportId: string, shareHash: string, at: number): Promise<boolean>;
  /** As `content`, by the hash of a share link. */
  findShared(shareHash: string, now: number): Promise<{ record: ExportRecord; content: Buffer } | undefined>;
  /** Erases the file (and its subject links) of exports past their expiry; returns how many. */
  expire(now: number): Promise<number>;
  /** Erases every export holding events of the subject; returns how many. */
  eraseForSubject(instanceId: string, subject: Subject): Promise<number>;
  delete(instanceId: string, exportId: string): Promise<boolean>;
  /** Erases every export whose period starts before `cutoffTs` (it holds events retention deleted); returns how many. */
  eraseStartingBefore(instanceId: string, cutoffTs: number): Promise<number>;
}

export interface SettingsRepository {
  get(instanceId: string): Promise<InstanceSettings>;
  set(instanceId: string, settings: InstanceSettings): Promise<void>;
  /** Every instance with a log or event retention period set. */
  withRetention(): Promise<{ instanceId: string; settings: InstanceSettings }[]>;
}

export interface RetentionRunRepository {
  insert(run: RetentionRunRecord): Promise<void>;
  /** Newest first; `instanceId` null: every instance (the operator's CLI). */
  list(instanceId: string | null, limit: number): Promise<RetentionRunRecord[]>;
}

export interface WebhookRepository {
  insert(hook: WebhookRecord): Promise<void>;
  get(instanceId: string, webhookId: string): Promise<WebhookRecord | undefined>;
  list(instanceId: string | null): Promise<WebhookRecord[]>;
  /** Removes the webhook with its deliveries (pending payloads included); false when it does not exist. */
  delete(instanceId: string, webhookId: string): Promise<boolean>;
  /** Queues deliveries; one per (webhook, event, job), so announcing the same job twice sends once. */
  enqueue(deliveries: WebhookDeliveryRecord[]): Promise<void>;
  /**
   * Takes up to `limit` pending deliveries due at `now` for `owner` until `leaseUntil`. A delivery about a deletion
   * job is due only once the job exists: deliveries are queued just before their job is recorded. Instances take
   * turns (each one's oldest due first, then each one's second …), and an instance never has more than
   * `perInstance` deliveries leased at once, those leased before (by any owner) included.
   */
  claimDue(owner: string, now: number, leaseUntil: number, limit: number, perInstance?: number): Promise<WebhookDeliveryRecord[]>;
  /** Records one attempt; a delivery that is no longer pending loses its payload in the same statement. */
  recordAttempt(deliveryId: string, owner: string, attempt: DeliveryAttempt): Promise<void>;
  deliveries(instanceId: string, webhookId: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  /** Deletes pending deliveries whose deletion job was never recorded (its request failed) queued before `before`. */
  dropOrphans(before: number): Promise<number>;
  /**
   * A job was cancelled: its pending `deletion.requested` deliveries are withdrawn (payload erased, never sent).
   * Returns the webhooks that were sent the request, or may have been (an attempt in flight at `now`).
   */
  withdrawRequested(jobId: string, now: number): Promise<string[]>;
}

export interface DeliveryAttempt {
  at: number;
  status: WebhookDeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  nextAttemptAt: number;
}

export interface SubjectRepository {
  /**
   * Every record still linked to the subjects, per table (logs and events received before `cutoffTs`; anything else
   * regardless of time). A deletion is verified when every count is zero; a subject lookup shows the same counts.
   */
  holdings(instanceId: string, targets: SubjectTargets, cutoffTs: number): Promise<SubjectHoldings>;
}

/** Which PII detectors redact an instance's ingested text (names as in core/privacy); undefined until set. */
export interface RedactionRepository {
  get(instanceId: string): Promise<string[] | undefined>;
  set(instanceId: string, detectors: string[], at: number): Promise<void>;
}

export interface TrainingDataQuery {
  instanceId: string;
  workspaceId?: string;
  assistantId?: string;
  fromTs?: number;
  /** Exclusive. */
  toTs?: number;
  /** Key of the last utterance of the previous page. */
  afterSeq?: number;
  limit: number;
}

export interface TrainingUtterance {
  seq: number;
  logId: string;
  workspaceId: string | null;
  assistantId: string | null;
  text: string;
  intent: string | null;
  confidence: number | null;
  requestTs: number;
}

/**
 * User utterances that may be learnt from: never a message sent with `X-Watson-Learning-Opt-Out`, nor any message of
 * a workspace that opted out of learning (or no longer exists, so its choice is unknown). Empty inputs are skipped.
 */
export interface TrainingDataRepository {
  page(q: TrainingDataQuery): Promise<TrainingUtterance[]>;
}

/** Per-installation secrets (HMAC keys for subject hashes); created on first use. */
export interface SecretRepository {
  getOrCreate(name: string, create: () => string): Promise<string>;
}

export interface AuditRepository {
  /**
   * Appends the entry `build` makes from the instance's current head (seq 0 and AUDIT_GENESIS_HASH when the chain
   * is empty) and moves the head to it, in one transaction that holds the engine's write lock (SQLite) or the head
   * row's lock (PostgreSQL) from before the head is read: appends from any number of processes never interleave, so
   * the chain cannot fork. `build` must be synchronous.
   */
  append(instanceId: string, build: (head: AuditHead) => AuditEntryRecord): Promise<AuditEntryRecord>;
  /** Newest first, below `beforeSeq` when given. */
  list(instanceId: string, opts: { beforeSeq?: number; limit: number }): Promise<AuditEntryRecord[]>;
  /** In chain order, entries after `afterSeq`: what verification walks. */
  range(instanceId: string, afterSeq: number, limit: number): Promise<AuditEntryRecord[]>;
  head(instanceId: string): Promise<AuditHead | undefined>;
  /** Every instance that has an audit entry or head. */
  instances(): Promise<string[]>;
}

export interface MetricsRepository {
  totals(scope: MetricsScope, opts: { firstCoveredBucket: number; topIntents: number }): Promise<MetricsTotals>;
}

export interface AnnotationRepository {
  /** Creates or replaces the annotation of a log of the instance; undefined when there is no such log. */
  put(instanceId: string, logId: string, input: AnnotationInput): Promise<{ annotation: AnnotationRecord; created: boolean } | undefined>;
  /** The annotations of those logs of the instance that have one (at most one each). */
  forLogs(instanceId: string, logIds: string[]): Promise<AnnotationRecord[]>;
  tally(scope: MetricsScope): Promise<AnnotationTally[]>;
}

/** Raised by an engine when a job's lease passed to another worker mid-way; the chunk was rolled back. */
export class JobLeaseLost extends Error {
  constructor(jobId: string) {
    super(`deletion job ${jobId} is now held by another worker`);
    this.name = 'JobLeaseLost';
  }
}
