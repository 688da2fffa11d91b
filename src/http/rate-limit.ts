import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TooManyRequests } from '../model/errors.js';
import type { ApiKeys } from '../core/auth/api-keys.js';
import { secretFromHeader } from './auth.js';
import { coveoSecret } from './coveo/coveo-transport.js';

/** Liveness probes are never limited: an orchestrator polling them must not lock itself out. */
const UNLIMITED_ROUTES = new Set(['/healthz', '/rest/ua/v15/analytics/monitoring/health', '/rest/v15/analytics/monitoring/health', '/rest/ua/v15/analytics/status', '/rest/v15/analytics/status']);

/**
 * Who a request is counted against: the API key it authenticates with, else the client address. An unknown key
 * counts against the address, so inventing keys does not buy a fresh allowance.
 */
async function bucketOf(keys: ApiKeys, request: FastifyRequest): Promise<string> {
  const secret = request.url.startsWith('/rest/') ? coveoSecret(request) : secretFromHeader(request.headers.authorization);
  const principal = secret ? await keys.authenticate(secret) : null;
  return principal ? `key:${principal.keyId}` : `ip:${request.ip}`;
}

/**
 * At most `perMinute` requests a minute per API key (or per client address without a valid key); `0` turns the
 * limit off. It runs first, before authentication and body parsing, so a flood costs little. The 429 is thrown as
 * an error, so each API family answers in its own error format, with `Retry-After` in seconds.
 */
export async function registerRateLimit(app: FastifyInstance, keys: ApiKeys, perMinute: number): Promise<void> {
  if (perMinute === 0) return;
  await app.register(rateLimit, {
    global: false,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => bucketOf(keys, request),
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) => new TooManyRequests(`Rate limit exceeded: at most ${context.max} requests a minute per API key; retry in ${context.after}`),
  });
  app.addHook('onRequest', app.rateLimit());
}
