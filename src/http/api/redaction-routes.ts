import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { PII_KINDS, type PiiKind } from '../../model/redaction.js';
import { redactionJson } from '../../views/api/redaction.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

const On = Type.Optional(Type.Boolean());
const Detectors = Type.Object(
  { email: On, phone: On, card: On, iban: On, ssn: On, ip: On } satisfies Record<PiiKind, unknown>,
  // propertyNames rather than additionalProperties: Fastify's validator drops unknown properties silently, and a
  // misspelt detector must be an error, not a no-op.
  { minProperties: 1, propertyNames: { enum: [...PII_KINDS] } },
);
const Body = Type.Object({ detectors: Detectors }, { additionalProperties: false });

/** Which detectors redact the instance's ingested messages and events; admin only. */
export function redactionRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };
    app.get('/redaction', { config }, async (req) => redactionJson(await services.redaction.get(principalOf(req).instanceId)));
    // Detectors left out of the body keep their current state.
    app.put('/redaction', { config, schema: { body: Body } }, async (req) => {
      const instanceId = principalOf(req).instanceId;
      const current = await services.redaction.get(instanceId);
      const asked: Partial<Record<PiiKind, boolean>> = req.body.detectors;
      const enabled = PII_KINDS.filter((k) => asked[k] ?? current.detectors.includes(k));
      return redactionJson(await services.redaction.set(instanceId, enabled, actorOf(req)));
    });
  };
}
