import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { EventRecord } from '../../model/events.js';
import type { ExportRecord } from '../../model/exports.js';
import type { LogRecord } from '../../model/logs.js';
import type { Subject, SubjectHoldings, SubjectTargets } from '../../model/subjects.js';
import type { Store } from '../../store/store.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import { subjectOf } from '../../model/identifier.js';
import type { DeletionRequests } from './deletion-requests.js';
import { jobJson } from './receipt.js';
import { subjectEvents, subjectLogs } from './subject-records.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A log as its subject receives it: everything stored, in the API's snake_case. */
export function subjectLogJson(l: LogRecord) {
  return {
    log_id: l.logId, api: l.api, request_timestamp: iso(l.requestTs), response_timestamp: iso(l.responseTs),
    assistant_id: l.assistantId, environment_id: l.environmentId, workspace_id: l.workspaceId, session_id: l.sessionId,
    conversation_id: l.conversationId, user_id: l.userId, customer_ids: l.customerIds, deployment: l.deployment, language: l.language,
    learning_opt_out: l.learningOptOut, request: l.request, response: l.response,
  };
}

export function subjectEventJson(e: EventRecord) {
  return {
    event_id: e.eventId, type: e.type, received: iso(e.receivedTs), user_id: e.userId, visitor_id: e.visitorId, visit_id: e.visitId,
    anonymous: e.anonymous, search_uid: e.searchUid, origin_level_1: e.originLevel1, language: e.language, payload: e.payload,
  };
}

export function subjectExportJson(x: ExportRecord) {
  return { export_id: x.exportId, status: x.status, description: x.description, created: iso(x.createdAt), expires: iso(x.expiresAt), shared: iso(x.sharedAt) };
}

export interface SubjectLookup {
  subject: { kind: Subject['kind']; hash: string };
  /** Records held now, per table. */
  holdings: SubjectHoldings;
  deletionJobs: DeletionJobRecord[];
}

/** One section of everything held on a subject, streamed record by record. */
export interface SubjectSection {
  name: 'logs' | 'events' | 'exports' | 'deletion_jobs';
  records: AsyncIterable<unknown>;
}

/**
 * The data-subject rights of access and portability: finds what Lethe holds on a person, under every alias that
 * links records to them (the same aliases a deletion covers), and reads it out section by section.
 */
export class SubjectData {
  constructor(
    private readonly store: Store,
    private readonly targetsOf: (instanceId: string, subject: Subject) => SubjectTargets,
    private readonly deletions: DeletionRequests,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * What is held on the person (named under the identifier rule, identifier.ts); recorded in the audit trail (the
   * person by keyed hash) like every read of their data.
   */
  async find(instanceId: string, named: Subject, actor: string): Promise<SubjectLookup> {
    const subject = subjectOf(named);
    const lookup = await this.lookup(instanceId, subject);
    await this.audit.record({ instanceId, actor, action: 'dsr.find', subject, details: lookup.holdings });
    return lookup;
  }

  /** The person's data for the right of access (one JSON document) or of portability (an archive), recorded as such. */
  async readOut(instanceId: string, named: Subject, actor: string, right: 'access' | 'export'): Promise<{ lookup: SubjectLookup; sections: SubjectSection[] }> {
    const subject = subjectOf(named);
    const lookup = await this.lookup(instanceId, subject);
    await this.audit.record({ instanceId, actor, action: `dsr.${right}`, subject, details: lookup.holdings });
    return { lookup, sections: this.sections(instanceId, subject) };
  }

  private async lookup(instanceId: string, subject: Subject): Promise<SubjectLookup> {
    const [holdings, deletionJobs] = await Promise.all([
      this.store.subjects.holdings(instanceId, this.targetsOf(instanceId, subject), Number.MAX_SAFE_INTEGER / 1024),
      this.deletions.forSubject(instanceId, subject),
    ]);
    return { subject: { kind: subject.kind, hash: this.deletions.hashOf(instanceId, subject) }, holdings, deletionJobs };
  }

  /** Everything held, in sections; each is read lazily, so a subject with millions of records streams in constant memory. */
  private sections(instanceId: string, subject: Subject): SubjectSection[] {
    const targets = this.targetsOf(instanceId, subject);
    const { store, deletions } = this;
    return [
      { name: 'logs', records: map(subjectLogs(store, instanceId, targets), subjectLogJson) },
      { name: 'events', records: map(subjectEvents(store, instanceId, targets), subjectEventJson) },
      { name: 'exports', records: (async function* () { yield* (await store.exports.holding(instanceId, targets.events)).map(subjectExportJson); })() },
      { name: 'deletion_jobs', records: (async function* () { yield* (await deletions.forSubject(instanceId, subject)).map(jobJson); })() },
    ];
  }
}

async function* map<T, U>(source: AsyncIterable<T>, fn: (t: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield fn(item);
}
