import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { environmentJson, environments, watsonAssistantJson } from '../../views/watson/assistants.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';
import { listPagination, ListQuery, parseListQuery } from './list-paging.js';
import { Id, VersionQuery } from './watson-common.js';

const Text = (max: number) => Type.String({ maxLength: max, pattern: '^[^\\r\\n\\t]*$' });
const CreateBody = Type.Object({
  name: Type.Optional(Text(100)), description: Type.Optional(Text(200)),
  language: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2}(-[a-zA-Z]{2,4})?$' })),
});
const AssistantParams = Type.Object({ assistant_id: Id });

/** The v2 assistant and environment catalogue the SDK reads; binding a skill is done through Lethe's own API or CLI. */
export function assistantRoutes(services: Services, sessionTimeoutSeconds: number): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { privilege: 'workspaces:read' as const };
    const write = { privilege: 'workspaces:write' as const };

    app.post('/v2/assistants', { config: write, schema: { querystring: VersionQuery, body: CreateBody } }, async (req, reply) => {
      const a = await services.assistants.create(principalOf(req).instanceId, req.body, actorOf(req));
      return reply.status(201).send(watsonAssistantJson(a));
    });

    app.get('/v2/assistants', { config: read, schema: { querystring: ListQuery } }, async (req) => {
      const q = parseListQuery(req.query);
      const page = await services.assistants.list(principalOf(req).instanceId, q);
      return { assistants: page.items.map(watsonAssistantJson), pagination: listPagination(req.url, q, page) };
    });

    app.delete('/v2/assistants/:assistant_id', { config: write, schema: { params: AssistantParams, querystring: VersionQuery } }, async (req) => {
      await services.assistants.delete(principalOf(req).instanceId, req.params.assistant_id, actorOf(req));
      return {};
    });

    app.get('/v2/assistants/:assistant_id/environments', { config: read, schema: { params: AssistantParams, querystring: ListQuery } }, async (req) => {
      const a = await services.assistants.get(principalOf(req).instanceId, req.params.assistant_id);
      const envs = environments(a).map((e) => environmentJson(a, e, sessionTimeoutSeconds));
      return { environments: envs, pagination: { refresh_url: req.url } };
    });

    app.get('/v2/assistants/:assistant_id/environments/:environment_id', {
      config: read, schema: { params: Type.Object({ assistant_id: Id, environment_id: Id }), querystring: VersionQuery },
    }, async (req) => {
      const a = await services.assistants.resolve(principalOf(req).instanceId, req.params.assistant_id, req.params.environment_id);
      const env = environments(a).find((e) => e.environment_id === req.params.environment_id) ?? environments(a)[0]!;
      return environmentJson(a, env, sessionTimeoutSeconds);
    });
  };
}
