import { BadRequest } from '../../model/errors.js';
import type { DialogState } from '../skills/index.js';

/**
 * v2 carries the dialog position as an opaque string (`context.skills['main skill'].system.state`), as Watson
 * does; clients hand it back unchanged on stateless calls, so it is decoded defensively.
 */
export function encodeState(state: DialogState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeState(value: unknown): DialogState | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequest('context.skills["main skill"].system.state must be the string returned by a previous response');
  try {
    const state = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as DialogState;
    if (!Array.isArray(state.dialog_stack) || typeof state.dialog_turn_counter !== 'number') throw new Error('shape');
    return state;
  } catch {
    throw new BadRequest('context.skills["main skill"].system.state is not a state returned by this service');
  }
}

/** v1 keeps the state in plain sight under `context.system`; accept it only if it has the expected shape. */
export function v1State(system: unknown): DialogState | undefined {
  if (system === undefined || system === null) return undefined;
  const s = system as Partial<DialogState>;
  if (typeof s !== 'object' || !Array.isArray(s.dialog_stack)) return undefined;
  const stackOk = s.dialog_stack.every((f) => typeof f === 'object' && f !== null && typeof (f as { dialog_node?: unknown }).dialog_node === 'string');
  if (!stackOk) throw new BadRequest('context.system.dialog_stack must be a list of {dialog_node}');
  return {
    ...s,
    dialog_stack: s.dialog_stack,
    dialog_turn_counter: Number(s.dialog_turn_counter) || 0,
    dialog_request_counter: Number(s.dialog_request_counter) || 0,
  } as DialogState;
}
