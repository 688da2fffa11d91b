import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { BadRequest } from '../../core/errors.js';
import { trainingDataExport, type TrainingDataScope } from '../../core/privacy/training-data-export.js';
import { principalOf } from '../auth.js';

const Query = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')])),
  workspace_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  assistant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  from: Type.Optional(Type.String({ maxLength: 64 })),
  to: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new BadRequest(`${name} must be an ISO 8601 date or date-time, e.g. 2024-05-01T00:00:00Z`);
  return ms;
}

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
      const scope: TrainingDataScope = { instanceId };
      if (q.workspace_id !== undefined) scope.workspaceId = (await services.workspaces.get(instanceId, q.workspace_id)).workspaceId;
      if (q.assistant_id !== undefined) scope.assistantId = (await services.assistants.get(instanceId, q.assistant_id)).assistantId;
      const fromTs = instant(q.from, 'from');
      const toTs = instant(q.to, 'to');
      if (fromTs !== undefined) scope.fromTs = fromTs;
      if (toTs !== undefined) scope.toTs = toTs;
      const format = q.format ?? 'jsonl';
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="training-data.${format}"`)
        .send(Readable.from(trainingDataExport(services.store.trainingData, scope, format)));
    });
  };
}
