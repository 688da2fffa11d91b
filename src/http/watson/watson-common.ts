import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseLearningOptOut, parseWatsonMetadata } from '../../core/subjects/watson-metadata.js';
import type { MessageMeta } from '../../core/messages/conversations.js';
import { principalOf } from '../auth.js';

/** Every Watson call names the API version date it was written against, and Watson rejects calls that do not. */
export const Version = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const VersionQuery = Type.Object({ version: Version });

export const Id = Type.String({ minLength: 1, maxLength: 128 });

/** Headers and arrival facts of a message request; a bad X-Watson-Metadata header fails here, before anything is stored. */
export function messageMeta(request: FastifyRequest, receivedAt: number): MessageMeta {
  return {
    instanceId: principalOf(request).instanceId,
    customerIds: parseWatsonMetadata(request.headers['x-watson-metadata']),
    learningOptOut: parseLearningOptOut(request.headers['x-watson-learning-opt-out']),
    receivedAt,
  };
}

/** Sends a body that is already JSON text (message replies are serialised once, for the reply and the log alike). */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.header('content-type', 'application/json; charset=utf-8').send(json);
}
