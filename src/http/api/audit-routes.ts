import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuditEntryRecord, AuditVerification } from '../../model/audit.js';
import { parseExpectedHead } from '../../core/audit/expected-head.js';
import type { Services } from '../../core/services.js';
import { principalOf } from '../auth.js';

export function auditEntryJson(e: AuditEntryRecord) {
  return {
    seq: e.seq, entry_id: e.entryId, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, target: e.target,
    details: e.details, prev_hash: e.prevHash, hash: e.hash,
  };
}

/** `anchor` is what an operator records elsewhere and later passes as the expected head. */
export function auditHeadJson(instanceId: string, head: { seq: number; hash: string; at?: number | null }) {
  return {
    instance_id: instanceId, seq: head.seq, hash: head.hash, anchor: `${head.seq}:${head.hash}`,
    ...(head.at !== undefined ? { at: head.at === null ? null : new Date(head.at).toISOString() } : {}),
  };
}

export function auditVerificationJson(v: AuditVerification) {
  return {
    instance_id: v.instanceId, ok: v.ok, entries: v.entries,
    // When broken: the last intact entry, up to which the chain can still be trusted.
    head: { seq: v.head.seq, hash: v.head.hash, anchor: `${v.head.seq}:${v.head.hash}` },
    broken: v.broken && { seq: v.broken.seq, entry_id: v.broken.entryId, problem: v.broken.problem, message: v.broken.message },
  };
}

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
      const page = await services.audit.list(principalOf(req).instanceId, { beforeSeq: req.query.before, limit: req.query.limit ?? 100 });
      return { entries: page.entries.map(auditEntryJson), next_before: page.next };
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
