import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { Analytics } from './analytics/analytics.js';
import { AnalyticsIdentity } from './analytics/identity.js';
import { Exports } from './analytics/exports.js';
import { deletionTargets, UserData } from './analytics/user-data.js';
import { Assistants } from './assistants/assistants.js';
import { ApiKeys } from './auth/api-keys.js';
import { DeletionRequests } from './dsr/deletion-requests.js';
import { DeletionRunner } from './dsr/deletion-runner.js';
import { SubjectData } from './dsr/subject-data.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { Conversations } from './messages/conversations.js';
import { Sessions } from './sessions/sessions.js';
import { SubjectHasher } from './subjects/subject-hash.js';
import { Workspaces } from './workspaces/workspaces.js';
import { AuditTrail } from './audit/audit-trail.js';
import { recordJobOutcomes } from './audit/job-outcomes.js';
import { redactingCommit } from './privacy/ingest-redaction.js';
import { RedactionSettings } from './privacy/redaction-settings.js';
import { IndexCompactor } from './logs/index-compactor.js';
import { Logs } from './logs/logs.js';
import { TrainingData } from './privacy/training-data-export.js';
import { RetentionWorker } from './retention/retention-worker.js';
import { WebhookDeliveryWorker } from './webhooks/delivery-worker.js';
import { Webhooks } from './webhooks/webhooks.js';
import { WebhookTransport } from './webhooks/webhook-transport.js';
import type { AddressPolicy } from './webhooks/address-policy.js';
import { Metrics } from './metrics/metrics.js';

/** The domain, wired once over a store: what the HTTP layer and the CLI both use. */
export interface Services {
  keys: ApiKeys;
  workspaces: Workspaces;
  assistants: Assistants;
  sessions: Sessions;
  conversations: Conversations;
  writer: IngestWriter;
  /** Reading logs with the Watson filter language: pages, and whole files. */
  logs: Logs;
  deletions: DeletionRequests;
  runner: DeletionRunner;
  analytics: Analytics;
  userData: UserData;
  exports: Exports;
  subjectData: SubjectData;
  /** The hash-chained audit trail: `audit.record({ instanceId, actor, action, target, subject, details })`. */
  audit: AuditTrail;
  redaction: RedactionSettings;
  trainingData: TrainingData;
  retention: RetentionWorker;
  webhooks: Webhooks;
  deliveries: WebhookDeliveryWorker;
  compactor: IndexCompactor;
  metrics: Metrics;
}

/** What the domain reads from the configuration (config.ts reads it from the environment, with the rest). */
export interface ServiceConfig {
  sessionTimeoutSeconds: number;
  jobLeaseMs: number;
  exportTtlHours: number;
  retentionIntervalSeconds: number;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
  /** Where webhooks may be sent: public addresses, and the ranges of LETHE_WEBHOOK_ALLOW_HOSTS. */
  webhookAddresses: AddressPolicy;
  /** Coverage threshold when a request names none (unset: DEFAULT_COVERAGE_THRESHOLD). */
  coverageThreshold?: number;
}

/** How often the search index is checked for months to merge (a month ends once a month: no hurry). */
const INDEX_COMPACTION_MS = 60_000;

export async function createServices(store: Store, config: ServiceConfig, log: Logger): Promise<Services> {
  const hasher = await SubjectHasher.load(store.secrets);
  const audit = new AuditTrail(store.audit, hasher);
  const keys = new ApiKeys(store.keys, audit);
  const workspaces = new Workspaces(store.workspaces, audit);
  const assistants = new Assistants(store.assistants, store.workspaces, audit);
  const sessions = new Sessions(store.sessions, config.sessionTimeoutSeconds * 1000);
  const redaction = new RedactionSettings(store.redaction, audit);
  // Redaction happens on the way to the store, so only the stored copy of a message or event changes.
  const writer = new IngestWriter(redactingCommit(redaction, (writes) => store.ingest(writes)));
  const conversations = new Conversations(workspaces, assistants, sessions, writer);
  const identity = await AnalyticsIdentity.load(store.secrets);
  const analytics = new Analytics(writer, identity, store.settings, audit);
  const targetsOf = deletionTargets(identity);
  const deliveries = new WebhookDeliveryWorker(store, log, {
    maxAttempts: config.webhookMaxAttempts, retryBaseMs: config.webhookRetryBaseMs, timeoutMs: config.webhookTimeoutMs,
  }, new WebhookTransport(config.webhookAddresses, config.webhookTimeoutMs));
  const webhooks = new Webhooks(store.webhooks, store.jobs, store.logs, audit, config.webhookAddresses, () => deliveries.wake());
  const runner = new DeletionRunner(store, targetsOf, writer, sessions, log, {
    leaseMs: config.jobLeaseMs, onOutcome: recordJobOutcomes(audit, store.jobs, log), onVerified: (jobId) => webhooks.announceCompleted(jobId),
  });
  const deletions = new DeletionRequests(store.jobs, hasher, audit, () => runner.wake(), (job) => webhooks.announceRequested(job),
    (job) => webhooks.announceCancelled(job));
  const retention = new RetentionWorker(store, sessions, log, { intervalMs: config.retentionIntervalSeconds * 1000 });
  const compactor = new IndexCompactor(store.logs, log, INDEX_COMPACTION_MS);
  const userData = new UserData(store, identity, deletions, audit);
  const exports = new Exports(store, identity, log, config.exportTtlHours * 3_600_000, audit);
  const subjectData = new SubjectData(store, targetsOf, deletions, audit);
  const metrics = new Metrics(store, config.coverageThreshold);
  const logs = new Logs(store.logs);
  const trainingData = new TrainingData(store.trainingData, workspaces, assistants);
  return {
    keys, logs, trainingData, workspaces, assistants, sessions, conversations, writer, deletions, runner, analytics, userData, exports, audit, subjectData, redaction,
    retention, webhooks, deliveries, metrics, compactor,
  };
}
