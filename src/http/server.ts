import Fastify, {
  LogController,
  type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Services } from '../core/services.js';
import { readConfig, type ClientTimeouts } from '../config.js';
import cors from '@fastify/cors';
import { BadRequest } from '../model/errors.js';
import { apiErrorHandler } from './api/api-errors.js';
import { auditRoutes } from './api/audit-routes.js';
import { settingsRoutes } from './api/settings-routes.js';
import { exportShareRoutes, sharedExportRoute } from './api/export-share-routes.js';
import { exportRoutes } from './coveo/export-routes.js';
import { coveoErrorHandler } from './coveo/coveo-errors.js';
import { acceptBeaconForms, coveoSecret, keyOnlyInBody } from './coveo/coveo-transport.js';
import { analyticsReadRoutes } from './coveo/read-routes.js';
import { analyticsWriteRoutes } from './coveo/write-routes.js';
import { nativeAssistantRoutes } from './api/assistant-routes.js';
import { jobRoutes } from './api/job-routes.js';
import { subjectRoutes } from './api/subject-routes.js';
import { keyRoutes, whoamiRoute } from './api/key-routes.js';
import { piiReportRoutes } from './api/pii-report-routes.js';
import { redactionRoutes } from './api/redaction-routes.js';
import { trainingDataRoutes } from './api/training-data-routes.js';
import { retentionRoutes } from './api/retention-routes.js';
import { webhookRoutes } from './api/webhook-routes.js';
import { metricsRoutes } from './api/metrics-routes.js';
import { annotationRoutes } from './api/annotation-routes.js';
import { logExportRoutes } from './api/log-export-routes.js';
import { authorize, secretFromHeader } from './auth.js';
import { assistantRoutes } from './watson/assistant-routes.js';
import { logRoutes } from './watson/log-routes.js';
import { messageRoutes } from './watson/message-routes.js';
import { userDataRoutes } from './watson/user-data-routes.js';
import { watsonErrorHandler } from './watson/watson-errors.js';
import { workspaceRoutes } from './watson/workspace-routes.js';
import { registerDashboard } from './dashboard.js';
import { logExplorerRoutes } from './api/log-explorer-routes.js';
import { registerRateLimit } from './rate-limit.js';
import { recordRoutes } from './route-table.js';
import { limitJsonDepth } from './json-depth.js';
import { linkBase } from './public-url.js';
import { answerClientError, answeredBeforeBody } from './client-errors.js';
import { limitConnections } from './connection-limits.js';

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
  /** Requests a minute per API key (per client address without one); 0 or absent: unlimited. */
  rateLimitPerMinute?: number;
  /** LETHE_PUBLIC_URL: the base of the links handed out; absent, the address the server listens on. */
  publicUrl?: string;
  /** How long a client may take (absent: the documented defaults, config.ts). */
  clientTimeouts?: ClientTimeouts;
  /** Open connections per client address and in all; 0: no cap (absent: the documented defaults). */
  maxConnectionsPerClient?: number;
  maxConnections?: number;
}

/** Requests slower than this are logged at info even when they succeed. */
const SLOW_REQUEST_MS = 1000;
/** A path parameter holding the longest identifier (256 code points), each of 4 UTF-8 bytes percent-encoded. */
const MAX_PARAM_LENGTH = 256 * 4 * 3;

/** The error handler of the API family a path belongs to, for errors raised before any route is found. */
function errorHandlerOf(url: string): ErrorHandler {
  if (url.startsWith('/api/')) return apiErrorHandler;
  return url.startsWith('/rest/') ? coveoErrorHandler : watsonErrorHandler;
}

/** Whether the query string is percent-encoded UTF-8; a malformed one is refused rather than read as literal text. */
function wellFormedQuery(url: string): boolean {
  const start = url.indexOf('?');
  if (start < 0) return true;
  try {
    decodeURIComponent(url.slice(start + 1));
    return true;
  } catch {
    return false;
  }
}

