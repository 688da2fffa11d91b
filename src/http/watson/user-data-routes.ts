import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';
import { Version } from './watson-common.js';

const Query = Type.Object({ version: Version, customer_id: Type.String({ minLength: 1, maxLength: 256 }) });

/**
 * `DELETE /v1/user_data` and `/v2/user_data`: 202 `{}` as Watson answers; the deletion itself is a durable job whose
 * progress and receipt are at the URL in `Location` (Lethe's own jobs API).
 */
export function userDataRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const path of ['/v1/user_data', '/v2/user_data']) {
      app.delete(path, { config: { privilege: 'user_data:delete' }, schema: { querystring: Query } }, async (req, reply) => {
        const principal = principalOf(req);
        const job = await services.deletions.request(
          principal.instanceId, { kind: 'customer_id', value: req.query.customer_id }, actorOf(req), req.receivedAt,
        );
        return reply.status(202).header('location', `/api/v1/jobs/${job.jobId}`).send({});
      });
    }
  };
}
