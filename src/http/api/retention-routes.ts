import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { retentionRunJson } from '../../views/api/retention-runs.js';
import { principalOf } from '../auth.js';

/** What the retention worker deleted on the caller's instance; admin only. */
export function retentionRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/retention/runs', {
      config: { privilege: 'admin' }, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) },
    }, async (req) => ({ runs: (await services.retention.runs(principalOf(req).instanceId, req.query.limit ?? 100)).map(retentionRunJson) }));
  };
}
