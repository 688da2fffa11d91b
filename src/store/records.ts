/** Persistence shapes shared by the store interface and its engines. Times are epoch milliseconds. */

export const PRIVILEGES = [
  'admin', 'message', 'logs:read', 'logs:annotate', 'user_data:read', 'user_data:delete', 'workspaces:read', 'workspaces:write',
  // Coveo UA: Analytics data (write events), Impersonate (name the user of an event), Administrate, Data exports.
  'analytics:write', 'analytics:impersonate', 'analytics:administrate', 'analytics:exports',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export interface ApiKeyRecord {
  keyId: string;
  instanceId: string;
  name: string;
  /** The first characters of the secret, shown in listings so a key can be recognised without revealing it. */
  prefix: string;
  secretHash: string;
  privileges: Privilege[];
  createdAt: number;
  revokedAt: number | null;
}

export interface WorkspaceRecord {
  instanceId: string;
  workspaceId: string;
  name: string;
  description: string | null;
  language: string;
  learningOptOut: boolean;
  /** Everything else the user uploaded (intents, entities, dialog_nodes, metadata, …) as one JSON document. */
  content: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface AssistantRecord {
  instanceId: string;
  assistantId: string;
  name: string;
  description: string | null;
  language: string;
  /** The dialog skill (v1 workspace) that answers this assistant's messages; null until bound. */
  workspaceId: string | null;
  draftEnvironmentId: string;
  liveEnvironmentId: string;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  instanceId: string;
  sessionId: string;
  assistantId: string;
  environmentId: string;
  /** The v2 context as last returned (global + skills), stored so the next turn continues the dialog. */
  context: Record<string, unknown>;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
}

export type SubjectKind = 'customer_id' | 'user_id' | 'visitor_id';

export interface Subject {
  kind: SubjectKind;
  value: string;
}

export interface LogRecord {
  logId: string;
  instanceId: string;
  api: 'v1' | 'v2';
  assistantId: string | null;
  environmentId: string | null;
  workspaceId: string | null;
  sessionId: string | null;
  conversationId: string | null;
  userId: string | null;
  customerIds: string[];
  deployment: string | null;
  language: string;
  snapshot: string | null;
  topIntent: string | null;
  topConfidence: number | null;
  entitiesCount: number;
  inputText: string;
  learningOptOut: boolean;
  requestTs: number;
  responseTs: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  /** `response` already serialised (the text the reply was sent as): stored as is instead of serialising it again. */
  responseJson?: string;
}

/** One acknowledged message: its log row plus the session state it leaves behind, committed together. */
export interface MessageWrite {
  log: LogRecord;
  session?: SessionRecord;
}

/** A usage-analytics event (search, click, custom, view, collect, or an Event Protocol event). */
export interface EventRecord {
  eventId: string;
  instanceId: string;
  /** search, click, custom, view, collect, or the Event Protocol's meta.type (itemClick, ec.purchase, …). */
  type: string;
  /** Who the event is attributed to: the username, the visitor ID for anonymous visitors, or a pseudonym. */
  userId: string | null;
  visitorId: string | null;
  visitId: string | null;
  anonymous: boolean;
  /** searchQueryUid of a search/click, lastSearchQueryUid of a custom event. */
  searchUid: string | null;
  originLevel1: string | null;
  language: string | null;
  /** Keyed hash of the sender's IP address; the address itself is never stored. */
  ipHash: string | null;
  receivedTs: number;
  /** Set on events that arrived together through /searches. */
  batchId: string | null;
  /** The event as stored, after identity fields were resolved or masked. */
  payload: Record<string, unknown>;
}

export interface EventWrite {
  event: EventRecord;
}

/** What the ingest path commits: messages and analytics events share one group commit. */
export type IngestWrite = MessageWrite | EventWrite;

/** queued → running (deleting) → verifying (nothing left; subject erased; scrubbing files) → completed, or failed. */
export type JobStatus = 'queued' | 'running' | 'verifying' | 'completed' | 'failed' | 'cancelled';

/** What the verification step found still linked to the subject, per table; every count is 0 on a verified job. */
export type SubjectHoldings = Record<string, number>;

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

export interface LogPageRequest {
  instanceId: string;
  /** Filters already compiled from the query language; the engine adds them to its WHERE clause. */
  filter: import('../filter/index.js').FilterExpr | null;
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

/** The key of the last log of a page (see log-sequence.ts); the next page starts after it. */
export interface LogCursor {
  seq: number;
}

export interface LogPage {
  logs: (LogRecord & { seq: number })[];
  next: LogCursor | null;
}

export type ExportStatus = 'PENDING' | 'AVAILABLE' | 'FAILED' | 'EXPIRED';

/** What an export was asked for (Coveo's ExportModelV15, normalised). */
export interface ExportRequest {
  fromTs: number;
  toTs: number;
  /** Coveo read filters: `f` on every event, `fs` on searches and clicks, `fc` on custom events. */
  filters: { f: string[]; fs: string[]; fc: string[] };
  /** SEARCHES, CLICKS, CUSTOM_EVENTS, ALL_EVENTS … */
  tables: string[];
  format: 'CSV' | 'JSON';
}

export interface ExportRecord {
  exportId: string;
  instanceId: string;
  status: ExportStatus;
  /** The key that asked for it. */
  author: string;
  description: string;
  request: ExportRequest;
  createdAt: number;
  finishedAt: number | null;
  expiresAt: number;
  size: number;
  /** Hash of the share token once the export was reviewed and handed over. */
  shareHash: string | null;
  sharedAt: number | null;
  error: string | null;
}

/** A value in an audit entry's details: flat, so its canonical form is unambiguous. Numbers are safe integers. */
export type AuditDetailValue = string | number | boolean | null;

/**
 * One entry of an instance's hash-chained audit trail (src/core/audit): who did which privileged operation to which
 * record. It holds IDs, counts and keyed subject hashes, never personal data.
 */
export interface AuditEntryRecord {
  instanceId: string;
  /** 1, 2, 3 … within the instance, without gaps. */
  seq: number;
  entryId: string;
  at: number;
  /** `key:<key id>`, `cli:<os user>`, `system` or `share-link`. */
  actor: string;
  /** `<area>.<verb>`, e.g. `key.create`, `dsr.deletion.complete`. */
  action: string;
  /** The ID of the record acted on (job, key, export, workspace …), if any. */
  target: string | null;
  details: Record<string, AuditDetailValue>;
  /** `hash` of the previous entry; AUDIT_GENESIS_HASH for the first. */
  prevHash: string;
  hash: string;
}

/** The newest entry of an instance's chain, kept beside the entries so a removed tail is noticed. */
export interface AuditHead {
  instanceId: string;
  seq: number;
  hash: string;
}

export const AUDIT_GENESIS_HASH = '0'.repeat(64);
/** One pass of the retention worker over an instance that deleted something. */
export interface RetentionRunRecord {
  runId: string;
  instanceId: string;
  /** Logs and events received before these instants were deleted; null when that retention is off. */
  logCutoffTs: number | null;
  eventCutoffTs: number | null;
  deletedLogs: number;
  deletedSessions: number;
  deletedEvents: number;
  deletedExports: number;
  startedAt: number;
  finishedAt: number;
}

/** The events a webhook subscribes to. */
export const WEBHOOK_EVENTS = ['deletion.requested', 'deletion.completed'] as const;
/**
 * What a delivery carries: a subscribed event, or the retraction of a `deletion.requested` already sent for a job
 * that was then cancelled (it goes wherever the request went, whatever the subscription).
 */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'deletion.cancelled';

export interface WebhookRecord {
  webhookId: string;
  instanceId: string;
  url: string;
  events: WebhookEvent[];
  /** HMAC key of the signatures; kept in clear because signing needs it, shown to the admin only at creation. */
  secret: string;
  createdAt: number;
}

/** `withdrawn`: a request announcement not yet delivered when its job was cancelled; it is never sent. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'withdrawn';

export interface WebhookDeliveryRecord {
  deliveryId: string;
  webhookId: string;
  instanceId: string;
  event: WebhookEvent;
  /** The deletion job the delivery is about. */
  jobId: string;
  /** The exact body sent (signatures cover its bytes); erased once delivered or given up. */
  payload: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}
