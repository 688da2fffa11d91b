import type { AuditRecorder } from '../audit/audit-trail.js';
import { newId } from '../../model/ids.js';
import { NotFound } from '../../model/errors.js';
import { compileSkill, type Skill } from '../skills/index.js';
import type { ListPage, WorkspaceRecord } from '../../model/catalog.js';
import type { WorkspaceRepository } from '../../store/store.js';
import type { WorkspaceBody, WorkspaceContent } from './workspace-schema.js';

const CONTENT_KEYS = ['intents', 'entities', 'dialog_nodes', 'counterexamples', 'metadata', 'system_settings', 'webhooks'] as const;

function contentOf(body: WorkspaceBody): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const k of CONTENT_KEYS) if (body[k] !== undefined) content[k] = body[k];
  return content;
}

/** Merges `append`-mode updates the way Watson does: new elements are added, existing ones (by name) replaced. */
function appendContent(current: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const keyOf: Record<string, string> = { intents: 'intent', entities: 'entity', dialog_nodes: 'dialog_node', counterexamples: 'text' };
  const merged = { ...current };
  for (const [k, v] of Object.entries(update)) {
    const id = keyOf[k];
    if (!id || !Array.isArray(v)) { merged[k] = v; continue; }
    const byId = new Map((current[k] as Record<string, unknown>[] | undefined ?? []).map((e) => [e[id], e]));
    for (const e of v as Record<string, unknown>[]) byId.set(e[id], e);
    merged[k] = [...byId.values()];
  }
  return merged;
}

export function skillContent(ws: WorkspaceRecord): WorkspaceContent {
  const c = ws.content as Partial<WorkspaceContent>;
  return {
    language: ws.language, intents: c.intents ?? [], entities: c.entities ?? [],
    dialog_nodes: c.dialog_nodes ?? [], counterexamples: c.counterexamples ?? [],
  };
}

interface CachedSkill { workspace: WorkspaceRecord; skill: Skill; checkedAt: number }

/**
 * Workspaces (dialog skills) and the compiled skills that answer messages. A compiled skill is reused while the
 * workspace's revision is unchanged; the revision is re-read at most every `revalidateMs`, so another process's
 * edit is picked up within that time and this process's own edits at once.
 */
export class Workspaces {
  private readonly skills = new Map<string, CachedSkill>();

  constructor(private readonly repo: WorkspaceRepository, private readonly audit: AuditRecorder, private readonly revalidateMs = 1000) {}

  /** `actor` (actors.ts), here and in update and delete, is who the audit trail records. */
  async create(instanceId: string, body: WorkspaceBody, actor: string): Promise<WorkspaceRecord> {
    const now = Date.now();
    const ws: WorkspaceRecord = {
      instanceId, workspaceId: newId(), name: body.name ?? 'Untitled workspace', description: body.description ?? null,
      language: body.language ?? 'en', learningOptOut: body.learning_opt_out ?? false, content: contentOf(body),
      createdAt: now, updatedAt: now,
    };
    compileSkill(skillContent(ws)); // reject a workspace the runtime cannot run before storing it
    await this.repo.insert(ws);
    await this.audit.record({ instanceId, actor, action: 'workspace.create', target: ws.workspaceId });
    return ws;
  }

  async get(instanceId: string, workspaceId: string): Promise<WorkspaceRecord> {
    const ws = await this.repo.get(instanceId, workspaceId);
    if (!ws) throw new NotFound(`Resource not found: workspace ${workspaceId}`);
    return ws;
  }

  list(instanceId: string, opts: Parameters<WorkspaceRepository['list']>[1]): Promise<ListPage<WorkspaceRecord>> {
    return this.repo.list(instanceId, opts);
  }

  async update(instanceId: string, workspaceId: string, body: WorkspaceBody, append: boolean, actor: string): Promise<WorkspaceRecord> {
    const current = await this.get(instanceId, workspaceId);
    const update = contentOf(body);
    const ws: WorkspaceRecord = {
      ...current,
      name: body.name ?? current.name,
      description: body.description ?? current.description,
      language: body.language ?? current.language,
      learningOptOut: body.learning_opt_out ?? current.learningOptOut,
      content: append ? appendContent(current.content, update) : { ...current.content, ...update },
      updatedAt: Math.max(Date.now(), current.updatedAt + 1),
    };
    compileSkill(skillContent(ws));
    if (!(await this.repo.update(ws))) throw new NotFound(`Resource not found: workspace ${workspaceId}`);
    this.skills.delete(`${instanceId}/${workspaceId}`);
    await this.audit.record({ instanceId, actor, action: 'workspace.update', target: workspaceId, details: { append } });
    return ws;
  }

  async delete(instanceId: string, workspaceId: string, actor: string): Promise<void> {
    if (!(await this.repo.delete(instanceId, workspaceId))) throw new NotFound(`Resource not found: workspace ${workspaceId}`);
    this.skills.delete(`${instanceId}/${workspaceId}`);
    await this.audit.record({ instanceId, actor, action: 'workspace.delete', target: workspaceId });
  }

  /** The runnable skill for a workspace, compiled once per revision. */
  async skill(instanceId: string, workspaceId: string): Promise<{ workspace: WorkspaceRecord; skill: Skill }> {
    const key = `${instanceId}/${workspaceId}`;
    const now = Date.now();
    const cached = this.skills.get(key);
    if (cached && now - cached.checkedAt < this.revalidateMs) return cached;
    const revision = await this.repo.revision(instanceId, workspaceId);
    if (revision === undefined) {
      this.skills.delete(key);
      throw new NotFound(`Resource not found: workspace ${workspaceId}`);
    }
    if (cached && cached.workspace.updatedAt === revision) {
      cached.checkedAt = now;
      return cached;
    }
    const workspace = await this.get(instanceId, workspaceId);
    const fresh = { workspace, skill: compileSkill(skillContent(workspace)), checkedAt: now };
    this.skills.set(key, fresh);
    return fresh;
  }
}
