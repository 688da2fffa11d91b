import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { deliveryJson, webhookJson } from '../../views/api/webhooks.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

const CreateBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  events: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 10 }),
}, { additionalProperties: false });
const Params = Type.Object({ webhook_id: Type.String({ maxLength: 64 }) });

/** Webhooks of the caller's own instance; admin only. */
export function webhookRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };
    app.post('/webhooks', { config, schema: { body: CreateBody } }, async (req, reply) => {
      const { hook, secret } = await services.webhooks.register(principalOf(req).instanceId, req.body.url, req.body.events, actorOf(req));
      return reply.status(201).send({ ...webhookJson(hook), secret });
    });
    app.get('/webhooks', { config }, async (req) => ({ webhooks: (await services.webhooks.list(principalOf(req).instanceId)).map(webhookJson) }));
    app.delete('/webhooks/:webhook_id', { config, schema: { params: Params } }, async (req, reply) => {
      await services.webhooks.remove(principalOf(req).instanceId, req.params.webhook_id, actorOf(req));
      return reply.status(204).send();
    });
    app.get('/webhooks/:webhook_id/deliveries', {
      config, schema: { params: Params, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) },
    }, async (req) => ({
      deliveries: (await services.webhooks.deliveries(principalOf(req).instanceId, req.params.webhook_id, req.query.limit ?? 100)).map(deliveryJson),
    }));
  };
}
