import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { V1MessageBodySchema, V2MessageBodySchema } from '../../core/messages/message-schemas.js';
import { principalOf } from '../auth.js';
import { Id, messageMeta, sendJson, Version, VersionQuery } from './watson-common.js';

const MESSAGE_BODY_LIMIT = 512 * 1024;
const V1Query = Type.Object({ version: Version, nodes_visited_details: Type.Optional(Type.Boolean()) });
const AssistantParams = Type.Object({ assistant_id: Id, environment_id: Type.Optional(Id) });
const SessionParams = Type.Object({ assistant_id: Id, environment_id: Type.Optional(Id), session_id: Id });
const SessionBody = Type.Union([Type.Object({ analytics: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }), Type.Null()]);

/**
 * v1 and v2 message exchanges. v2 paths exist in two shapes: the classic `/v2/assistants/{id}/…` and the newer
 * `/v2/assistants/{id}/environments/{environment_id}/…` that ibm-watson v8+ calls.
 */
export function messageRoutes(services: Services): FastifyPluginAsync {
  const c = services.conversations;
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'message' as const };

    app.post('/v1/workspaces/:workspace_id/message', {
      config, bodyLimit: MESSAGE_BODY_LIMIT,
      schema: { params: Type.Object({ workspace_id: Id }), querystring: V1Query, body: Type.Optional(V1MessageBodySchema) },
    }, async (req, reply) => {
      const meta = messageMeta(req, req.receivedAt);
      return sendJson(reply, await c.messageV1(meta, req.params.workspace_id, req.body ?? {}, req.query.nodes_visited_details ?? false));
    });

    for (const base of ['/v2/assistants/:assistant_id', '/v2/assistants/:assistant_id/environments/:environment_id']) {
      app.post(`${base}/sessions`, { config, schema: { params: AssistantParams, querystring: VersionQuery, body: Type.Optional(SessionBody) } }, async (req, reply) => {
        const s = await c.createSession(principalOf(req).instanceId, req.params.assistant_id, req.params.environment_id);
        return reply.status(201).send({ session_id: s.sessionId });
      });

      app.delete(`${base}/sessions/:session_id`, { config, schema: { params: SessionParams, querystring: VersionQuery } }, async (req) => {
        await c.deleteSession(principalOf(req).instanceId, req.params.assistant_id, req.params.environment_id, req.params.session_id);
        return {};
      });

      app.post(`${base}/sessions/:session_id/message`, {
        config, bodyLimit: MESSAGE_BODY_LIMIT, schema: { params: SessionParams, querystring: VersionQuery, body: Type.Optional(V2MessageBodySchema) },
      }, async (req, reply) => {
        const meta = messageMeta(req, req.receivedAt);
        const { assistant_id, environment_id, session_id } = req.params;
        return sendJson(reply, await c.messageV2(meta, assistant_id, environment_id, session_id, req.body ?? {}));
      });

      app.post(`${base}/message`, {
        config, bodyLimit: MESSAGE_BODY_LIMIT, schema: { params: AssistantParams, querystring: VersionQuery, body: Type.Optional(V2MessageBodySchema) },
      }, async (req, reply) => {
        const meta = messageMeta(req, req.receivedAt);
        return sendJson(reply, await c.messageV2(meta, req.params.assistant_id, req.params.environment_id, undefined, req.body ?? {}));
      });
    }
  };
}
