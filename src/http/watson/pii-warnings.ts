import type { FastifyReply } from 'fastify';
import { scanWorkspace } from '../../core/privacy/training-data-scan.js';
import type { WorkspaceRecord } from '../../model/catalog.js';

/**
 * Uploading training data that holds personal data is allowed (Watson allows it too) but flagged: the reply carries
 * `X-Lethe-PII-Warnings: <count>` and the log a count per kind, never the text. The body stays Watson's, so the SDK
 * is unaffected. `GET /api/v1/workspaces/{id}/pii-report` says where.
 */
export function flagPii(reply: FastifyReply, ws: WorkspaceRecord): void {
  const { total, counts } = scanWorkspace(ws.content);
  void reply.header('x-lethe-pii-warnings', String(total));
  if (total > 0) reply.log.warn({ reqId: reply.request.id, workspaceId: ws.workspaceId, piiFindings: counts }, 'workspace training data contains personal data');
}
