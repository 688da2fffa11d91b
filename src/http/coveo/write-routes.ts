import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import {
  ClickEventSchema, CollectEventSchema, CustomEventSchema, ProtocolBatchSchema, SearchBatchSchema, SearchEventSchema, ViewEventSchema,
} from '../../core/analytics/event-schemas.js';
import { recordProtocolEvents } from '../../core/analytics/protocol-events.js';
import { eventContext } from './coveo-transport.js';

const EVENT_BODY_LIMIT = 256 * 1024;
const VisitorQuery = Type.Object({
  org: Type.Optional(Type.String({ maxLength: 128 })),
  visitor: Type.Optional(Type.String({ maxLength: 256 })),
  visitorId: Type.Optional(Type.String({ maxLength: 256 })),
  prioritizeVisitorParameter: Type.Optional(Type.Boolean()),
  access_token: Type.Optional(Type.String({ maxLength: 512 })),
  discardVisitInfo: Type.Optional(Type.Boolean()),
});
const config = { privilege: 'analytics:write' as const };

/** The UA Write API v15 at both `/rest/ua/v15/analytics/…` and `/rest/v15/analytics/…`, and the Event Protocol. */
export function analyticsWriteRoutes(services: Services): FastifyPluginAsync {
  const a = services.analytics;
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const base of ['/ua/v15/analytics', '/v15/analytics']) {
      const single = { search: SearchEventSchema, click: ClickEventSchema, custom: CustomEventSchema, view: ViewEventSchema } as const;
      for (const [type, schema] of Object.entries(single)) {
        app.post(`${base}/${type}`, { config, bodyLimit: EVENT_BODY_LIMIT, schema: { querystring: VisitorQuery, body: schema } }, async (req) =>
          a.record(eventContext(req), type, req.body as Record<string, unknown>));
      }
      app.post(`${base}/searches`, { config, bodyLimit: EVENT_BODY_LIMIT, schema: { querystring: VisitorQuery, body: SearchBatchSchema } }, async (req) =>
        a.recordSearches(eventContext(req), req.body as Record<string, unknown>[]));
      app.post(`${base}/collect`, { config, bodyLimit: EVENT_BODY_LIMIT, schema: { querystring: VisitorQuery, body: CollectEventSchema } }, async (req) => {
        // Measurement-protocol keys: cid is the client (visitor) ID and uid the user.
        const hit = req.body as Record<string, unknown>;
        await a.record(eventContext(req), 'collect', { ...hit, clientId: hit.cid, username: hit.uid });
        return {};
      });
      app.get(`${base}/visit`, { config, schema: { querystring: VisitorQuery } }, async (req) => {
        const receipt = await a.visit(eventContext(req));
        return { id: receipt.visitId, visitorId: receipt.visitorId, clientId: receipt.clientId };
      });
      app.delete(`${base}/visit`, { config, schema: { querystring: VisitorQuery } }, async (_req, reply) =>
        reply.header('set-cookie', 'visitor=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax').send({}));
      app.get(`${base}/monitoring/health`, async () => ({ status: 'UP' }));
      app.get(`${base}/status`, async () => ({ status: 'online' }));
    }

    app.post('/organizations/:org/events/v1', {
      config, bodyLimit: EVENT_BODY_LIMIT,
      schema: { params: Type.Object({ org: Type.String({ maxLength: 128 }) }), body: ProtocolBatchSchema },
    }, async (req) => ({ events: await recordProtocolEvents(a, eventContext(req), req.body) }));
  };
}
