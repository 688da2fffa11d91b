import type { TrainingDataQuery, TrainingDataRepository, TrainingUtterance } from '../../store/store.js';
import { csvCell } from '../analytics/export-format.js';
import type { Assistants } from '../assistants/assistants.js';
import { BadRequest } from '../../model/errors.js';
import type { Workspaces } from '../workspaces/workspaces.js';

export type TrainingDataFormat = 'jsonl' | 'csv';
export type TrainingDataScope = Omit<TrainingDataQuery, 'afterSeq' | 'limit'>;

export interface TrainingDataRequest {
  workspaceId?: string;
  assistantId?: string;
  /** ISO 8601 date or date-time; `to` is exclusive. */
  from?: string;
  to?: string;
}

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new BadRequest(`${name} must be an ISO 8601 date or date-time, e.g. 2024-05-01T00:00:00Z`);
  return ms;
}

/** Checks the request: a named workspace or assistant must exist in the instance (NotFound otherwise). */
export async function trainingDataScope(
  workspaces: Workspaces, assistants: Assistants, instanceId: string, r: TrainingDataRequest,
): Promise<TrainingDataScope> {
  const scope: TrainingDataScope = { instanceId };
  if (r.workspaceId !== undefined) scope.workspaceId = (await workspaces.get(instanceId, r.workspaceId)).workspaceId;
  if (r.assistantId !== undefined) scope.assistantId = (await assistants.get(instanceId, r.assistantId)).assistantId;
  const fromTs = instant(r.from, 'from');
  const toTs = instant(r.to, 'to');
  if (fromTs !== undefined) scope.fromTs = fromTs;
  if (toTs !== undefined) scope.toTs = toTs;
  return scope;
}

const PAGE = 1000;
const CSV_COLUMNS = ['utterance', 'intent', 'confidence', 'request_timestamp', 'workspace_id', 'assistant_id', 'log_id'];

function row(u: TrainingUtterance) {
  return {
    utterance: u.text, intent: u.intent, confidence: u.confidence, request_timestamp: new Date(u.requestTs).toISOString(),
    workspace_id: u.workspaceId, assistant_id: u.assistantId, log_id: u.logId,
  };
}

/**
 * The utterances users sent, with the intent they were classified as, for improving a skill. What opted out of
 * learning never appears (see TrainingDataRepository). Text is as stored, so redacted values stay redacted. Yielded
 * a page at a time, so an export of any size streams in bounded memory.
 */
export async function* trainingDataExport(repo: TrainingDataRepository, scope: TrainingDataScope, format: TrainingDataFormat): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
  let afterSeq: number | undefined;
  for (;;) {
    const page = await repo.page({ ...scope, limit: PAGE, afterSeq });
    if (page.length === 0) return;
    yield page.map((u) => {
      const r = row(u);
      return format === 'jsonl' ? `${JSON.stringify(r)}\n` : `${Object.values(r).map(csvCell).join(',')}\r\n`;
    }).join('');
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}

/** The training-data export as operators ask for it: the request is checked, then the file is read as it is sent. */
export class TrainingData {
  constructor(private readonly repo: TrainingDataRepository, private readonly workspaces: Workspaces, private readonly assistants: Assistants) {}

  /** Checks the request (trainingDataScope) before the first line is read, so a bad one fails before any answer starts. */
  async export(instanceId: string, r: TrainingDataRequest, format: TrainingDataFormat): Promise<AsyncGenerator<string>> {
    return trainingDataExport(this.repo, await trainingDataScope(this.workspaces, this.assistants, instanceId, r), format);
  }
}
