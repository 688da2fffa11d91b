import { Type, type Static } from 'typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { checkInstanceWideFilter, MAX_PAGE_LIMIT, parseLogFilter, type LogQuery } from '../../core/logs/log-queries.js';
import type { LogRecord } from '../../model/logs.js';
import { v1LogJson, v2LogJson } from '../../views/watson/logs.js';
import { principalOf } from '../auth.js';
import { Id, Version } from './watson-common.js';

const Paging = {
  version: Version,
  sort: Type.Optional(Type.String({ maxLength: 32 })),
  page_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
};
const LogsQuery = Type.Object({ ...Paging, filter: Type.Optional(Type.String({ maxLength: 4096 })) });
// Watson requires a filter on the instance-wide listing.
const AllLogsQuery = Type.Object({ ...Paging, filter: Type.String({ minLength: 1, maxLength: 4096 }) });
type LogsQueryT = Static<typeof LogsQuery>;

async function logPage(services: Services, req: FastifyRequest, q: LogsQueryT, base: Omit<LogQuery, 'instanceId' | 'filter' | 'sort' | 'pageLimit' | 'cursor'>, format: (l: LogRecord) => unknown) {
  const { page, nextCursor } = await services.logs.query({
    ...base, instanceId: principalOf(req).instanceId, filter: q.filter, sort: q.sort, pageLimit: q.page_limit, cursor: q.cursor,
  });
  const pagination: Record<string, unknown> = {};
  if (nextCursor) {
    const next = new URL(req.url, 'http://localhost');
    next.searchParams.set('cursor', nextCursor);
    pagination.next_url = next.pathname + next.search;
    pagination.next_cursor = nextCursor;
  }
  return { logs: page.logs.map(format), pagination };
}

export function logRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'logs:read' as const };

    app.get('/v1/workspaces/:workspace_id/logs', { config, schema: { params: Type.Object({ workspace_id: Id }), querystring: LogsQuery } }, async (req) =>
      logPage(services, req, req.query, { surface: 'v1', scope: { workspaceId: req.params.workspace_id } }, v1LogJson));

    app.get('/v1/logs', { config, schema: { querystring: AllLogsQuery } }, async (req) => {
      checkInstanceWideFilter(parseLogFilter(req.query.filter, 'v1'));
      return logPage(services, req, req.query, { surface: 'v1', scope: {} }, v1LogJson);
    });

    app.get('/v2/assistants/:assistant_id/logs', { config, schema: { params: Type.Object({ assistant_id: Id }), querystring: LogsQuery } }, async (req) =>
      logPage(services, req, req.query, { surface: 'v2', scope: { assistantId: req.params.assistant_id } }, v2LogJson));
  };
}
