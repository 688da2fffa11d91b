import { Type, type Static } from 'typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BadRequest } from '../../model/errors.js';
import type { Services } from '../../core/services.js';
import type { ExportRecord, ExportRequest } from '../../model/exports.js';
import { exportJson } from '../../views/coveo/exports.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';
import type { LinkBase } from '../public-url.js';

const Filters = Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 20 }));
const Format = Type.Optional(Type.Union(['EXCEL', 'NO_NEWLINE', 'CSV', 'JSON'].map((f) => Type.Literal(f))));
const Tables = Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 }));
const CreateQuery = Type.Object({
  org: Type.Optional(Type.String({ maxLength: 128 })),
  from: Type.String({ maxLength: 40 }), to: Type.String({ maxLength: 40 }),
  f: Filters, fs: Filters, fc: Filters, tables: Tables, format: Format,
  d: Type.Optional(Type.String({ maxLength: 1024 })), filename: Type.Optional(Type.String({ maxLength: 256 })),
  dimensions: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))), useDisplayNames: Type.Optional(Type.Boolean()),
});
const CreateBody = Type.Object({
  from: Type.String({ maxLength: 40 }), to: Type.String({ maxLength: 40 }),
  commonFilters: Filters, searchesFilters: Filters, customEventsFilters: Filters, tables: Tables, exportFormat: Format,
  description: Type.Optional(Type.String({ maxLength: 1024 })), filename: Type.Optional(Type.String({ maxLength: 256 })),
  dimensions: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))), useDisplayNames: Type.Optional(Type.Boolean()),
}, { additionalProperties: true });
const IdParams = Type.Object({ exportId: Type.String({ maxLength: 64 }) });
const OrgQuery = Type.Object({ org: Type.Optional(Type.String({ maxLength: 128 })), redirect: Type.Optional(Type.Boolean()) });

function instant(value: string, name: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new BadRequest(`${name} must be an ISO 8601 date-time such as 2026-01-31T00:00:00.000Z`, 'InvalidParameter');
  return ms;
}

function exportRequest(from: string, to: string, f: string[] = [], fs: string[] = [], fc: string[] = [], tables?: string[], format?: string): ExportRequest {
  return {
    fromTs: instant(from, 'from'), toTs: instant(to, 'to'), filters: { f, fs, fc },
    tables: tables?.length ? tables : ['ALL_EVENTS'], format: format === 'JSON' ? 'JSON' : 'CSV',
  };
}

const fileUrl = (links: LinkBase, id: string) => `${links()}/rest/ua/v15/exports/${id}/file`;
const exported = (links: LinkBase, e: ExportRecord) => exportJson(e, fileUrl(links, e.exportId));

export function sendFile(reply: FastifyReply, e: ExportRecord, content: Buffer) {
  const ext = e.request.format === 'JSON' ? 'json' : 'csv';
  return reply.type(ext === 'json' ? 'application/json' : 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="export-${e.exportId}.${ext}"`)
    .header('cache-control', 'no-store').send(content);
}

/** Coveo's Exports API (the Data exports privilege): create, follow, review (download) and delete. */
export function exportRoutes(services: Services, links: LinkBase): FastifyPluginAsync {
  const x = services.exports;
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'analytics:exports' as const };
    const created = async (req: FastifyRequest, reply: FastifyReply, request: ExportRequest, description: string) => {
      const p = principalOf(req);
      return reply.status(201).send(exported(links, await x.create(p.instanceId, p.keyId, request, description, actorOf(req))));
    };
    for (const base of ['/ua/v15/exports', '/v15/exports']) {
      app.post(base, { config, schema: { querystring: CreateQuery } }, async (req, reply) => {
        const q: Static<typeof CreateQuery> = req.query;
        return created(req, reply, exportRequest(q.from, q.to, q.f, q.fs, q.fc, q.tables, q.format), q.d ?? '');
      });
      app.post(`${base}/create`, { config, schema: { body: CreateBody } }, async (req, reply) => {
        const b = req.body;
        return created(req, reply, exportRequest(b.from, b.to, b.commonFilters, b.searchesFilters, b.customEventsFilters, b.tables, b.exportFormat), b.description ?? '');
      });
      app.get(base, { config }, async (req) => (await x.list(principalOf(req).instanceId)).map((e) => exported(links, e)));
      app.get(`${base}/:exportId`, { config, schema: { params: IdParams, querystring: OrgQuery } }, async (req, reply) => {
        const e = await x.get(principalOf(req).instanceId, req.params.exportId);
        if (req.query.redirect && e.status === 'AVAILABLE') return reply.redirect(fileUrl(links, e.exportId), 303);
        return exported(links, e);
      });
      app.get(`${base}/:exportId/downloadlink`, { config, schema: { params: IdParams } }, async (req) => {
        const e = await x.get(principalOf(req).instanceId, req.params.exportId);
        return { id: e.exportId, ...(e.status === 'AVAILABLE' ? { downloadLink: fileUrl(links, e.exportId) } : {}) };
      });
      app.get(`${base}/:exportId/file`, { config, schema: { params: IdParams } }, async (req, reply) => {
        const { record, content } = await x.file(principalOf(req).instanceId, req.params.exportId, actorOf(req));
        return sendFile(reply, record, content);
      });
      app.delete(`${base}/:exportId`, { config, schema: { params: IdParams } }, async (req, reply) => {
        await x.delete(principalOf(req).instanceId, req.params.exportId, actorOf(req));
        return reply.status(204).send();
      });
    }
  };
}
