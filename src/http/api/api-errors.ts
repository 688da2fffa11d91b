import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError, logIfServerError } from '../errors.js';

const CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large',
  415: 'unsupported_media_type', 429: 'too_many_requests', 500: 'internal',
};
/** Reasons more specific than their status. */
const REASON_CODES: Record<string, string> = { QueryTimeout: 'query_timeout' };

/** Lethe's own API error body: `{"error": {"code": "not_found", "message": "..."}}`. */
export function apiErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, message, reason } = describeError(err);
  logIfServerError(request, err, status);
  void reply.status(status).send({ error: { code: (reason && REASON_CODES[reason]) ?? CODES[status] ?? 'error', message } });
}
