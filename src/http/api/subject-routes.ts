import { Readable } from 'node:stream';
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { jobJson } from '../../views/api/jobs.js';
import { subjectLookupJson } from '../../views/api/subjects.js';
import { accessDocument, archive, documentHead } from '../../views/api/subject-documents.js';
import type { Services } from '../../core/services.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

/** A person is named in the body, never in the URL: URLs end up in access logs and browser history. */
const SubjectBody = Type.Object({
  kind: Type.Union([Type.Literal('customer_id'), Type.Literal('user_id'), Type.Literal('visitor_id')]),
  value: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
type SubjectBodyT = Static<typeof SubjectBody>;

/** The data-subject request API: find, access, export (archive) and delete one person's data. */
export function subjectRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { config: { privilege: 'user_data:read' as const }, schema: { body: SubjectBody } };
    const readOut = async (req: FastifyRequest<{ Body: SubjectBodyT }>, right: 'access' | 'export') => {
      const { instanceId } = principalOf(req);
      const { lookup, sections } = await services.subjectData.readOut(instanceId, req.body, actorOf(req), right);
      return { head: documentHead(lookup, instanceId), sections };
    };

    app.post('/subjects/find', read, async (req) => {
      return subjectLookupJson(await services.subjectData.find(principalOf(req).instanceId, req.body, actorOf(req)));
    });
    app.post('/subjects/access', read, async (req, reply) => {
      const { head, sections } = await readOut(req, 'access');
      return reply.type('application/json; charset=utf-8').send(Readable.from(accessDocument(head, sections)));
    });
    app.post('/subjects/export', read, async (req, reply) => {
      const { head, sections } = await readOut(req, 'export');
      return reply.type('application/zip')
        .header('content-disposition', `attachment; filename="lethe-subject-${head.subject.hash.slice(0, 12)}.zip"`)
        .send(Readable.from(archive(head, sections)));
    });
    app.post('/subjects/delete', { config: { privilege: 'user_data:delete' }, schema: { body: SubjectBody } }, async (req, reply) => {
      const job = await services.deletions.request(principalOf(req).instanceId, req.body, actorOf(req), req.receivedAt);
      return reply.status(202).header('location', `/api/v1/jobs/${job.jobId}`).send(jobJson(job));
    });
  };
}
