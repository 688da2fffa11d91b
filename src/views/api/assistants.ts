import type { AssistantRecord } from '../../model/catalog.js';
import { iso } from '../iso.js';

/** An assistant with the dialog skill it answers with: the binding Watson's v2 API cannot express. */
export function assistantJson(a: AssistantRecord) {
  return {
    assistant_id: a.assistantId, name: a.name, description: a.description, language: a.language, workspace_id: a.workspaceId,
    environments: { draft: a.draftEnvironmentId, live: a.liveEnvironmentId },
    created: iso(a.createdAt), updated: iso(a.updatedAt),
  };
}
