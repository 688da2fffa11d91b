import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { WorkspaceBodySchema } from '../../core/workspaces/workspace-schema.js';
import { workspaceJson } from '../../views/watson/workspaces.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';
import { listPagination, ListQuery, parseListQuery } from './list-paging.js';
import { Id, Version } from './watson-common.js';
import { flagPii } from './pii-warnings.js';

const WorkspaceParams = Type.Object({ workspace_id: Id });
const AuditQuery = Type.Object({ version: Version, include_audit: Type.Optional(Type.Boolean()) });
const GetQuery = Type.Object({ version: Version, export: Type.Optional(Type.Boolean()), include_audit: Type.Optional(Type.Boolean()) });
const UpdateQuery = Type.Object({ version: Version, append: Type.Optional(Type.Boolean()), include_audit: Type.Optional(Type.Boolean()) });

export function workspaceRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { privilege: 'workspaces:read' as const };
    const write = { privilege: 'workspaces:write' as const };

    app.post('/v1/workspaces', { config: write, bodyLimit: 32 * 1024 * 1024, schema: { querystring: AuditQuery, body: WorkspaceBodySchema } }, async (req, reply) => {
      const ws = await services.workspaces.create(principalOf(req).instanceId, req.body, actorOf(req));
      flagPii(reply, ws);
      return reply.status(201).send(workspaceJson(ws, true, req.query.include_audit ?? false));
    });

    app.get('/v1/workspaces', { config: read, schema: { querystring: ListQuery } }, async (req) => {
      const q = parseListQuery(req.query);
      const page = await services.workspaces.list(principalOf(req).instanceId, q);
      return {
        workspaces: page.items.map((ws) => workspaceJson(ws, false, req.query.include_audit ?? false)),
        pagination: listPagination(req.url, q, page),
      };
    });

    app.get('/v1/workspaces/:workspace_id', { config: read, schema: { params: WorkspaceParams, querystring: GetQuery } }, async (req) => {
      const ws = await services.workspaces.get(principalOf(req).instanceId, req.params.workspace_id);
      return workspaceJson(ws, req.query.export ?? false, req.query.include_audit ?? false);
    });

    app.post('/v1/workspaces/:workspace_id', {
      config: write, bodyLimit: 32 * 1024 * 1024, schema: { params: WorkspaceParams, querystring: UpdateQuery, body: WorkspaceBodySchema },
    }, async (req, reply) => {
      const ws = await services.workspaces.update(principalOf(req).instanceId, req.params.workspace_id, req.body, req.query.append ?? false, actorOf(req));
      flagPii(reply, ws);
      return workspaceJson(ws, true, req.query.include_audit ?? false);
    });

    app.delete('/v1/workspaces/:workspace_id', { config: write, schema: { params: WorkspaceParams, querystring: AuditQuery } }, async (req) => {
      await services.workspaces.delete(principalOf(req).instanceId, req.params.workspace_id, actorOf(req));
      return {};
    });
  };
}
