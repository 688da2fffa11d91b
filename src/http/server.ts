import Fastify, {
  LogController,
  type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Services } from '../core/services.js';
import { apiErrorHandler } from './api/api-errors.js';
import { nativeAssistantRoutes } from './api/assistant-routes.js';
import { jobRoutes } from './api/job-routes.js';
import { keyRoutes } from './api/key-routes.js';
import { authorize, secretFromHeader } from './auth.js';
import { assistantRoutes } from './watson/assistant-routes.js';
import { logRoutes } from './watson/log-routes.js';
import { messageRoutes } from './watson/message-routes.js';
import { userDataRoutes } from './watson/user-data-routes.js';
import { watsonErrorHandler } from './watson/watson-errors.js';
import { workspaceRoutes } from './watson/workspace-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived: the instant deletion cutoffs and log timestamps are compared by. */
    receivedAt: number;
  }
}

export interface ServerOptions {
  sessionTimeoutSeconds: number;
  /** Default request body limit; message and workspace routes set their own. */
  bodyLimit?: number;
}

type ErrorHandler = (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

/** An API family: its routes, its error body, and authentication in front of every route that names a privilege. */
function family(services: Services, errorHandler: ErrorHandler, routes: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(errorHandler);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.privilege) await authorize(services.keys, request, secretFromHeader(request.headers.authorization));
    });
    for (const r of routes) await app.register(r);
  };
}

export async function buildServer(services: Services, log: Logger, opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's own request lines carry the URL; ours (onResponse below) carry the route pattern only.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (a measurable cost on the message path); lines carry reqId explicitly.
    childLoggerFactory: (logger) => logger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
  });
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = Date.now();
    done();
  });
  // The route pattern, never the URL: query strings carry customer IDs and filters.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ reqId: request.id, method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const watson = family(services, watsonErrorHandler, [
    workspaceRoutes(services), messageRoutes(services), assistantRoutes(services, opts.sessionTimeoutSeconds),
    logRoutes(services), userDataRoutes(services),
  ]);
  await app.register(watson);
  await app.register(watson, { prefix: '/instances/:instance_id' });
  await app.register(family(services, apiErrorHandler, [keyRoutes(services), nativeAssistantRoutes(services), jobRoutes(services)]), { prefix: '/api/v1' });

  app.setNotFoundHandler((request, reply) => {
    const message = `Resource not found: ${request.method} ${request.url.split('?')[0]}`;
    if (request.url.startsWith('/api/')) return reply.status(404).send({ error: { code: 'not_found', message } });
    return reply.status(404).send({ error: message, code: 404 });
  });
  app.setErrorHandler(watsonErrorHandler);
  return app;
}
