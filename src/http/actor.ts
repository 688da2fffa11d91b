import type { FastifyRequest } from 'fastify';
import { keyActor } from '../core/audit/actors.js';
import { principalOf } from './auth.js';

/** Who the audit trail records for a request: the API key that authenticated it. */
export const actorOf = (request: FastifyRequest): string => keyActor(principalOf(request).keyId);
