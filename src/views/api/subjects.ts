import type { EventRecord } from '../../model/events.js';
import type { ExportRecord } from '../../model/exports.js';
import type { LogRecord } from '../../model/logs.js';
import type { SubjectLookup, SubjectSection } from '../../model/subject-data.js';
import { iso } from '../iso.js';
import { jobJson } from './jobs.js';

/** What a data-subject lookup found: the person by keyed hash, what is held per table, and their deletion jobs. */
export function subjectLookupJson(found: SubjectLookup) {
  return { subject: found.subject, holdings: found.holdings, deletion_jobs: found.deletionJobs.map(jobJson) };
}

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

/** A section's records as the subject receives them, each shown as it is read. */
export function sectionRecords(section: SubjectSection): AsyncIterable<unknown> {
  switch (section.name) {
    case 'logs': return map(section.records, subjectLogJson);
    case 'events': return map(section.records, subjectEventJson);
    case 'exports': return map(section.records, subjectExportJson);
    case 'deletion_jobs': return map(section.records, jobJson);
  }
}

async function* map<T, U>(source: AsyncIterable<T>, fn: (t: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield fn(item);
}
