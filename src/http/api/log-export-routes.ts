import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { principalOf } from '../auth.js';

const Query = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 4096 })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')])),
  assistant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  workspace_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
}, { additionalProperties: false });

/**
 * The file's text, its first page read before the answer starts: a filter that runs past the query budget is then a
 * 503 in this API's error format instead of an empty file. (A later page past it cuts the transfer short.)
 */
async function texts(chunks: AsyncGenerator<{ text: string; logs: number }>): Promise<AsyncGenerator<string>> {
  const head: string[] = [];
  let next = await chunks.next();
  for (; !next.done; next = await chunks.next()) {
    head.push(next.value.text);
    if (next.value.logs > 0) break;
  }
  const ended = next.done === true;
  return (async function* () {
    yield* head;
    if (ended) return;
    for await (const c of chunks) yield c.text;
  })();
}

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

/**
 * Every log matching a Watson filter, as one streamed file. Pages are read only as fast as the client takes them
 * (the stream's backpressure), so memory stays at one page whatever the size.
 */
export function logExportRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/logs/export', { config: { privilege: 'logs:read' }, schema: { querystring: Query } }, async (req, reply) => {
      const format = req.query.format ?? 'csv';
      const scope = {
        ...(req.query.assistant_id ? { assistantId: req.query.assistant_id } : {}),
        ...(req.query.workspace_id ? { workspaceId: req.query.workspace_id } : {}),
      };
      const file = services.logs.export({ instanceId: principalOf(req).instanceId, surface: 'any', filter: req.query.filter, scope, format });
      const body = Readable.from(await texts(file.chunks()));
      return reply.type(CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="logs.${format}"`).send(body);
    });
  };
}
