import type { AssistantRecord } from '../../model/catalog.js';
import { iso } from '../iso.js';

/** An assistant's two environments, as Watson names them. */
export function environments(a: AssistantRecord) {
  return [
    { name: 'draft', environment_id: a.draftEnvironmentId, environment: 'draft' },
    { name: 'live', environment_id: a.liveEnvironmentId, environment: 'live' },
  ];
}

/** An assistant as Watson's v2 catalogue shows it. */
export function watsonAssistantJson(a: AssistantRecord): Record<string, unknown> {
  return {
    assistant_id: a.assistantId, name: a.name, ...(a.description !== null ? { description: a.description } : {}),
    language: a.language,
    assistant_skills: a.workspaceId ? [{ skill_id: a.workspaceId, type: 'dialog' }] : [],
    assistant_environments: environments(a),
  };
}

export function environmentJson(a: AssistantRecord, env: ReturnType<typeof environments>[number], sessionTimeout: number) {
  return {
    ...env, assistant_id: a.assistantId, orchestration: { search_skill_fallback: false }, session_timeout: sessionTimeout,
    skill_references: a.workspaceId ? [{ skill_id: a.workspaceId, type: 'dialog', skill_reference: 'main skill', snapshot: env.name === 'live' ? '1' : 'draft' }] : [],
    created: iso(a.createdAt), updated: iso(a.updatedAt),
  };
}
