import type { WorkspaceRecord } from '../../model/catalog.js';
import { iso } from '../iso.js';

/** The Watson workspace JSON; `exported` adds the training content, as `export=true` does in Watson. */
export function workspaceJson(ws: WorkspaceRecord, exported: boolean, audit: boolean): Record<string, unknown> {
  const { intents, entities, dialog_nodes, counterexamples, webhooks, ...rest } = ws.content;
  return {
    name: ws.name,
    ...(ws.description !== null ? { description: ws.description } : {}),
    language: ws.language,
    workspace_id: ws.workspaceId,
    learning_opt_out: ws.learningOptOut,
    ...rest,
    status: 'Available',
    ...(exported ? { intents: intents ?? [], entities: entities ?? [], dialog_nodes: dialog_nodes ?? [], counterexamples: counterexamples ?? [], webhooks: webhooks ?? [] } : {}),
    ...(audit ? { created: iso(ws.createdAt), updated: iso(ws.updatedAt) } : {}),
  };
}
