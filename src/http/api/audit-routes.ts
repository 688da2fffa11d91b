import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseExpectedHead } from '../../core/audit/expected-head.js';
import type { Services } from '../../core/services.js';
import { auditHeadJson, auditPageJson, auditVerificationJson } from '../../views/api/audit.js';
import { principalOf } from '../auth.js';

const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  /** `next_before` of the previous page. */
  before: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });
const VerifyQuery = Type.Object({ expect_head: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });

/** The caller's own instance's audit trail, newest first, its head and its verification; admin only. */
export function auditRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };

    app.get('/audit', { config, schema: { querystring: ListQuery } }, async (req) => {
      return auditPageJson(await services.audit.list(principalOf(req).instanceId, { beforeSeq: req.query.before, limit: req.query.limit ?? 100 }));
    });
    app.get('/audit/head', { config }, async (req) => {
      const instanceId = principalOf(req).instanceId;
      return auditHeadJson(instanceId, await services.audit.head(instanceId));
    });
    app.get('/audit/verify', { config, schema: { querystring: VerifyQuery } }, async (req) => {
      const expected = req.query.expect_head === undefined ? undefined : parseExpectedHead(req.query.expect_head);
      return auditVerificationJson(await services.audit.verify(principalOf(req).instanceId, expected));
    });
  };
}
