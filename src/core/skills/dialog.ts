// One dialog turn: choose the node that fires, follow its jumps, collect output and context changes.
import type { ConditionContext } from './conditions.js';
import type { DialogNode, DialogTree } from './dialog-tree.js';
import { render } from './responses.js';

export interface LogMessage {
  level: 'info' | 'warn' | 'error';
  msg: string;
}

/** What the dialog reads and writes during one turn. */
export interface DialogTurn {
  readonly context: ConditionContext & { readonly variables: Record<string, unknown> };
  /** Last variation shown per node (Watson's `_node_output_map`); updated in place. */
  readonly outputMap: Record<string, unknown>;
  readonly seed: number;
  readonly texts: string[];
  readonly visited: DialogNode[];
  readonly log: LogMessage[];
}

export interface DialogOutcome {
  /** The node whose children get the next input; undefined means root level. */
  waitingAt: DialogNode | undefined;
  /** The input was meant for a waiting node's children but none of them matched. */
  fellBack: boolean;
}

export const MAX_JUMPS = 50;
const NO_MATCH = 'No dialog node matched for the input at a root level.';

export function runDialog(tree: DialogTree, stackTop: string | undefined, turn: DialogTurn): DialogOutcome {
  return new Run(tree, turn).start(stackTop);
}

class Run {
  private jumps = 0;

  constructor(
    private readonly tree: DialogTree,
    private readonly turn: DialogTurn,
  ) {}

  start(stackTop: string | undefined): DialogOutcome {
    const waiting = stackTop === undefined ? undefined : this.tree.byId.get(stackTop);
    let fired: DialogNode | undefined;
    let fellBack = false;
    if (waiting !== undefined && waiting.children.length > 0) {
      fired = this.firstMatch(waiting.children, 0);
      fellBack = fired === undefined;
    }
    fired ??= this.firstMatch(this.tree.roots, 0);
    if (fired === undefined) return { waitingAt: this.fail(NO_MATCH, 'warn'), fellBack };
    return { waitingAt: this.fire(fired), fellBack };
  }

  /** Fires `first` and whatever it jumps to; returns the node to wait at. */
  private fire(first: DialogNode): DialogNode | undefined {
    for (let node = first; ;) {
      this.execute(node);
      const next = node.next;
      let following: DialogNode | undefined;
      if (next?.behavior === 'jump_to') {
        const target = this.tree.byId.get(next.target);
        if (target === undefined) return this.fail(`Dialog node "${node.id}" jumps to "${next.target}", which does not exist or is disabled.`, 'error');
        if (next.selector === 'user_input') return target;
        following = next.selector === 'body' && !target.isFolder ? target : (this.firstFrom(target) ?? this.firstMatch(this.tree.roots, 0));
      } else if (next?.behavior === 'skip_user_input' && node.children.length > 0) {
        following = this.firstMatch(node.children, 0) ?? this.firstMatch(this.tree.roots, 0);
      } else {
        return node.children.length > 0 ? node : undefined;
      }
      if (following === undefined) return this.fail(NO_MATCH, 'warn');
      if (++this.jumps > MAX_JUMPS) {
        return this.fail(`Dialog stopped after ${MAX_JUMPS} jumps starting at node "${first.id}": the jumps probably form a loop.`, 'error');
      }
      node = following;
    }
  }

  private execute(node: DialogNode): void {
    this.turn.visited.push(node);
    node.contextUpdate?.(this.turn.context.variables);
    this.say(node);
    const alternative = node.conditionalResponses.find((r) => this.holds(r));
    if (alternative !== undefined) {
      alternative.contextUpdate?.(this.turn.context.variables);
      this.say(alternative);
    }
  }

  private say(node: DialogNode): void {
    if (node.responses.length === 0) return;
    const { outputMap } = this.turn;
    const previous = outputMap[node.id];
    const { texts, shown } = render(node.responses, {
      variables: this.turn.context.variables,
      entities: this.turn.context.entities,
      previous: Array.isArray(previous) ? previous : undefined,
      seed: this.turn.seed ^ hash(node.id),
    });
    for (const text of texts) this.turn.texts.push(text);
    // Only nodes with a choice to remember take space in the state the client carries around.
    if (node.responses.some((r) => r.values.length > 1)) outputMap[node.id] = shown;
  }

  /** The first node of `list` from index `from` whose condition holds, looking inside open folders. */
  private firstMatch(list: readonly DialogNode[], from: number): DialogNode | undefined {
    for (let i = from; i < list.length; i++) {
      const node = list[i]!;
      if (!this.holds(node)) continue;
      if (!node.isFolder) return node;
      const inside = this.firstMatch(node.children, 0);
      if (inside !== undefined) return inside;
    }
    return undefined;
  }

  /** `target` or a later sibling; a folder's contents continue with what follows the folder. */
  private firstFrom(target: DialogNode): DialogNode | undefined {
    let from = target.index;
    for (let at = target; ;) {
      const container = at.container;
      const found = this.firstMatch(container === undefined ? this.tree.roots : container.children, from);
      if (found !== undefined || container === undefined || !container.isFolder) return found;
      at = container;
      from = container.index + 1;
    }
  }

  private holds(node: DialogNode): boolean {
    const condition = node.condition;
    if (condition === undefined) return true;
    if (condition.error !== undefined) this.turn.log.push({ level: 'warn', msg: `Dialog node "${node.id}": ${condition.error}` });
    return condition.evaluate(this.turn.context);
  }

  private fail(msg: string, level: 'warn' | 'error'): undefined {
    this.turn.log.push({ level, msg });
    return undefined;
  }
}

/** FNV-1a: gives each node its own random sequence from the turn's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
