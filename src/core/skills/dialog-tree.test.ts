import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../model/errors.js';
import type { DialogNodeDef } from '../workspaces/workspace-schema.js';
import { compileDialog, type DialogNode } from './dialog-tree.js';

const ids = (nodes: readonly DialogNode[]) => nodes.map((n) => n.id);

describe('dialog tree', () => {
  it('orders siblings by their previous_sibling chain, not by array order', () => {
    const tree = compileDialog([
      { dialog_node: 'c', previous_sibling: 'b' },
      { dialog_node: 'a' },
      { dialog_node: 'b', previous_sibling: 'a' },
      { dialog_node: 'b2', parent: 'b', previous_sibling: 'b1' },
      { dialog_node: 'b1', parent: 'b' },
    ]);
    assert.deepEqual(ids(tree.roots), ['a', 'b', 'c']);
    assert.deepEqual(ids(tree.byId.get('b')!.children), ['b1', 'b2']);
    assert.deepEqual(tree.roots.map((n) => n.index), [0, 1, 2]);
  });

  it('keeps nodes of a broken sibling chain rather than dropping them', () => {
    const tree = compileDialog([
      { dialog_node: 'a' },
      { dialog_node: 'x', previous_sibling: 'y' },
      { dialog_node: 'y', previous_sibling: 'x' },
      { dialog_node: 'z', previous_sibling: 'gone' },
    ]);
    assert.deepEqual(ids(tree.roots), ['a', 'z', 'x', 'y']);
  });

  it('skips disabled nodes with their subtree, unsupported node types and empty folders', () => {
    const tree = compileDialog([
      { dialog_node: 'off', disabled: true, conditions: 'true' },
      { dialog_node: 'off-child', parent: 'off', conditions: 'true' },
      { dialog_node: 'empty', type: 'folder', previous_sibling: 'off' },
      { dialog_node: 'frame', previous_sibling: 'empty', conditions: 'true' },
      { dialog_node: 'slot', type: 'slot', parent: 'frame' },
      { dialog_node: 'handler', type: 'event_handler', parent: 'frame' },
    ]);
    assert.deepEqual(ids(tree.roots), ['frame']);
    assert.deepEqual(tree.byId.get('frame')!.children, []);
    assert.equal(tree.byId.has('off-child'), false);
    assert.ok(tree.warnings.some((w) => w.startsWith('2 slot or event handler')));
  });

  it('keeps response_condition children apart from the children a node waits on', () => {
    const tree = compileDialog([
      { dialog_node: 'p', conditions: 'true' },
      { dialog_node: 'r1', parent: 'p', type: 'response_condition', conditions: '$vip', output: { text: 'VIP' } },
      { dialog_node: 'c1', parent: 'p', previous_sibling: 'r1', conditions: 'true' },
    ]);
    const p = tree.byId.get('p')!;
    assert.deepEqual(ids(p.children), ['c1']);
    assert.deepEqual(ids(p.conditionalResponses), ['r1']);
  });

  it('warns about jumps to missing nodes and conditions that do not parse', () => {
    const tree = compileDialog([
      { dialog_node: 'a', conditions: '#x &&', next_step: { behavior: 'jump_to', dialog_node: 'nowhere', selector: 'body' } },
    ]);
    assert.equal(tree.warnings.length, 2);
    assert.ok(tree.warnings.some((w) => w.includes('"nowhere"')));
    assert.ok(tree.warnings.some((w) => w.includes('#x &&')));
  });

  it('rejects duplicate IDs, unknown parents and parent cycles like Watson', () => {
    const cases: DialogNodeDef[][] = [
      [{ dialog_node: 'a' }, { dialog_node: 'a' }],
      [{ dialog_node: 'a', parent: 'ghost' }],
      [{ dialog_node: 'a', parent: 'b' }, { dialog_node: 'b', parent: 'a' }],
    ];
    for (const nodes of cases) assert.throws(() => compileDialog(nodes), BadRequest);
  });
});
