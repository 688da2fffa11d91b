import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { scanWorkspace } from '../../core/privacy/training-data-scan.js';
import { principalOf } from '../auth.js';

const Params = Type.Object({ workspace_id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Personal data found in a stored workspace's training data (intents, entities, counterexamples, dialog output). */
export function piiReportRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/workspaces/:workspace_id/pii-report', { config: { privilege: 'workspaces:read' }, schema: { params: Params } }, async (req) => {
      const ws = await services.workspaces.get(principalOf(req).instanceId, req.params.workspace_id);
      return { workspace_id: ws.workspaceId, ...scanWorkspace(ws.content) };
    });
  };
}
