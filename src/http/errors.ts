import type { FastifyError, FastifyRequest } from 'fastify';
import { DomainError, QueryTimeout } from '../model/errors.js';

/** The status and message any failure maps to, shared by every API family's error body. */
export function describeError(err: FastifyError | Error): { status: number; message: string; reason: string | undefined } {
  if (err instanceof DomainError) return { status: err.status, message: err.message, reason: err.reason };
  const fe = err as FastifyError;
  if (fe.validation) return { status: 400, message: `Invalid request: ${fe.message}`, reason: 'InvalidObject' };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: 'Request entity too large', reason: 'RequestTooLarge' };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const reason = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'InvalidJson' : undefined;
    return { status: fe.statusCode, message: fe.message, reason };
  }
  return { status: 500, message: 'Internal server error', reason: undefined };
}

export function logIfServerError(request: FastifyRequest, err: Error, status: number): void {
  // A read stopped at its budget is the server protecting itself, not a failure: worth a warning, not an alert.
  if (err instanceof QueryTimeout) request.log.warn({ reqId: request.id }, 'query stopped at its time budget');
  // Only the error's own message and stack: request bodies and headers may hold personal data or secrets.
  else if (status >= 500) request.log.error({ reqId: request.id, err: { message: err.message, stack: err.stack } }, 'request failed');
}

