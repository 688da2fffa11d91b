import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { MAX_PAGE_LIMIT } from '../../core/logs/log-queries.js';
import { principalOf } from '../auth.js';
import { logRowJson } from '../../views/api/log-rows.js';

const Query = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 4096 })),
  sort: Type.Optional(Type.String({ maxLength: 32 })),
  page_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
}, { additionalProperties: false });

/**
 * `GET /logs`: the instance's logs as flat rows, with the labels Watson's log shapes leave out (customer IDs, user ID,
 * conversation) and the answer's review. Same filter language (every v1 and v2 field name), sort and cursors as `GET /v1/logs`, but without Watson's
 * rule that the filter name a language and a workspace, so "everything" is simply no filter.
 */
export function logExplorerRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/logs', { config: { privilege: 'logs:read' }, schema: { querystring: Query } }, async (req) => {
      const q = req.query;
      const { instanceId } = principalOf(req);
      const { page, nextCursor } = await services.logs.query({
        instanceId, surface: 'any', scope: {}, filter: q.filter, sort: q.sort, pageLimit: q.page_limit, cursor: q.cursor,
      });
      const reviews = new Map((await services.metrics.annotations(instanceId, page.logs.map((l) => l.logId))).map((a) => [a.logId, a]));
      return { logs: page.logs.map((l) => logRowJson(l, reviews.get(l.logId))), next_cursor: nextCursor ?? null };
    });
  };
}
