import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError, logIfServerError } from '../errors.js';

/**
 * Coveo's error body: `{"message": "...", "type": "InvalidJson"}`. An unknown or missing token is 400 InvalidToken,
 * not 401, because that is what Coveo answers and what its clients test for.
 */
export function coveoErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const described = describeError(err);
  logIfServerError(request, err, described.status);
  let { status } = described;
  let type = described.reason ?? TYPES[status] ?? 'InternalError';
  if (status === 401) { status = 400; type = 'InvalidToken'; }
  if (err.validation?.some((v) => v.keyword === 'required')) type = 'MissingParameter';
  void reply.status(status).send({ message: described.message, type });
}

const TYPES: Record<number, string> = { 400: 'InvalidObject', 403: 'InsufficientPrivileges', 404: 'NotFound', 409: 'Conflict', 413: 'RequestTooLarge', 415: 'UnsupportedMediaType', 429: 'TooManyRequests' };
