import { newId } from '../../model/ids.js';
import { BadRequest, NotFound } from '../../model/errors.js';
import type { AssistantRecord, ListPage } from '../../model/catalog.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import type { AssistantRepository, WorkspaceRepository } from '../../store/store.js';

export interface AssistantInput {
  name?: string | undefined;
  description?: string | undefined;
  language?: string | undefined;
  /** The dialog skill that answers; may be bound later. */
  workspaceId?: string | null | undefined;
}

/** Assistants: the v2 entry point, each answering with one dialog skill (a v1 workspace). */
export class Assistants {
  constructor(private readonly repo: AssistantRepository, private readonly workspaces: WorkspaceRepository, private readonly audit: AuditRecorder) {}

  /** `actor` (actors.ts), here and in update and delete, is who the audit trail records. */
  async create(instanceId: string, input: AssistantInput, actor: string): Promise<AssistantRecord> {
    const language = await this.checkedLanguage(instanceId, input.workspaceId ?? null, input.language);
    const now = Date.now();
    const a: AssistantRecord = {
      instanceId, assistantId: newId(), name: input.name ?? 'Untitled assistant', description: input.description ?? null,
      language, workspaceId: input.workspaceId ?? null, draftEnvironmentId: newId(), liveEnvironmentId: newId(),
      createdAt: now, updatedAt: now,
    };
    await this.repo.insert(a);
    await this.audit.record({ instanceId, actor, action: 'assistant.create', target: a.assistantId, details: { workspace_id: a.workspaceId } });
    return a;
  }

  async update(instanceId: string, assistantId: string, input: AssistantInput, actor: string): Promise<AssistantRecord> {
    const current = await this.get(instanceId, assistantId);
    const workspaceId = input.workspaceId === undefined ? current.workspaceId : input.workspaceId;
    const language = await this.checkedLanguage(instanceId, workspaceId, input.language ?? current.language);
    const a: AssistantRecord = {
      ...current, name: input.name ?? current.name, description: input.description ?? current.description,
      language, workspaceId, updatedAt: Date.now(),
    };
    if (!(await this.repo.update(a))) throw new NotFound(`Resource not found: assistant ${assistantId}`);
    await this.audit.record({ instanceId, actor, action: 'assistant.update', target: assistantId, details: { workspace_id: a.workspaceId } });
    return a;
  }

  async get(instanceId: string, assistantId: string): Promise<AssistantRecord> {
    const a = await this.repo.get(instanceId, assistantId);
    if (!a) throw new NotFound(`Resource not found: assistant ${assistantId}`);
    return a;
  }

  /** Resolves the pair in a v2 URL: the environment may be the assistant ID itself (classic) or one of its environments. */
  async resolve(instanceId: string, assistantId: string, environmentId: string | undefined): Promise<AssistantRecord> {
    const a = await this.get(instanceId, assistantId);
    const envs = [a.assistantId, a.draftEnvironmentId, a.liveEnvironmentId];
    if (environmentId !== undefined && !envs.includes(environmentId)) {
      throw new NotFound(`Resource not found: environment ${environmentId} of assistant ${assistantId}`);
    }
    return a;
  }

  list(instanceId: string, opts: Parameters<AssistantRepository['list']>[1]): Promise<ListPage<AssistantRecord>> {
    return this.repo.list(instanceId, opts);
  }

  async delete(instanceId: string, assistantId: string, actor: string): Promise<void> {
    if (!(await this.repo.delete(instanceId, assistantId))) throw new NotFound(`Resource not found: assistant ${assistantId}`);
    await this.audit.record({ instanceId, actor, action: 'assistant.delete', target: assistantId });
  }

  private async checkedLanguage(instanceId: string, workspaceId: string | null, language: string | undefined): Promise<string> {
    if (workspaceId === null) return language ?? 'en';
    const ws = await this.workspaces.get(instanceId, workspaceId);
    if (!ws) throw new BadRequest(`Workspace ${workspaceId} does not exist in this instance`);
    return ws.language;
  }
}