type ErrorHandler = (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

interface Family {
  errorHandler: ErrorHandler;
  routes: FastifyPluginAsync[];
  /** Where the API key travels. */
  secret?: (request: FastifyRequest) => string | undefined;
  /**
   * Whether this request's key can only be in its body (Coveo's beacon form), so that authentication waits for the
   * body; every other request is authenticated before a byte of its body is read.
   */
  keyInBody?: (request: FastifyRequest) => boolean;
  setup?: (app: FastifyInstance) => Promise<void> | void;
}

/** An API family: its routes, its error body, and authentication in front of every route that names a privilege. */
function family(services: Services, f: Family): FastifyPluginAsync {
  const secret = f.secret ?? ((request: FastifyRequest) => secretFromHeader(request.headers.authorization));
  return async (app) => {
    app.setErrorHandler(f.errorHandler);
    await f.setup?.(app);
    // Attached to each route that names a privilege, when it is added: public routes skip the hooks altogether, and
    // the privilege is not looked up again per request (request.routeOptions builds a fresh object on every read).
    const { keyInBody } = f;
    app.addHook('onRoute', (route) => {
      const privilege = route.config?.privilege;
      if (!privilege) return;
      const check = (request: FastifyRequest) => authorize(services.keys, request, secret(request), privilege);
      const early = keyInBody ? async (request: FastifyRequest) => { if (!keyInBody(request)) await check(request); } : check;
      route.onRequest = [...[route.onRequest ?? []].flat(), early] as typeof route.onRequest;
      if (keyInBody) {
        const late = async (request: FastifyRequest) => { if (!request.principal) await check(request); };
        route.preValidation = [...[route.preValidation ?? []].flat(), late] as typeof route.preValidation;
      }
    });
    for (const r of f.routes) await app.register(r);
  };
}

export async function buildServer(services: Services, log: Logger, opts: ServerOptions): Promise<FastifyInstance> {
  const defaults = readConfig({});
  const timeouts = opts.clientTimeouts ?? defaults.clientTimeouts;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's own request lines carry the URL; ours (onResponse below) carry the route pattern only.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (a measurable cost on the message path); lines carry reqId explicitly.
    childLoggerFactory: (logger) => logger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
    // A slow client is cut off (answered 408) within these bounds; Node checks them every `connectionsCheckingInterval`,
    // 30 s by default, which would let a 10 s bound run to 40 s.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(timeouts.headersMs / 4)) },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
    clientErrorHandler: answerClientError,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A path that is not percent-encoded UTF-8, or with a part longer than any identifier, in the family's format.
    // Its own message: Fastify's would echo the path, which may hold an identifier.
    frameworkErrors: (err, request, reply) => errorHandlerOf(request.url)(
      Object.assign(err, { statusCode: 400, message: `The path must be percent-encoded UTF-8, each part of it at most ${MAX_PARAM_LENGTH} characters` }), request, reply,
    ),
  });
  limitConnections(app.server, opts.maxConnectionsPerClient ?? defaults.maxConnectionsPerClient, opts.maxConnections ?? defaults.maxConnections);
  recordRoutes(app);
  limitJsonDepth(app);
  app.decorateRequest('receivedAt', 0);
  const links = linkBase(app, opts.publicUrl);
  await registerRateLimit(app, services.keys, opts.rateLimitPerMinute ?? 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = Date.now();
    done(wellFormedQuery(request.url) ? undefined : new BadRequest('The query string must be percent-encoded UTF-8 (write a literal % as %25)'));
  });
  // Ajv coerces a query value such as "1e999" to Infinity and then lets it past `maximum`; no route wants one.
  app.addHook('preHandler', (request, _reply, done) => {
    const query = request.query as Record<string, unknown> | undefined;
    const infinite = query && Object.entries(query).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    done(infinite ? new BadRequest(`${infinite[0]} must be a finite number`) : undefined);
  });
  // Access lines: failed (4xx/5xx) and slow requests at info, every other request at debug only, so the message path
  // does not pay for a log line per message in production. The route pattern, never the URL: query strings carry
  // customer IDs and filters.
  const everyRequest = log.isLevelEnabled('debug');
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.raw.complete) answeredBeforeBody(request.raw);
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime);
    const notable = status >= 400 || ms >= SLOW_REQUEST_MS;
    if (notable || everyRequest) {
      request.log[notable ? 'info' : 'debug']({ reqId: request.id, method: request.method, route: request.routeOptions.url ?? 'unmatched', status, ms }, 'request');
    }
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const watson = family(services, {
    errorHandler: watsonErrorHandler,
    routes: [workspaceRoutes(services), messageRoutes(services), assistantRoutes(services, opts.sessionTimeoutSeconds), logRoutes(services), userDataRoutes(services)],
  });
  await app.register(watson);
  await app.register(watson, { prefix: '/instances/:instance_id' });
  await app.register(family(services, {
    errorHandler: apiErrorHandler,
    routes: [keyRoutes(services), nativeAssistantRoutes(services), jobRoutes(services), subjectRoutes(services), settingsRoutes(services), exportShareRoutes(services, links), auditRoutes(services),
      retentionRoutes(services), webhookRoutes(services), metricsRoutes(services), annotationRoutes(services), logExportRoutes(services)],
  }), { prefix: '/api/v1' });
  await app.register(family(services, {
    errorHandler: apiErrorHandler,
    routes: [redactionRoutes(services), piiReportRoutes(services), trainingDataRoutes(services)],
  }), { prefix: '/api/v1' });
  // What the dashboard reads: the caller's own key, and logs as flat rows.
  await app.register(family(services, { errorHandler: apiErrorHandler, routes: [whoamiRoute(services), logExplorerRoutes(services)] }), { prefix: '/api/v1' });
  await app.register(family(services, {
    errorHandler: coveoErrorHandler,
    routes: [analyticsWriteRoutes(services), analyticsReadRoutes(services), exportRoutes(services, links)],
    secret: coveoSecret,
    keyInBody: keyOnlyInBody,
    setup: async (scope) => {
      acceptBeaconForms(scope);
      // Browsers call the UA API cross-origin with credentials: reflect the origin rather than answer "*".
      await scope.register(cors, { origin: true, credentials: true, methods: ['GET', 'POST', 'DELETE'], allowedHeaders: ['authorization', 'content-type'] });
    },
  }), { prefix: '/rest' });

  await app.register(family(services, { errorHandler: apiErrorHandler, routes: [sharedExportRoute(services)] }));

  await registerDashboard(app);

  app.setNotFoundHandler((request, reply) => {
    const message = `Resource not found: ${request.method} ${request.url.split('?')[0]}`;
    if (request.url.startsWith('/api/')) return reply.status(404).send({ error: { code: 'not_found', message } });
    if (request.url.startsWith('/rest/')) return reply.status(404).send({ message, type: 'NotFound' });
    return reply.status(404).send({ error: message, code: 404 });
  });
  app.setErrorHandler(watsonErrorHandler);
  return app;
}
