// Turns the flat `dialog_nodes` list into an ordered tree of compiled nodes.
import { BadRequest } from '../../model/errors.js';
import type { DialogNodeDef } from '../workspaces/workspace-schema.js';
import { compileCondition, type Condition } from './conditions.js';
import { compileContextUpdate, type ContextUpdate } from './context-update.js';
import { compileResponses, type TextResponse } from './responses.js';

export type NextStep =
  | { readonly behavior: 'jump_to'; readonly target: string; readonly selector: 'condition' | 'body' | 'user_input' }
  | { readonly behavior: 'skip_user_input' };

export interface DialogNode {
  readonly id: string;
  readonly title: string | undefined;
  /** For a folder, undefined means "always open". */
  readonly condition: Condition | undefined;
  readonly isFolder: boolean;
  /** The parent (possibly a folder); undefined at root level. */
  readonly container: DialogNode | undefined;
  /** Position among the container's children. */
  readonly index: number;
  /** Enabled children in evaluation order; folders stay in place and are looked through at run time. */
  readonly children: DialogNode[];
  readonly responses: readonly TextResponse[];
  /** Children of type `response_condition`: alternative responses, the first one whose condition holds wins. */
  readonly conditionalResponses: DialogNode[];
  readonly contextUpdate: ContextUpdate | undefined;
  readonly next: NextStep | undefined;
}

export interface DialogTree {
  readonly roots: DialogNode[];
  readonly byId: ReadonlyMap<string, DialogNode>;
  readonly warnings: string[];
}

// Node types this runtime does not execute (slot filling, digression handlers).
const UNSUPPORTED_TYPES = new Set(['slot', 'event_handler']);

/** Throws BadRequest for a structurally broken workspace, as Watson rejects it on upload. */
export function compileDialog(definitions: readonly DialogNodeDef[]): DialogTree {
  const childrenOf = groupByParent(definitions);
  const byId = new Map<string, DialogNode>();
  const warnings: string[] = [];
  let unsupported = 0;

  // Appends to `list` rather than returning arrays to spread: a level may hold tens of thousands of nodes.
  const build = (container: DialogNode | undefined, list: DialogNode[]): void => {
    for (const def of orderSiblings(childrenOf.get(container?.id) ?? [])) {
      if (def.disabled) continue;
      if (def.type !== undefined && UNSUPPORTED_TYPES.has(def.type)) {
        unsupported++;
        continue;
      }
      const node = compileNode(def, container, list.length, warnings);
      build(node, node.children);
      byId.set(node.id, node);
      if (def.type === 'response_condition') container?.conditionalResponses.push(node);
      // An empty folder would only make its parent look like it has children to wait at.
      else if (!node.isFolder || node.children.length > 0) list.push(node);
    }
  };
  const roots: DialogNode[] = [];
  build(undefined, roots);

  if (unsupported > 0) warnings.push(`${unsupported} slot or event handler node(s) ignored: slots and digressions are not supported`);
  for (const node of byId.values()) {
    if (node.next?.behavior === 'jump_to' && !byId.has(node.next.target)) {
      warnings.push(`Dialog node "${node.id}" jumps to "${node.next.target}", which does not exist or is disabled`);
    }
  }
  return { roots, byId, warnings };
}

function compileNode(def: DialogNodeDef, container: DialogNode | undefined, index: number, warnings: string[]): DialogNode {
  const isFolder = def.type === 'folder';
  const hasCondition = (def.conditions ?? '').trim() !== '';
  const condition = isFolder && !hasCondition ? undefined : compileCondition(def.conditions);
  if (condition?.error !== undefined) warnings.push(`Dialog node "${def.dialog_node}": ${condition.error}`);
  return {
    id: def.dialog_node,
    title: def.title,
    condition,
    isFolder,
    container,
    index,
    children: [],
    responses: compileResponses(def.output),
    conditionalResponses: [],
    contextUpdate: compileContextUpdate(def.context),
    next: nextStep(def.next_step),
  };
}

function groupByParent(definitions: readonly DialogNodeDef[]): Map<string | undefined, DialogNodeDef[]> {
  const byId = new Map<string, DialogNodeDef>();
  for (const def of definitions) {
    if (byId.has(def.dialog_node)) throw new BadRequest(`Duplicate dialog node ID "${def.dialog_node}"`);
    byId.set(def.dialog_node, def);
  }
  const childrenOf = new Map<string | undefined, DialogNodeDef[]>();
  for (const def of definitions) {
    assertAcyclicAncestry(def, byId);
    const siblings = childrenOf.get(def.parent);
    if (siblings === undefined) childrenOf.set(def.parent, [def]);
    else siblings.push(def);
  }
  return childrenOf;
}

function assertAcyclicAncestry(def: DialogNodeDef, byId: ReadonlyMap<string, DialogNodeDef>): void {
  let current = def;
  for (let depth = 0; current.parent !== undefined; depth++) {
    const parent = byId.get(current.parent);
    if (parent === undefined) throw new BadRequest(`Dialog node "${current.dialog_node}" has unknown parent "${current.parent}"`);
    if (depth > byId.size) throw new BadRequest(`Dialog node "${def.dialog_node}" is its own ancestor`);
    current = parent;
  }
}

/**
 * Follows the `previous_sibling` chain. A node whose previous sibling is missing starts a chain; nodes stuck
 * in a sibling cycle are kept, in document order, rather than silently lost.
 */
function orderSiblings(siblings: readonly DialogNodeDef[]): DialogNodeDef[] {
  const ids = new Set(siblings.map((s) => s.dialog_node));
  const followers = new Map<string | undefined, DialogNodeDef[]>();
  for (const s of siblings) {
    const key = s.previous_sibling !== undefined && ids.has(s.previous_sibling) ? s.previous_sibling : undefined;
    const list = followers.get(key);
    if (list === undefined) followers.set(key, [s]);
    else list.push(s);
  }
  const ordered: DialogNodeDef[] = [];
  const placed = new Set<string>();
  // Iterative: a root level of thousands of nodes is one long chain.
  const pending = [...(followers.get(undefined) ?? [])].reverse();
  for (let s = pending.pop(); s !== undefined; s = pending.pop()) {
    if (placed.has(s.dialog_node)) continue;
    placed.add(s.dialog_node);
    ordered.push(s);
    const next = followers.get(s.dialog_node) ?? [];
    for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]!);
  }
  for (const s of siblings) if (!placed.has(s.dialog_node)) ordered.push(s);
  return ordered;
}

function nextStep(raw: Record<string, unknown> | undefined): NextStep | undefined {
  if (raw?.behavior === 'skip_user_input') return { behavior: 'skip_user_input' };
  if (raw?.behavior === 'jump_to' && typeof raw.dialog_node === 'string') {
    const selector = raw.selector === 'body' || raw.selector === 'user_input' ? raw.selector : 'condition';
    return { behavior: 'jump_to', target: raw.dialog_node, selector };
  }
  // 'reprompt', 'return' and the like only matter to slots and digressions.
  return undefined;
}
