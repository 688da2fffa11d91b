import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { jobJson } from '../../views/api/jobs.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

export function jobRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'user_data:delete' as const };
    app.get('/jobs', { config, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } }, async (req) =>
      ({ jobs: (await services.deletions.list(principalOf(req).instanceId, req.query.limit ?? 100)).map(jobJson) }));
    const JobParams = Type.Object({ job_id: Type.String({ maxLength: 64 }) });
    app.get('/jobs/:job_id', { config, schema: { params: JobParams } }, async (req) =>
      jobJson(await services.deletions.get(req.params.job_id, principalOf(req).instanceId)));
    app.post('/jobs/:job_id/cancel', { config, schema: { params: JobParams } }, async (req) =>
      jobJson(await services.deletions.cancel(req.params.job_id, principalOf(req).instanceId, actorOf(req))));
  };
}
