import type { Selectable } from 'kysely';
import type { ApiKeyRecord } from '../../model/api-keys.js';
import type { AssistantRecord, WorkspaceRecord } from '../../model/catalog.js';
import type { DeletionJobRecord, JobStatus } from '../../model/deletion-jobs.js';
import type { EventRecord } from '../../model/events.js';
import type { LogRecord } from '../../model/logs.js';
import type { Privilege } from '../../model/privileges.js';
import type { SessionRecord } from '../../model/sessions.js';
import type { SubjectHoldings, SubjectKind } from '../../model/subjects.js';
import type { Tables } from './tables.js';

/** Row ⇄ record conversions shared by every SQL engine. */

type Row<T extends keyof Tables> = Selectable<Tables[T]>;

export const toBit = (b: boolean): number => (b ? 1 : 0);

export function keyFromRow(r: Row<'api_keys'>): ApiKeyRecord {
  return {
    keyId: r.key_id, instanceId: r.instance_id, name: r.name, prefix: r.prefix, secretHash: r.secret_hash,
    privileges: JSON.parse(r.privileges) as Privilege[], createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

export function keyToRow(k: ApiKeyRecord): Row<'api_keys'> {
  return {
    key_id: k.keyId, instance_id: k.instanceId, name: k.name, prefix: k.prefix, secret_hash: k.secretHash,
    privileges: JSON.stringify(k.privileges), created_at: k.createdAt, revoked_at: k.revokedAt,
  };
}

export function workspaceFromRow(r: Row<'workspaces'>): WorkspaceRecord {
  return {
    instanceId: r.instance_id, workspaceId: r.workspace_id, name: r.name, description: r.description,
    language: r.language, learningOptOut: r.learning_opt_out === 1,
    content: JSON.parse(r.content) as Record<string, unknown>,
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export function workspaceToRow(w: WorkspaceRecord): Row<'workspaces'> {
  return {
    instance_id: w.instanceId, workspace_id: w.workspaceId, name: w.name, description: w.description,
    language: w.language, learning_opt_out: toBit(w.learningOptOut), content: JSON.stringify(w.content),
    created_at: w.createdAt, updated_at: w.updatedAt,
  };
}

export function assistantFromRow(r: Row<'assistants'>): AssistantRecord {
  return {
    instanceId: r.instance_id, assistantId: r.assistant_id, name: r.name, description: r.description,
    language: r.language, workspaceId: r.workspace_id, draftEnvironmentId: r.draft_environment_id,
    liveEnvironmentId: r.live_environment_id, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export function assistantToRow(a: AssistantRecord): Row<'assistants'> {
  return {
    instance_id: a.instanceId, assistant_id: a.assistantId, name: a.name, description: a.description,
    language: a.language, workspace_id: a.workspaceId, draft_environment_id: a.draftEnvironmentId,
    live_environment_id: a.liveEnvironmentId, created_at: a.createdAt, updated_at: a.updatedAt,
  };
}

export function sessionFromRow(r: Row<'sessions'>): SessionRecord {
  return {
    instanceId: r.instance_id, sessionId: r.session_id, assistantId: r.assistant_id, environmentId: r.environment_id,
    context: JSON.parse(r.context) as Record<string, unknown>, createdAt: Number(r.created_at),
    lastActiveAt: Number(r.last_active_at), expiresAt: Number(r.expires_at),
  };
}

export function sessionToRow(s: SessionRecord): Row<'sessions'> {
  return {
    instance_id: s.instanceId, session_id: s.sessionId, assistant_id: s.assistantId, environment_id: s.environmentId,
    context: JSON.stringify(s.context), created_at: s.createdAt, last_active_at: s.lastActiveAt, expires_at: s.expiresAt,
  };
}

export function logFromRow(r: Row<'logs'>): LogRecord & { seq: number } {
  return {
    seq: Number(r.seq), logId: r.log_id, instanceId: r.instance_id, api: r.api as 'v1' | 'v2',
    assistantId: r.assistant_id, environmentId: r.environment_id, workspaceId: r.workspace_id,
    sessionId: r.session_id, conversationId: r.conversation_id, userId: r.user_id,
    customerIds: JSON.parse(r.customer_ids) as string[], deployment: r.deployment, language: r.language,
    snapshot: r.snapshot, topIntent: r.top_intent, topConfidence: r.top_confidence,
    entitiesCount: Number(r.entities_count), inputText: r.input_text, learningOptOut: r.learning_opt_out === 1,
    requestTs: Number(r.request_ts), responseTs: Number(r.response_ts),
    request: JSON.parse(r.request) as Record<string, unknown>, response: JSON.parse(r.response) as Record<string, unknown>,
  };
}

export function eventFromRow(r: Row<'events'>): EventRecord & { seq: number } {
  return {
    seq: Number(r.seq), eventId: r.event_id, instanceId: r.instance_id, type: r.type, userId: r.user_id, visitorId: r.visitor_id,
    visitId: r.visit_id, anonymous: r.anonymous === 1, searchUid: r.search_uid, originLevel1: r.origin_level1, language: r.language,
    ipHash: r.ip_hash, receivedTs: Number(r.received_ts), batchId: r.batch_id, payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

export function jobFromRow(r: Row<'deletion_jobs'>): DeletionJobRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    jobId: r.job_id, instanceId: r.instance_id, subjectKind: r.subject_kind as SubjectKind,
    subjectValue: r.subject_value, subjectHash: r.subject_hash, cutoffTs: Number(r.cutoff_ts),
    status: r.status as JobStatus, attempts: Number(r.attempts), createdAt: Number(r.created_at),
    startedAt: num(r.started_at), finishedAt: num(r.finished_at), verifiedAt: num(r.verified_at),
    verification: r.verification === null ? null : JSON.parse(r.verification) as SubjectHoldings,
    deletedLogs: Number(r.deleted_logs), deletedSessions: Number(r.deleted_sessions), deletedEvents: Number(r.deleted_events), error: r.error,
    requestedBy: r.requested_by,
  };
}

export function jobToRow(j: DeletionJobRecord): Row<'deletion_jobs'> {
  return {
    job_id: j.jobId, instance_id: j.instanceId, subject_kind: j.subjectKind, subject_value: j.subjectValue,
    subject_hash: j.subjectHash, cutoff_ts: j.cutoffTs, status: j.status, attempts: j.attempts, lease_owner: null,
    lease_until: null, created_at: j.createdAt, started_at: j.startedAt, finished_at: j.finishedAt,
    verified_at: j.verifiedAt, verification: j.verification === null ? null : JSON.stringify(j.verification), deleted_logs: j.deletedLogs, deleted_sessions: j.deletedSessions, deleted_events: j.deletedEvents, error: j.error,
    requested_by: j.requestedBy,
  };
}
