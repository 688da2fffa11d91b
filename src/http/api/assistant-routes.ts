import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { assistantJson } from '../../views/api/assistants.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

const Text = (max: number) => Type.String({ maxLength: max, pattern: '^[^\\r\\n\\t]*$' });
const Body = Type.Object({
  name: Type.Optional(Text(100)),
  description: Type.Optional(Text(200)),
  workspace_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
}, { additionalProperties: false });
const Params = Type.Object({ assistant_id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Assistants and the dialog skill (workspace) each one answers with: the binding Watson's v2 API cannot express. */
export function nativeAssistantRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { privilege: 'workspaces:read' as const };
    const write = { privilege: 'workspaces:write' as const };
    const instance = (req: Parameters<typeof principalOf>[0]) => principalOf(req).instanceId;

    app.post('/assistants', { config: write, schema: { body: Body } }, async (req, reply) => {
      const a = await services.assistants.create(instance(req), { ...req.body, workspaceId: req.body.workspace_id }, actorOf(req));
      return reply.status(201).send(assistantJson(a));
    });
    app.get('/assistants', { config: read }, async (req) => {
      const page = await services.assistants.list(instance(req), { sort: 'name', descending: false, offset: 0, limit: 1000 });
      return { assistants: page.items.map(assistantJson) };
    });
    app.get('/assistants/:assistant_id', { config: read, schema: { params: Params } }, async (req) =>
      assistantJson(await services.assistants.get(instance(req), req.params.assistant_id)));
    app.patch('/assistants/:assistant_id', { config: write, schema: { params: Params, body: Body } }, async (req) =>
      assistantJson(await services.assistants.update(instance(req), req.params.assistant_id, { ...req.body, workspaceId: req.body.workspace_id }, actorOf(req))));
    app.delete('/assistants/:assistant_id', { config: write, schema: { params: Params } }, async (req, reply) => {
      await services.assistants.delete(instance(req), req.params.assistant_id, actorOf(req));
      return reply.status(204).send();
    });
  };
}
