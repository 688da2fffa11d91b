import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeError, logIfServerError } from '../errors.js';

/** Watson's error body: `{"error": "...", "code": 400}`. */
export function watsonErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, message } = describeError(err);
  logIfServerError(request, err, status);
  void reply.status(status).send({ error: message, code: status });
}
