import { csvCell } from '../analytics/export-format.js';
import type { ApiSurface } from '../../filter/watson-logs/index.js';
import type { LogCursor, LogRecord } from '../../model/logs.js';
import type { LogRepository } from '../../store/store.js';
import { parseLogFilter } from './log-queries.js';

export type LogExportFormat = 'csv' | 'jsonl';
/** Rows read per page: memory stays bounded by one page whatever the size of the export. */
export const EXPORT_PAGE = 500;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const iso = (ms: number) => new Date(ms).toISOString();

function outputText(l: LogRecord): string {
  const output = obj(l.response.output);
  const texts = Array.isArray(output.text) ? output.text : Array.isArray(output.generic) ? output.generic.map((g) => obj(g).text) : [];
  return texts.filter((t): t is string => typeof t === 'string').join(' ');
}

/** v1 keeps the dialog state in `context.system`; v2 reports it under `output.debug` when asked for. */
function exitReason(l: LogRecord): unknown {
  return obj(obj(l.response.context).system).branch_exited_reason ?? obj(obj(l.response.output).debug).branch_exited_reason;
}

function nodesVisited(l: LogRecord): unknown {
  const output = obj(l.response.output);
  return output.nodes_visited ?? obj(output.debug).nodes_visited;
}

/**
 * The columns of IBM's export_logs.py, named as it names them, then what it leaves out: ids, scope, subject and the
 * rest of the understanding (entities, nodes visited).
 */
const CSV_COLUMNS: [string, (l: LogRecord) => unknown][] = [
  ['conversation_id', (l) => l.conversationId],
  ['request_timestamp', (l) => iso(l.requestTs)],
  ['response_timestamp', (l) => iso(l.responseTs)],
  ['User Input', (l) => l.inputText],
  ['Output', outputText],
  ['Intent', (l) => l.topIntent],
  ['Confidence', (l) => l.topConfidence],
  ['Exit Reason', exitReason],
  ['Logging', (l) => obj(l.response.output).log_messages],
  ['Context', (l) => l.response.context],
  ['log_id', (l) => l.logId],
  ['api', (l) => l.api],
  ['assistant_id', (l) => l.assistantId],
  ['workspace_id', (l) => l.workspaceId],
  ['environment_id', (l) => l.environmentId],
  ['session_id', (l) => l.sessionId],
  ['deployment', (l) => l.deployment],
  ['language', (l) => l.language],
  ['user_id', (l) => l.userId],
  ['customer_id', (l) => l.customerIds.join(' ')],
  ['entities', (l) => obj(l.response).entities ?? obj(l.response.output).entities],
  ['nodes_visited', nodesVisited],
];

export const CSV_HEADER = CSV_COLUMNS.map(([name]) => name);

function jsonlRecord(l: LogRecord) {
  return {
    log_id: l.logId, api: l.api, request_timestamp: iso(l.requestTs), response_timestamp: iso(l.responseTs),
    conversation_id: l.conversationId, session_id: l.sessionId, assistant_id: l.assistantId, workspace_id: l.workspaceId,
    environment_id: l.environmentId, deployment: l.deployment, language: l.language, user_id: l.userId, customer_ids: l.customerIds,
    top_intent: l.topIntent, top_confidence: l.topConfidence, request: l.request, response: l.response,
  };
}

export function formatLog(l: LogRecord, format: LogExportFormat): string {
  return format === 'jsonl' ? `${JSON.stringify(jsonlRecord(l))}\n` : `${CSV_COLUMNS.map(([, get]) => csvCell(get(l))).join(',')}\r\n`;
}

export interface LogExportRequest {
  instanceId: string;
  surface: ApiSurface;
  filter?: string | undefined;
  scope: { workspaceId?: string; assistantId?: string };
  format: LogExportFormat;
}

export interface LogExport {
  /** How many logs the export holds (counted when asked, for progress reports). */
  count(): Promise<number>;
  /** The file, one chunk per page of logs (with how many logs it holds), read only as fast as it is consumed. */
  chunks(): AsyncGenerator<{ text: string; logs: number }>;
}

/** Validates the request at once (a bad filter fails before anything is sent), then streams on demand. */
export function exportLogs(repo: LogRepository, r: LogExportRequest): LogExport {
  const filter = r.filter === undefined || r.filter === '' ? null : parseLogFilter(r.filter, r.surface);
  const base = { instanceId: r.instanceId, filter, scope: r.scope };
  return {
    count: () => repo.count(base),
    async *chunks() {
      if (r.format === 'csv') yield { text: `${CSV_HEADER.join(',')}\r\n`, logs: 0 };
      let after: LogCursor | null = null;
      do {
        const page = await repo.page({ ...base, descending: false, limit: EXPORT_PAGE, after });
        if (page.logs.length > 0) yield { text: page.logs.map((l) => formatLog(l, r.format)).join(''), logs: page.logs.length };
        after = page.next;
      } while (after);
    },
  };
}
