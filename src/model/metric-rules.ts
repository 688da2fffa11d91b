import type { LogRecord } from './logs.js';

/**
 * What makes a message an escalation or a fallback. Read from configuration at start-up and applied when a message
 * is stored: the outcome is kept with the log (and in the aggregates), so changing the rules affects new messages only.
 */
export interface MetricRules {
  /** Intents whose detection means the user was handed to a human (e.g. `connect_to_agent`). */
  escalationIntents: string[];
  /** Dialog node ids or titles whose visit means a hand-off to a human. */
  escalationNodes: string[];
  /** Intents that stand for "not understood" (e.g. `irrelevant`): a message answered with one is a fallback. */
  fallbackIntents: string[];
  /** Dialog node ids or titles of the fallback branch (the `anything_else` node): visiting one is a fallback. */
  fallbackNodes: string[];
}

export const DEFAULT_METRIC_RULES: MetricRules = {
  escalationIntents: [], escalationNodes: [], fallbackIntents: [], fallbackNodes: [],
};

/** Bit flags stored with each log (logs.metric_flags). */
export const ESCALATED = 1;
export const FALLBACK = 2;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Generic response items (v1 `output.generic`, v2 `output.generic`). */
function responseTypes(response: Obj): string[] {
  return list(obj(response.output).generic).map((g) => obj(g).response_type).filter((t): t is string => typeof t === 'string');
}

/** Node ids and titles the dialog visited: v1 `output.nodes_visited(_details)`, v2 `output.debug.nodes_visited`. */
function visitedNodes(response: Obj): string[] {
  const output = obj(response.output);
  const names: string[] = [];
  for (const n of [...list(output.nodes_visited), ...list(output.nodes_visited_details), ...list(obj(output.debug).nodes_visited)]) {
    if (typeof n === 'string') names.push(n);
    const d = obj(n);
    for (const k of ['dialog_node', 'title']) if (typeof d[k] === 'string') names.push(d[k] as string);
  }
  return names;
}

/**
 * Classifies one stored message:
 * - escalated: the response hands the user to a human — a `connect_to_agent` response item, an escalation intent as
 *   top intent, or a visit to an escalation node;
 * - fallback: the assistant did not understand — no top intent at all, a fallback intent as top intent, or a visit to
 *   a fallback node. Confidence is not part of it: coverage applies its threshold per request (see coverage.ts).
 */
export function messageFlags(log: Pick<LogRecord, 'topIntent' | 'response'>, rules: MetricRules): number {
  const nodes = visitedNodes(log.response);
  const escalated = responseTypes(log.response).includes('connect_to_agent')
    || (log.topIntent !== null && rules.escalationIntents.includes(log.topIntent))
    || nodes.some((n) => rules.escalationNodes.includes(n));
  const fallback = log.topIntent === null
    || rules.fallbackIntents.includes(log.topIntent)
    || nodes.some((n) => rules.fallbackNodes.includes(n));
  return (escalated ? ESCALATED : 0) | (fallback ? FALLBACK : 0);
}
