// A compiled workspace: classifier, entity matcher and dialog tree, answering one turn at a time.
import type { WorkspaceContent } from '../workspaces/workspace-schema.js';
import { runDialog, type DialogOutcome, type DialogTurn, type LogMessage } from './dialog.js';
import { compileDialog, type DialogNode } from './dialog-tree.js';
import { compileEntityMatcher } from './entity-matcher.js';
import { trainIntentClassifier, type IntentScore } from './intent-classifier.js';
import type { RuntimeEntity } from './runtime-entity.js';

/** What Watson v1 keeps in `context.system`; JSON-serialisable. */
export interface DialogState {
  dialog_stack: { dialog_node: string }[];
  dialog_turn_counter: number;
  dialog_request_counter: number;
  /** Last variation shown by nodes with several, for 'sequential' and 'random' selection (Watson's name). */
  _node_output_map?: Record<string, number[]>;
  branch_exited?: boolean;
  branch_exited_reason?: string;
  initialized?: boolean;
}

export interface TurnInput {
  /** May be '' (e.g. the welcome turn). */
  text: string;
  /** Undefined starts a new conversation. */
  state?: DialogState;
  /** User-defined context variables; not mutated, an updated copy is returned. */
  variables: Record<string, unknown>;
  /** False: `intents` holds only the top intent, if any. */
  alternateIntents: boolean;
}

export interface TurnResult {
  /** Only intents with confidence ≥ 0.2, at most 10 (1 without alternate intents), most confident first. */
  intents: { intent: string; confidence: number }[];
  entities: RuntimeEntity[];
  /** Output texts in order. */
  text: string[];
  generic: { response_type: 'text'; text: string }[];
  nodesVisited: string[];
  nodesVisitedDetails: { dialog_node: string; title?: string; conditions?: string }[];
  logMessages: LogMessage[];
  variables: Record<string, unknown>;
  state: DialogState;
}

export interface Skill {
  respond(input: TurnInput): TurnResult;
  readonly language: string;
  /** Parts of the workspace that were skipped or will misbehave (bad patterns, bad conditions, …). */
  readonly warnings: readonly string[];
}

// Watson's thresholds: below 0.2 an intent is not reported and `#intent` does not hold.
const MIN_CONFIDENCE = 0.2;
const MAX_ALTERNATE_INTENTS = 10;
const ROOT = 'root';

/** Throws BadRequest for a dialog Watson would reject (duplicate node IDs, unknown parents). */
export function compileSkill(content: WorkspaceContent): Skill {
  const classifier = trainIntentClassifier(content.intents, content.counterexamples, content.language.toLowerCase().startsWith('en'));
  const matcher = compileEntityMatcher(content.entities);
  const dialog = compileDialog(content.dialog_nodes);

  const respond = (input: TurnInput): TurnResult => {
    const hasText = input.text.trim() !== '';
    const ranked = hasText ? classifier.classify(input.text) : [];
    const entities = hasText ? matcher.match(input.text) : [];
    const turn = startTurn(input, ranked, entities);
    const outcome = runDialog(dialog, input.state?.dialog_stack.at(-1)?.dialog_node, turn);
    return {
      intents: ranked.filter((i) => i.confidence >= MIN_CONFIDENCE).slice(0, input.alternateIntents ? MAX_ALTERNATE_INTENTS : 1),
      entities,
      text: turn.texts,
      generic: turn.texts.map((text) => ({ response_type: 'text', text })),
      nodesVisited: turn.visited.map((n) => n.id),
      nodesVisitedDetails: turn.visited.map(details),
      logMessages: turn.log,
      variables: turn.context.variables,
      state: nextState(input.state, turn.outputMap, outcome),
    };
  };
  return { language: content.language, warnings: [...matcher.warnings, ...dialog.warnings], respond };
}

function startTurn(input: TurnInput, ranked: readonly IntentScore[], entities: RuntimeEntity[]): DialogTurn {
  const isNew = input.state === undefined;
  const top = ranked[0];
  // The state may come back from a v1 client verbatim, so its map is not trusted to be an object.
  const priorMap: unknown = input.state?._node_output_map;
  return {
    context: {
      topIntent: top !== undefined && top.confidence >= MIN_CONFIDENCE ? top.intent : undefined,
      entities,
      variables: { ...input.variables },
      welcome: isNew && input.text.trim() === '',
      conversationStart: isNew,
    },
    outputMap: typeof priorMap === 'object' && priorMap !== null ? { ...priorMap } : {},
    seed: turnNumber(input.state),
    texts: [],
    visited: [],
    log: [],
  };
}

function nextState(previous: DialogState | undefined, outputMap: Record<string, unknown>, outcome: DialogOutcome): DialogState {
  const state: DialogState = {
    dialog_stack: [{ dialog_node: outcome.waitingAt?.id ?? ROOT }],
    dialog_turn_counter: turnNumber(previous),
    dialog_request_counter: (previous?.dialog_request_counter ?? 0) + 1,
    _node_output_map: outputMap as Record<string, number[]>,
    initialized: true,
  };
  if (outcome.waitingAt === undefined) {
    state.branch_exited = true;
    state.branch_exited_reason = outcome.fellBack ? 'fallback' : 'completed';
  }
  return state;
}

const turnNumber = (previous: DialogState | undefined) => (previous?.dialog_turn_counter ?? 0) + 1;

function details(node: DialogNode): { dialog_node: string; title?: string; conditions?: string } {
  const d: { dialog_node: string; title?: string; conditions?: string } = { dialog_node: node.id };
  if (node.title !== undefined) d.title = node.title;
  if (node.condition !== undefined && node.condition.source !== '') d.conditions = node.condition.source;
  return d;
}
