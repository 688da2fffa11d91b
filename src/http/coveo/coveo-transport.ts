import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, DomainError } from '../../model/errors.js';
import type { EventContext } from '../../core/analytics/analytics.js';
import { hasPrivilege } from '../../core/auth/api-keys.js';
import { principalOf } from '../auth.js';
import { checkJsonDepth } from '../json-depth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** `access_token` sent in a form body (the beacon form of collect events). */
    formToken?: string;
  }
}

/** A form body whose key travels inside it is read before the key is checked: it is kept small. */
export const KEYLESS_FORM_LIMIT = 32 * 1024;

/** The key of a Coveo request when it is outside the body: `Authorization: Bearer` or the `access_token` parameter. */
function secretOutsideBody(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header && /^bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  const query = (request.query as { access_token?: unknown } | undefined)?.access_token;
  return bearer || (typeof query === 'string' && query ? query : undefined);
}

/**
 * The token of a Coveo request: `Authorization: Bearer`, or the `access_token` query parameter or form field that
 * the browser beacon uses (it cannot set headers).
 */
export function coveoSecret(request: FastifyRequest): string | undefined {
  return secretOutsideBody(request) || request.formToken;
}

/**
 * Whether the key of this request can only be in its body: a form (the `collect` beacon puts `access_token` there)
 * with no key in a header or the query. Such a body is read before anyone is authenticated, so it must declare a
 * length of at most KEYLESS_FORM_LIMIT (else 413 before a byte is read); any other request without a key is refused
 * before its body is read.
 */
export function keyOnlyInBody(request: FastifyRequest): boolean {
  if (secretOutsideBody(request) || !/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) return false;
  if (!(Number(request.headers['content-length']) <= KEYLESS_FORM_LIMIT)) {
    throw new DomainError(413, `A form carrying its key in the body must declare a Content-Length of at most ${KEYLESS_FORM_LIMIT} bytes`, 'RequestTooLarge');
  }
  return true;
}

/**
 * `navigator.sendBeacon` posts `clickEvent=<json>` (or `collectEvent=` with `access_token=`) as a form. The form is
 * turned into the event body here, so the route validates it like a JSON body.
 */
export function acceptBeaconForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    const form = new URLSearchParams(body as string);
    const token = form.get('access_token');
    if (token) request.formToken = token;
    const field = [...form.keys()].find((k) => k.endsWith('Event'));
    if (!field) return done(new BadRequest('A form body needs a <type>Event field holding the event JSON', 'MissingParameter'));
    try {
      checkJsonDepth(form.get(field)!);
      done(null, JSON.parse(form.get(field)!));
    } catch (err) {
      done(err instanceof BadRequest ? err : new BadRequest(`Unable to parse the provided JSON in ${field}`, 'InvalidJson'));
    }
  });
}

/** A cookie's value; one that is not percent-encoded UTF-8 counts as absent (a visitor ID is then assigned). */
function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface VisitorQuery { visitor?: string; visitorId?: string; prioritizeVisitorParameter?: boolean }

/** Everything an event's attribution depends on that is not in its body. */
export function eventContext(request: FastifyRequest): EventContext {
  const principal = principalOf(request);
  const q = (request.query ?? {}) as VisitorQuery;
  const dnt = request.headers.dnt === '1' || request.headers['sec-gpc'] === '1';
  return {
    instanceId: principal.instanceId,
    canImpersonate: hasPrivilege(principal, 'analytics:impersonate'),
    visitor: { param: q.visitor ?? q.visitorId, cookie: cookie(request.headers.cookie, 'visitor'), prioritizeParam: q.prioritizeVisitorParameter },
    ip: request.ip,
    doNotTrack: dnt,
    receivedAt: request.receivedAt,
  };
}
