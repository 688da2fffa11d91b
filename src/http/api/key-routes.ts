import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { parsePrivileges } from '../../core/auth/api-keys.js';
import { keyJson } from '../../views/api/keys.js';
import { actorOf } from '../actor.js';
import { authorize, principalOf, secretFromHeader } from '../auth.js';

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  privileges: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
}, { additionalProperties: false });

/** API keys of the caller's own instance; admin only. */
export function keyRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };

    app.get('/keys', { config }, async (req) => ({ keys: (await services.keys.list(principalOf(req).instanceId)).map(keyJson) }));

    app.post('/keys', { config, schema: { body: CreateBody } }, async (req, reply) => {
      const { key, secret } = await services.keys.create(principalOf(req).instanceId, req.body.name, parsePrivileges(req.body.privileges), actorOf(req));
      return reply.status(201).send({ ...keyJson(key), secret });
    });

    app.delete('/keys/:key_id', { config, schema: { params: Type.Object({ key_id: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
      await services.keys.revoke(req.params.key_id, principalOf(req).instanceId, actorOf(req));
      return reply.status(204).send();
    });
  };
}

/**
 * `GET /whoami`: the calling key's own identity and privileges, for any valid key, so a client (the dashboard) can
 * show what the key may do without holding `admin`. It authenticates itself because it needs no privilege.
 */
export function whoamiRoute(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/whoami', { onRequest: async (req) => { await authorize(services.keys, req, secretFromHeader(req.headers.authorization), null); } }, async (req) => {
      const { keyId, instanceId, privileges } = principalOf(req);
      const key = (await services.keys.list(instanceId)).find((k) => k.keyId === keyId);
      return { key_id: keyId, name: key?.name ?? null, instance: instanceId, privileges: [...privileges] };
    });
  };
}
