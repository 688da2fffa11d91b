import type { Skill } from '../skills/index.js';
import type { V2MessageBody } from './message-schemas.js';
import { decodeState, encodeState } from './dialog-state.js';
import { identifier } from '../../model/identifier.js';

const MAIN_SKILL = 'main skill';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export interface V2Turn {
  /** The v2 context after this turn: stored for a stateful session, returned to the client when stateless. */
  context: Obj;
  output: Obj;
  /** The user ID the client supplied now or earlier in the session; null when it never gave one. */
  userId: string | null;
  topIntent: { intent: string; confidence: number } | undefined;
  entitiesCount: number;
}

/**
 * One v2 exchange. `previous` is the context the session ended its last turn with (empty for a new session, or the
 * context a stateless client sends back); the request's own context is layered over it, as Watson does.
 */
export function runV2Turn(skill: Skill, body: V2MessageBody, previous: Obj, sessionId: string, now: number): V2Turn {
  const request = obj(body.context);
  const prevGlobal = obj(previous.global);
  const prevSystem = obj(prevGlobal.system);
  const system = { ...prevSystem, ...obj(obj(request.global).system) };
  const prevSkill = obj(obj(previous.skills)[MAIN_SKILL]);
  const reqSkill = obj(obj(request.skills)[MAIN_SKILL]);
  const variables = { ...obj(prevSkill.user_defined), ...obj(reqSkill.user_defined) };
  const options = body.input?.options ?? {};
  const state = options.restart ? undefined : decodeState(obj(reqSkill.system).state ?? obj(prevSkill.system).state);

  const given = body.user_id ?? (typeof system.user_id === 'string' ? system.user_id : undefined);
  const userId = given === undefined ? null : identifier(given, 'user_id');
  const result = skill.respond({
    text: body.input?.text ?? '', state, variables, alternateIntents: options.alternate_intents ?? false,
  });

  const context: Obj = {
    global: {
      system: {
        ...system,
        ...(userId ? { user_id: userId } : {}),
        turn_count: (Number(prevSystem.turn_count) || 0) + 1,
        session_start_time: prevSystem.session_start_time ?? new Date(now).toISOString(),
      },
      session_id: sessionId,
    },
    skills: { [MAIN_SKILL]: { user_defined: result.variables, system: { state: encodeState(result.state) } } },
  };
  const output: Obj = {
    generic: result.generic,
    intents: result.intents.map((i) => ({ ...i, skill: MAIN_SKILL })),
    entities: result.entities.map((e) => ({ ...e, skill: MAIN_SKILL })),
  };
  if (options.debug) {
    output.debug = {
      nodes_visited: result.nodesVisitedDetails,
      log_messages: result.logMessages.map((m) => ({ level: m.level, message: m.msg })),
      branch_exited: result.state.branch_exited ?? false,
    };
  }
  return { context, output, userId, topIntent: result.intents[0], entitiesCount: result.entities.length };
}
