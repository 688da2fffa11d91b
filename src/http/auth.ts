import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from '../model/errors.js';
import { hasPrivilege, type ApiKeys, type Principal } from '../core/auth/api-keys.js';
import type { Privilege } from '../model/privileges.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The privilege a route needs; routes without one are public (health checks only). */
    privilege?: Privilege;
  }
}

/** The secret from `Authorization: Basic base64(apikey:<key>)` (the ibm-watson SDK) or `Authorization: Bearer <key>`. */
export function secretFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  if (!value || rest.length) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (!/^basic$/i.test(scheme ?? '')) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === 'apikey' ? decoded.slice(colon + 1) : undefined;
}

/**
 * Checks the key, the route's privilege and, for `/instances/{instance_id}/…` paths, that the key belongs to that
 * instance. Every data access below uses `principal.instanceId`, so a key never sees another instance's data.
 */
/** `privilege` null: any valid key of the named instance will do (a key asking about itself). */
export async function authorize(keys: ApiKeys, request: FastifyRequest, secret: string | undefined, privilege: Privilege | null): Promise<Principal> {
  const principal = secret ? await keys.authenticate(secret) : null;
  if (!principal) throw new Unauthorized();
  // Watson's /instances/{instance_id}/…, Coveo's /organizations/{org}/… and ?org= all name the instance; a key only
  // reaches its own.
  const params = request.params as { instance_id?: string; org?: string } | undefined;
  const queryOrg = (request.query as { org?: unknown } | undefined)?.org;
  for (const named of [params?.instance_id, params?.org, typeof queryOrg === 'string' ? queryOrg : undefined]) {
    if (named !== undefined && named !== principal.instanceId) throw new Forbidden(`This API key does not belong to instance ${named}`);
  }
  if (privilege !== null && !hasPrivilege(principal, privilege)) {
    throw new Forbidden(`This API key lacks the ${privilege} privilege`);
  }
  request.principal = principal;
  return principal;
}

/** The authenticated principal of a route that declared a privilege. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Unauthorized();
  return request.principal;
}
