import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { principalOf } from '../auth.js';

const Range = {
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  assistant_id: Type.Optional(Type.String({ maxLength: 128 })),
  deployment: Type.Optional(Type.String({ maxLength: 128 })),
};
const OverviewQuery = Type.Object({ ...Range, coverage_threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) }, { additionalProperties: false });
const RangeQuery = Type.Object(Range, { additionalProperties: false });

/** Live metrics over the pre-computed aggregates (README "Metrics"), and effectiveness from annotations. */
export function metricsRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'logs:read' as const };

    app.get('/metrics/overview', { config, schema: { querystring: OverviewQuery } }, async (req) => services.metrics.overview({
      instanceId: principalOf(req).instanceId, from: req.query.from, to: req.query.to, assistantId: req.query.assistant_id,
      deployment: req.query.deployment, coverageThreshold: req.query.coverage_threshold,
    }, req.receivedAt));

    app.get('/metrics/effectiveness', { config, schema: { querystring: RangeQuery } }, async (req) => services.metrics.effectiveness({
      instanceId: principalOf(req).instanceId, from: req.query.from, to: req.query.to, assistantId: req.query.assistant_id, deployment: req.query.deployment,
    }, req.receivedAt));
  };
}
