import type { LogRecord } from '../../model/logs.js';
import { iso } from '../iso.js';

/** A log as Watson's v1 `listLogs` returns it. */
export function v1LogJson(l: LogRecord) {
  return {
    request: l.request, response: l.response, log_id: l.logId, request_timestamp: iso(l.requestTs),
    response_timestamp: iso(l.responseTs), workspace_id: l.workspaceId, language: l.language,
  };
}

/** A log as Watson's v2 `listLogs` returns it. */
export function v2LogJson(l: LogRecord) {
  return {
    log_id: l.logId, request: l.request, response: l.response, assistant_id: l.assistantId, session_id: l.sessionId,
    skill_id: l.workspaceId, snapshot: l.snapshot ?? 'draft', request_timestamp: iso(l.requestTs),
    response_timestamp: iso(l.responseTs), language: l.language, ...(l.customerIds[0] ? { customer_id: l.customerIds[0] } : {}),
  };
}

/** A log in the shape of the API that produced it. */
export function watsonLogJson(l: LogRecord) {
  return l.api === 'v1' ? v1LogJson(l) : v2LogJson(l);
}
