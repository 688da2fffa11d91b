import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { identifier } from '../../model/identifier.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

const UserParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 256 }) });
const OrgQuery = Type.Object({ org: Type.Optional(Type.String({ maxLength: 128 })), cached: Type.Optional(Type.String({ maxLength: 16 })) });

/** The UA Read API's data-subject routes: everything held about a user, and its deletion. */
export function analyticsReadRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const base of ['/ua/v15', '/v15']) {
      app.get(`${base}/users/:userId/overview`, { config: { privilege: 'analytics:administrate' }, schema: { params: UserParams, querystring: OrgQuery } }, async (req) =>
        services.userData.overview(principalOf(req).instanceId, identifier(req.params.userId, 'userId'), actorOf(req)));

      app.delete(`${base}/users/:userId/alldata`, { config: { privilege: 'user_data:delete' }, schema: { params: UserParams, querystring: OrgQuery } }, async (req, reply) => {
        const principal = principalOf(req);
        const userId = identifier(req.params.userId, 'userId');
        const job = await services.userData.delete(principal.instanceId, userId, actorOf(req), req.receivedAt);
        return reply.status(202).header('location', `/api/v1/jobs/${job.jobId}`).send({
          message: `Deletion of all data of this user received before ${new Date(job.cutoffTs).toISOString()} is queued as job ${job.jobId}`,
          userId, account: principal.instanceId,
        });
      });
    }
  };
}
