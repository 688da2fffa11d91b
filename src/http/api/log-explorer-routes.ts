import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { MAX_PAGE_LIMIT, queryLogs } from '../../core/logs/log-queries.js';
import type { AnnotationRecord } from '../../model/annotations.js';
import type { LogRecord } from '../../model/logs.js';
import { principalOf } from '../auth.js';
import { reviewJson } from './annotation-json.js';

const Query = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 4096 })),
  sort: Type.Optional(Type.String({ maxLength: 32 })),
  page_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
}, { additionalProperties: false });

/** The assistant's reply text, whichever API produced the log (v1 `output.text`, v2 `output.generic[].text`). */
function outputText(l: LogRecord): string[] {
  const output = l.response.output as { text?: unknown; generic?: { text?: unknown }[] } | undefined;
  if (Array.isArray(output?.text)) return output.text.filter((t): t is string => typeof t === 'string');
  return (output?.generic ?? []).map((g) => g.text).filter((t): t is string => typeof t === 'string');
}

function logRow(l: LogRecord, annotation: AnnotationRecord | undefined) {
  return {
    log_id: l.logId, api: l.api, request_timestamp: new Date(l.requestTs).toISOString(), response_timestamp: new Date(l.responseTs).toISOString(),
    workspace_id: l.workspaceId, assistant_id: l.assistantId, session_id: l.sessionId, conversation_id: l.conversationId,
    user_id: l.userId, customer_ids: l.customerIds, language: l.language, input_text: l.inputText, output_text: outputText(l),
    top_intent: l.topIntent, top_confidence: l.topConfidence, annotation: annotation ? reviewJson(annotation) : null,
  };
}

/**
 * `GET /logs`: the instance's logs as flat rows, with the labels Watson's log shapes leave out (customer IDs, user ID,
 * conversation) and the answer's review. Same filter language (every v1 and v2 field name), sort and cursors as `GET /v1/logs`, but without Watson's
 * rule that the filter name a language and a workspace, so "everything" is simply no filter.
 */
export function logExplorerRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/logs', { config: { privilege: 'logs:read' }, schema: { querystring: Query } }, async (req) => {
      const q = req.query;
      const { instanceId } = principalOf(req);
      const { page, nextCursor } = await queryLogs(services.store.logs, {
        instanceId, surface: 'any', scope: {}, filter: q.filter, sort: q.sort, pageLimit: q.page_limit, cursor: q.cursor,
      });
      const reviews = new Map((await services.metrics.annotations(instanceId, page.logs.map((l) => l.logId))).map((a) => [a.logId, a]));
      return { logs: page.logs.map((l) => logRow(l, reviews.get(l.logId))), next_cursor: nextCursor ?? null };
    });
  };
}
