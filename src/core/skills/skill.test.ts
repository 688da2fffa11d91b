import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkspaceContent } from '../workspaces/workspace-schema.js';
import banking from './fixtures/banking.json' with { type: 'json' };
import { compileSkill, type DialogState, type TurnInput } from './index.js';

const workspace: WorkspaceContent = {
  ...(banking as WorkspaceContent),
  entities: [
    ...(banking as WorkspaceContent).entities,
    { entity: 'code', values: [{ value: 'pin', type: 'patterns', patterns: ['(\\d{4}', '[0-9]{4}'] }] },
  ],
  dialog_nodes: [
    { dialog_node: 'balance', conditions: '#check_balance', output: { text: 'Your balance is 100.' } },
    { dialog_node: 'else', previous_sibling: 'balance', conditions: 'anything_else', output: { text: 'Sorry?' } },
  ],
};
const skill = compileSkill(workspace);
const turn = (text: string, extra: Partial<TurnInput> = {}) => skill.respond({ text, variables: {}, alternateIntents: false, ...extra });

describe('compiled skill', () => {
  it('reports only the top intent unless alternate intents are asked for', () => {
    const text = "I'd like to open a savings account";
    const single = turn(text).intents;
    assert.equal(single.length, 1);
    assert.equal(single[0]!.intent, 'open_account');
    const all = turn(text, { alternateIntents: true }).intents;
    assert.ok(all.length > 1 && all.length <= 10);
    assert.deepEqual(all[0], single[0]);
    for (const i of all) assert.ok(i.confidence >= 0.2);
  });

  it('reports no intent for irrelevant input or a welcome turn', () => {
    assert.deepEqual(turn('Tell me a joke', { alternateIntents: true }).intents, []);
    assert.deepEqual(turn('').intents, []);
  });

  it('reports entities, and the intent drives the dialog', () => {
    const result = turn('how much is in my savings account?');
    assert.deepEqual(result.entities.map((e) => [e.entity, e.value]), [['account_type', 'savings']]);
    assert.deepEqual(result.text, ['Your balance is 100.']);
  });

  it('starts and advances the Watson-shaped dialog state', () => {
    const first = turn('hello');
    assert.deepEqual(first.state, {
      dialog_stack: [{ dialog_node: 'root' }],
      dialog_turn_counter: 1,
      dialog_request_counter: 1,
      _node_output_map: {},
      initialized: true,
      branch_exited: true,
      branch_exited_reason: 'completed',
    });
    const frozen = structuredClone(first.state);
    const second = turn('hello', { state: first.state });
    assert.equal(second.state.dialog_turn_counter, 2);
    assert.equal(second.state.dialog_request_counter, 2);
    assert.deepEqual(first.state, frozen, 'the previous state is not mutated');
    assert.deepEqual(JSON.parse(JSON.stringify(second.state)), second.state, 'the state is plain JSON');
  });

  it('survives a state mangled by a client', () => {
    const state = {
      dialog_stack: [{ dialog_node: 'no-such-node' }],
      dialog_turn_counter: 7,
      dialog_request_counter: 7,
      _node_output_map: 'garbage',
    } as unknown as DialogState;
    const result = turn('what is my balance', { state });
    assert.deepEqual(result.text, ['Your balance is 100.']);
    assert.equal(result.state.dialog_turn_counter, 8);
  });

  it('exposes what it had to skip as warnings', () => {
    assert.equal(skill.warnings.length, 1);
    assert.match(skill.warnings[0]!, /\(\\d\{4\}.*@code:pin/);
    assert.deepEqual(turn('my pin is 1234').entities.map((e) => e.entity), ['code', 'sys-number']);
    assert.equal(skill.language, 'en');
  });

  // Accidental quadratic work would hang here; the timeout turns that into a failure.
  it('compiles a 100-intent workspace', { timeout: 60_000 }, () => {
    const big: WorkspaceContent = {
      language: 'en',
      intents: Array.from({ length: 100 }, (_, k) => ({
        intent: `intent_${k}`,
        examples: Array.from({ length: 20 }, (_, e) => ({ text: `topic${k} request number ${e} about item${(k * 7 + e) % 50} please` })),
      })),
      entities: [],
      dialog_nodes: [],
      counterexamples: [],
    };
    const compiled = compileSkill(big);
    assert.equal(compiled.respond({ text: 'topic42 request number 3 about item1 please', variables: {}, alternateIntents: false }).intents[0]?.intent, 'intent_42');
  });
});
