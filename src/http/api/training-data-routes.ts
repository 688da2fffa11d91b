import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { principalOf } from '../auth.js';

const Query = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')])),
  workspace_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  assistant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  from: Type.Optional(Type.String({ maxLength: 64 })),
  to: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

/**
 * Users' utterances with their top intent, for improving a skill; learning opt-outs are honoured. It hands out what
 * users wrote, so it needs the same privilege as reading the logs.
 */
export function trainingDataRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/training-data', { config: { privilege: 'logs:read' }, schema: { querystring: Query } }, async (req, reply) => {
      const instanceId = principalOf(req).instanceId;
      const q = req.query;
      const format = q.format ?? 'jsonl';
      const lines = await services.trainingData.export(instanceId, {
        workspaceId: q.workspace_id, assistantId: q.assistant_id, from: q.from, to: q.to,
      }, format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="training-data.${format}"`)
        .send(Readable.from(lines));
    });
  };
}
