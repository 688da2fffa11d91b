import { newId } from '../../model/ids.js';
import type { Skill } from '../skills/index.js';
import type { V1MessageBody } from './message-schemas.js';
import { v1State } from './dialog-state.js';
import { identifier } from '../../model/identifier.js';

export interface V1Turn {
  response: Record<string, unknown>;
  conversationId: string;
  /** The user ID the client gave (root `user_id` or `context.metadata.user_id`); null when it gave none. */
  userId: string | null;
  deployment: string | null;
  topIntent: { intent: string; confidence: number } | undefined;
  entitiesCount: number;
}

/** One v1 `/message` exchange: the dialog state travels in the client's context, nothing is kept server-side. */
export function runV1Turn(skill: Skill, body: V1MessageBody, nodesVisitedDetails: boolean): V1Turn {
  const { conversation_id, system, metadata, ...variables } = body.context ?? {};
  const conversationId = conversation_id ?? newId();
  const given = body.user_id ?? metadata?.user_id;
  const userId = given === undefined ? null : identifier(given, 'user_id');
  const alternateIntents = body.alternate_intents ?? false;
  const result = skill.respond({ text: body.input?.text ?? '', state: v1State(system), variables, alternateIntents });

  const output: Record<string, unknown> = {
    generic: result.generic,
    text: result.text,
    nodes_visited: result.nodesVisited,
    log_messages: result.logMessages,
  };
  if (nodesVisitedDetails) output.nodes_visited_details = result.nodesVisitedDetails;
  const context: Record<string, unknown> = { ...result.variables, conversation_id: conversationId, system: result.state };
  if (metadata) context.metadata = metadata;

  return {
    response: {
      input: body.input ?? { text: '' },
      intents: result.intents,
      entities: result.entities,
      alternate_intents: alternateIntents,
      context,
      output,
      // Watson: without a user ID, the conversation ID stands in for it.
      user_id: userId ?? conversationId,
    },
    conversationId,
    userId,
    deployment: metadata?.deployment ?? null,
    topIntent: result.intents[0],
    entitiesCount: result.entities.length,
  };
}
