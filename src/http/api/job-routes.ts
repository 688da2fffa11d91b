import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import type { DeletionJobRecord } from '../../store/records.js';
import { principalOf } from '../auth.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job as its requester sees it: a receipt naming the subject only by its keyed hash. */
export function jobJson(j: DeletionJobRecord) {
  return {
    job_id: j.jobId, type: 'delete_subject', status: j.status, subject: { kind: j.subjectKind, hash: j.subjectHash },
    cutoff: iso(j.cutoffTs), created: iso(j.createdAt), started: iso(j.startedAt), completed: iso(j.finishedAt),
    verified: iso(j.verifiedAt), attempts: j.attempts, deleted: { logs: j.deletedLogs, sessions: j.deletedSessions, events: j.deletedEvents },
    error: j.error,
  };
}

export function jobRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'user_data:delete' as const };
    app.get('/jobs', { config, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } }, async (req) =>
      ({ jobs: (await services.deletions.list(principalOf(req).instanceId, req.query.limit ?? 100)).map(jobJson) }));
    app.get('/jobs/:job_id', { config, schema: { params: Type.Object({ job_id: Type.String({ maxLength: 64 }) }) } }, async (req) =>
      jobJson(await services.deletions.get(req.params.job_id, principalOf(req).instanceId)));
  };
}
