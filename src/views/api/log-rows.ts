import type { AnnotationRecord } from '../../model/annotations.js';
import type { LogRecord } from '../../model/logs.js';
import { iso } from '../iso.js';
import { reviewJson } from './annotations.js';

/** The assistant's reply text, whichever API produced the log (v1 `output.text`, v2 `output.generic[].text`). */
function outputText(l: LogRecord): string[] {
  const output = l.response.output as { text?: unknown; generic?: { text?: unknown }[] } | undefined;
  if (Array.isArray(output?.text)) return output.text.filter((t): t is string => typeof t === 'string');
  return (output?.generic ?? []).map((g) => g.text).filter((t): t is string => typeof t === 'string');
}

/**
 * A log as one flat row of the log explorer, with the labels Watson's log shapes leave out (customer IDs, user ID,
 * conversation) and the answer's review.
 */
export function logRowJson(l: LogRecord, annotation: AnnotationRecord | undefined) {
  return {
    log_id: l.logId, api: l.api, request_timestamp: iso(l.requestTs), response_timestamp: iso(l.responseTs),
    workspace_id: l.workspaceId, assistant_id: l.assistantId, session_id: l.sessionId, conversation_id: l.conversationId,
    user_id: l.userId, customer_ids: l.customerIds, language: l.language, input_text: l.inputText, output_text: outputText(l),
    top_intent: l.topIntent, top_confidence: l.topConfidence, annotation: annotation ? reviewJson(annotation) : null,
  };
}
