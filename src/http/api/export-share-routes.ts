import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';
import { sendFile } from '../coveo/export-routes.js';
import type { LinkBase } from '../public-url.js';

/**
 * Handing a reviewed export over: `POST /api/v1/exports/{id}/share` returns a secret link that downloads the file
 * without an API key until the export expires. The link is shown once; only its hash is stored.
 */
export function exportShareRoutes(services: Services, links: LinkBase): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.post('/exports/:exportId/share', {
      config: { privilege: 'analytics:exports' }, schema: { params: Type.Object({ exportId: Type.String({ maxLength: 64 }) }) },
    }, async (req) => {
      const instanceId = principalOf(req).instanceId;
      const token = await services.exports.share(instanceId, req.params.exportId, actorOf(req));
      const e = await services.exports.get(instanceId, req.params.exportId);
      return { url: `${links()}/exports/shared/${token}`, expires: new Date(e.expiresAt).toISOString() };
    });
  };
}

/** The public end of a share link. */
export function sharedExportRoute(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/exports/shared/:token', { schema: { params: Type.Object({ token: Type.String({ minLength: 40, maxLength: 64 }) }) } }, async (req, reply) => {
      const { record, content } = await services.exports.shared(req.params.token);
      return sendFile(reply, record, content);
    });
  };
}
