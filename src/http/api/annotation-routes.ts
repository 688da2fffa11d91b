import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { ROOT_CAUSES } from '../../model/annotations.js';
import { principalOf } from '../auth.js';
import { annotationJson } from '../../views/api/annotations.js';

const Params = Type.Object({ log_id: Type.String({ minLength: 1, maxLength: 128 }) });
const Body = Type.Object({
  verdict: Type.Union([Type.Literal('correct'), Type.Literal('incorrect')]),
  root_cause: Type.Optional(Type.Union([...ROOT_CAUSES.map((c) => Type.Literal(c)), Type.Null()])),
  corrected_intent: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
}, { additionalProperties: false });

/**
 * The Effectiveness workflow without a spreadsheet: a reviewer marks a logged answer correct or incorrect, with the
 * root cause and the intent it should have been. One annotation per log; posting again replaces it.
 */
export function annotationRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'logs:read' as const };

    // Reading logs does not let a key change what reviewers concluded about them.
    app.post('/logs/:log_id/annotations', { config: { privilege: 'logs:annotate' }, schema: { params: Params, body: Body } }, async (req, reply) => {
      const principal = principalOf(req);
      const { annotation, created } = await services.metrics.annotate(principal.instanceId, req.params.log_id, {
        verdict: req.body.verdict, rootCause: req.body.root_cause ?? null, correctedIntent: req.body.corrected_intent ?? null,
        note: req.body.note ?? null, author: principal.keyId,
      }, req.receivedAt);
      return reply.status(created ? 201 : 200).send(annotationJson(annotation));
    });

    app.get('/logs/:log_id/annotations', { config, schema: { params: Params } }, async (req) =>
      ({ annotations: (await services.metrics.annotations(principalOf(req).instanceId, [req.params.log_id])).map(annotationJson) }));
  };
}
