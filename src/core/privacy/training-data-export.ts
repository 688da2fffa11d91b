import type { TrainingDataQuery, TrainingDataRepository, TrainingUtterance } from '../../store/store.js';
import { csvCell } from '../analytics/export-format.js';

export type TrainingDataFormat = 'jsonl' | 'csv';
export type TrainingDataScope = Omit<TrainingDataQuery, 'afterSeq' | 'limit'>;

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
    const page = await repo.page({ ...scope, limit: PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) });
    if (page.length === 0) return;
    yield page.map((u) => {
      const r = row(u);
      return format === 'jsonl' ? `${JSON.stringify(r)}\n` : `${Object.values(r).map(csvCell).join(',')}\r\n`;
    }).join('');
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
