import type { Kysely } from 'kysely';
import type { AssistantRepository, WorkspaceRepository } from '../store.js';
import { assistantFromRow, assistantToRow, workspaceFromRow, workspaceToRow } from './mappers.js';
import type { Tables } from './tables.js';

/** Workspaces (dialog skills) and the assistants bound to them: small, instance-scoped catalogues. */

interface ListOptions { sort: 'name' | 'updated'; descending: boolean; offset: number; limit: number }

function ordering(opts: ListOptions) {
  return { column: opts.sort === 'name' ? 'name' as const : 'updated_at' as const, dir: opts.descending ? 'desc' as const : 'asc' as const };
}

export function sqlWorkspaceRepository(db: Kysely<Tables>): WorkspaceRepository {
  return {
    async insert(ws) {
      await db.insertInto('workspaces').values(workspaceToRow(ws)).execute();
    },
    async get(instanceId, workspaceId) {
      const row = await db.selectFrom('workspaces').selectAll()
        .where('instance_id', '=', instanceId).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && workspaceFromRow(row);
    },
    async revision(instanceId, workspaceId) {
      const row = await db.selectFrom('workspaces').select('updated_at')
        .where('instance_id', '=', instanceId).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && Number(row.updated_at);
    },
    async list(instanceId, opts) {
      const { column, dir } = ordering(opts);
      const base = db.selectFrom('workspaces').where('instance_id', '=', instanceId);
      const rows = await base.selectAll().orderBy(column, dir).orderBy('workspace_id', dir)
        .offset(opts.offset).limit(opts.limit).execute();
      const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { items: rows.map(workspaceFromRow), total: Number(n) };
    },
    async update(ws) {
      const { instance_id, workspace_id, created_at: _created, ...changes } = workspaceToRow(ws);
      const res = await db.updateTable('workspaces').set(changes)
        .where('instance_id', '=', instance_id).where('workspace_id', '=', workspace_id).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async delete(instanceId, workspaceId) {
      const res = await db.deleteFrom('workspaces')
        .where('instance_id', '=', instanceId).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export function sqlAssistantRepository(db: Kysely<Tables>): AssistantRepository {
  return {
    async insert(a) {
      await db.insertInto('assistants').values(assistantToRow(a)).execute();
    },
    async get(instanceId, assistantId) {
      const row = await db.selectFrom('assistants').selectAll()
        .where('instance_id', '=', instanceId).where('assistant_id', '=', assistantId).executeTakeFirst();
      return row && assistantFromRow(row);
    },
    async findByEnvironment(instanceId, environmentId) {
      const row = await db.selectFrom('assistants').selectAll().where('instance_id', '=', instanceId)
        .where((eb) => eb.or([
          eb('assistant_id', '=', environmentId),
          eb('draft_environment_id', '=', environmentId),
          eb('live_environment_id', '=', environmentId),
        ])).executeTakeFirst();
      return row && assistantFromRow(row);
    },
    async list(instanceId, opts) {
      const { column, dir } = ordering(opts);
      const base = db.selectFrom('assistants').where('instance_id', '=', instanceId);
      const rows = await base.selectAll().orderBy(column, dir).orderBy('assistant_id', dir)
        .offset(opts.offset).limit(opts.limit).execute();
      const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { items: rows.map(assistantFromRow), total: Number(n) };
    },
    async update(a) {
      const { instance_id, assistant_id, created_at: _created, ...changes } = assistantToRow(a);
      const res = await db.updateTable('assistants').set(changes)
        .where('instance_id', '=', instance_id).where('assistant_id', '=', assistant_id).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async delete(instanceId, assistantId) {
      const res = await db.deleteFrom('assistants')
        .where('instance_id', '=', instanceId).where('assistant_id', '=', assistantId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
