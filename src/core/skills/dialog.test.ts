import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DialogNodeDef, IntentDef } from '../workspaces/workspace-schema.js';
import { MAX_JUMPS } from './dialog.js';
import { compileSkill, type DialogState, type TurnResult } from './skill.js';

const INTENTS: IntentDef[] = [
  { intent: 'greeting', examples: ['hello', 'hi', 'hey there', 'good morning', 'hi there'].map((text) => ({ text })) },
  {
    intent: 'order_pizza',
    examples: ['I want to order a pizza', 'can I get a pizza', 'pizza please', 'order food', "I'd like a large pizza"].map((text) => ({ text })),
  },
  { intent: 'cancel', examples: ['cancel my order', 'never mind', 'stop', 'cancel that', 'forget it'].map((text) => ({ text })) },
];

const text = (t: string) => ({ generic: [{ response_type: 'text', values: [{ text: t }] }] });
const variations = (selection_policy: string, ...values: string[]) => ({
  generic: [{ response_type: 'text', selection_policy, values: values.map((v) => ({ text: v })) }],
});
const jump = (dialog_node: string, selector: string) => ({ behavior: 'jump_to', dialog_node, selector });

/** A conversation that carries state and variables from turn to turn, as a client would. */
function chat(nodes: DialogNodeDef[], variables: Record<string, unknown> = {}) {
  const skill = compileSkill({
    language: 'en',
    intents: INTENTS,
    entities: [{ entity: 'size', values: [{ value: 'small' }, { value: 'large', synonyms: ['big'] }] }],
    dialog_nodes: nodes,
    counterexamples: [],
  });
  let state: DialogState | undefined;
  let vars = variables;
  return (input: string): TurnResult => {
    const result = skill.respond({ text: input, state, variables: vars, alternateIntents: false });
    state = result.state;
    vars = result.variables;
    return result;
  };
}

const ANYTHING_ELSE: DialogNodeDef = { dialog_node: 'fallback', conditions: 'anything_else', output: text('Sorry?') };
/** Appends `ANYTHING_ELSE` after the last root node. */
const withFallback = (nodes: DialogNodeDef[]): DialogNodeDef[] => {
  const roots = nodes.filter((n) => n.parent === undefined);
  return [...nodes, { ...ANYTHING_ELSE, previous_sibling: roots.at(-1)?.dialog_node }];
};

describe('dialog', () => {
  it('fires the welcome node on the first, empty turn only', () => {
    const say = chat(withFallback([{ dialog_node: 'welcome', conditions: 'welcome', output: text('Welcome!') }]));
    const first = say('');
    assert.deepEqual(first.text, ['Welcome!']);
    assert.deepEqual(first.nodesVisited, ['welcome']);
    assert.deepEqual(say('').text, ['Sorry?']);
  });

  it('conversation_start holds on the first turn even with text; welcome does not', () => {
    const nodes = withFallback([
      { dialog_node: 'welcome', conditions: 'welcome', output: text('Welcome!') },
      { dialog_node: 'start', previous_sibling: 'welcome', conditions: 'conversation_start', output: text('Started.') },
      { dialog_node: 'hi', previous_sibling: 'start', conditions: '#greeting', output: text('Hi!') },
    ]);
    const say = chat(nodes);
    assert.deepEqual(say('hello').text, ['Started.']);
    assert.deepEqual(say('hello').text, ['Hi!']);
  });

  it('falls back to anything_else, and logs when nothing matches at all', () => {
    const say = chat(withFallback([{ dialog_node: 'hi', conditions: '#greeting', output: text('Hi!') }]));
    assert.deepEqual(say('the moon is made of cheese').nodesVisited, ['fallback']);

    const bare = chat([{ dialog_node: 'hi', conditions: '#greeting', output: text('Hi!') }])('the moon is made of cheese');
    assert.deepEqual(bare.text, []);
    assert.deepEqual(bare.logMessages, [{ level: 'warn', msg: 'No dialog node matched for the input at a root level.' }]);
  });

  describe('child nodes', () => {
    const nodes = withFallback([
      { dialog_node: 'order', conditions: '#order_pizza', output: text('What size?') },
      { dialog_node: 'large', parent: 'order', conditions: '@size:large', output: text('Large it is.') },
      { dialog_node: 'other', parent: 'order', previous_sibling: 'large', conditions: '@size', output: text('Another size.') },
      { dialog_node: 'hi', previous_sibling: 'order', conditions: '#greeting', output: text('Hi!') },
    ]);

    it('waits at a parent that fired and evaluates its children first', () => {
      const say = chat(nodes);
      const asked = say('I want to order a pizza');
      assert.deepEqual(asked.state.dialog_stack, [{ dialog_node: 'order' }]);
      assert.equal(asked.state.branch_exited, undefined);
      const answered = say('a big one');
      assert.deepEqual(answered.text, ['Large it is.']);
      assert.deepEqual(answered.state.dialog_stack, [{ dialog_node: 'root' }]);
      assert.equal(answered.state.branch_exited_reason, 'completed');
      // Back at root: the same words no longer reach the children.
      assert.ok(!say('a big one').nodesVisited.includes('large'));
    });

    it('goes back to the root nodes when no child matches', () => {
      const say = chat(nodes);
      say('I want to order a pizza');
      const result = say('hello');
      assert.deepEqual(result.text, ['Hi!']);
      assert.equal(result.state.branch_exited_reason, 'fallback');
    });
  });

  describe('response variations', () => {
    it("'sequential' rotates across turns using the state's _node_output_map", () => {
      const say = chat([{ dialog_node: 'hi', conditions: '#greeting', output: variations('sequential', 'A', 'B', 'C') }]);
      const turns = [1, 2, 3, 4].map(() => say('hello'));
      assert.deepEqual(turns.map((t) => t.text[0]), ['A', 'B', 'C', 'A']);
      assert.deepEqual(turns[1]!.state._node_output_map, { hi: [1] });
    });

    it('legacy output.text: a string, or values with a selection policy', () => {
      const say = chat([
        { dialog_node: 'hi', conditions: '#greeting', output: { text: { values: ['one', 'two'], selection_policy: 'sequential' } } },
        { dialog_node: 'bye', previous_sibling: 'hi', conditions: '#cancel', output: { text: 'Cancelled.' } },
      ]);
      assert.deepEqual([say('hello').text, say('hello').text, say('cancel that').text], [['one'], ['two'], ['Cancelled.']]);
      assert.deepEqual(say('cancel that').generic, [{ response_type: 'text', text: 'Cancelled.' }]);
    });

    it("'random' is reproducible, varied and never repeats itself back to back", () => {
      const nodes = [{ dialog_node: 'hi', conditions: '#greeting', output: variations('random', 'A', 'B', 'C', 'D') }];
      const run = () => {
        const say = chat(nodes);
        return Array.from({ length: 20 }, () => say('hello').text[0]);
      };
      const first = run();
      assert.deepEqual(run(), first);
      assert.ok(new Set(first).size >= 3, first.join(''));
      for (let i = 1; i < first.length; i++) assert.notEqual(first[i], first[i - 1]);
    });

    it("'multiline' shows every value, and several generic items all show", () => {
      const say = chat([{
        dialog_node: 'hi',
        conditions: '#greeting',
        output: { generic: [...variations('multiline', 'line 1', 'line 2').generic, { response_type: 'text', values: [{ text: 'after' }] }] },
      }]);
      assert.deepEqual(say('hello').text, ['line 1\nline 2', 'after']);
    });
  });

  it('sets context variables and substitutes them in output', () => {
    const input = { user: 'Ann' };
    const say = chat([{
      dialog_node: 'hi',
      conditions: '#greeting',
      context: { greeted: true, greeting: 'Hi $user', profile: { tier: 'gold' } },
      output: text('$greeting! <? $user ?> greeted=$greeted, $missing stays, <? $missing ?>gone, costs $5'),
    }], input);
    const result = say('hello');
    assert.deepEqual(result.text, ['Hi Ann! Ann greeted=true, $missing stays, gone, costs $5']);
    assert.deepEqual(result.variables, { user: 'Ann', greeted: true, greeting: 'Hi Ann', profile: { tier: 'gold' } });
    assert.deepEqual(input, { user: 'Ann' }, 'the caller’s variables are not mutated');
    (result.variables.profile as { tier: string }).tier = 'changed';
    assert.deepEqual(say('hello').variables.profile, { tier: 'gold' }, 'each turn gets a fresh copy of object values');
  });

  it('context variables drive later conditions', () => {
    const say = chat(withFallback([
      { dialog_node: 'known', conditions: "#greeting && $name == 'Ann'", output: text('Welcome back, $name.') },
      { dialog_node: 'hi', previous_sibling: 'known', conditions: '#greeting', context: { name: 'Ann' }, output: text('Hi stranger.') },
    ]));
    assert.deepEqual([say('hello').text, say('hello').text], [['Hi stranger.'], ['Welcome back, Ann.']]);
  });

  describe('jump_to', () => {
    it("'body' fires the target's output whatever its condition", () => {
      const say = chat([
        { dialog_node: 'a', conditions: '#cancel', output: text('Cancelling.'), next_step: jump('b', 'body') },
        { dialog_node: 'b', previous_sibling: 'a', conditions: 'false', output: text('Cancelled.') },
      ]);
      const result = say('cancel my order');
      assert.deepEqual(result.text, ['Cancelling.', 'Cancelled.']);
      assert.deepEqual(result.nodesVisited, ['a', 'b']);
    });

    it("'condition' evaluates the target, then its later siblings, looking through folders", () => {
      const say = chat([
        { dialog_node: 'a', conditions: '#cancel', output: text('A'), next_step: jump('b', 'condition') },
        { dialog_node: 'folder', type: 'folder', previous_sibling: 'a' },
        { dialog_node: 'b', parent: 'folder', conditions: 'false', output: text('B') },
        { dialog_node: 'c', parent: 'folder', previous_sibling: 'b', conditions: '#greeting', output: text('C') },
        { dialog_node: 'd', previous_sibling: 'folder', conditions: 'true', output: text('D') },
      ]);
      assert.deepEqual(say('stop').nodesVisited, ['a', 'd']);
    });

    it("'user_input' waits at the target for the next input", () => {
      const say = chat(withFallback([
        { dialog_node: 'a', conditions: '#cancel', output: text('Sure?'), next_step: jump('confirm', 'user_input') },
        { dialog_node: 'confirm', previous_sibling: 'a', conditions: 'false' },
        { dialog_node: 'yes', parent: 'confirm', conditions: '#greeting', output: text('Confirmed.') },
      ]));
      const asked = say('cancel that');
      assert.deepEqual(asked.text, ['Sure?']);
      assert.deepEqual(asked.state.dialog_stack, [{ dialog_node: 'confirm' }]);
      assert.deepEqual(say('hi there').text, ['Confirmed.']);
    });

    it('stops a jump loop after the maximum number of jumps with an error', () => {
      const result = chat([
        { dialog_node: 'a', conditions: '#cancel', output: text('A'), next_step: jump('b', 'body') },
        { dialog_node: 'b', previous_sibling: 'a', output: text('B'), next_step: jump('a', 'body') },
      ])('stop');
      assert.equal(result.nodesVisited.length, MAX_JUMPS + 1);
      assert.equal(result.logMessages.length, 1);
      assert.equal(result.logMessages[0]!.level, 'error');
      assert.deepEqual(result.state.dialog_stack, [{ dialog_node: 'root' }]);
    });

    it('logs an error for a jump to a disabled node', () => {
      const result = chat([
        { dialog_node: 'a', conditions: '#cancel', output: text('A'), next_step: jump('off', 'body') },
        { dialog_node: 'off', previous_sibling: 'a', disabled: true, output: text('never') },
      ])('stop');
      assert.deepEqual(result.text, ['A']);
      assert.equal(result.logMessages[0]!.level, 'error');
    });
  });

  it('skip_user_input evaluates the children with the same input', () => {
    const say = chat([
      { dialog_node: 'order', conditions: '#order_pizza', output: text('Pizza!'), next_step: { behavior: 'skip_user_input' } },
      { dialog_node: 'large', parent: 'order', conditions: '@size:large', output: text('Large.') },
    ]);
    const result = say("I'd like a large pizza");
    assert.deepEqual(result.text, ['Pizza!', 'Large.']);
    assert.deepEqual(result.state.dialog_stack, [{ dialog_node: 'root' }]);
  });

  it('looks through open folders, skips closed folders and disabled nodes', () => {
    const say = chat(withFallback([
      { dialog_node: 'closed', type: 'folder', conditions: '$vip' },
      { dialog_node: 'vip-hi', parent: 'closed', conditions: '#greeting', output: text('Hello VIP') },
      { dialog_node: 'off', previous_sibling: 'closed', disabled: true, conditions: '#greeting', output: text('disabled') },
      { dialog_node: 'open', type: 'folder', previous_sibling: 'off' },
      { dialog_node: 'hi', parent: 'open', conditions: '#greeting', output: text('Hello') },
    ]));
    assert.deepEqual(say('hello').nodesVisited, ['hi']);
    const vip = chat(withFallback([
      { dialog_node: 'closed', type: 'folder', conditions: '$vip' },
      { dialog_node: 'vip-hi', parent: 'closed', conditions: '#greeting', output: text('Hello VIP') },
    ]), { vip: true });
    assert.deepEqual(vip('hello').text, ['Hello VIP']);
  });

  it('uses the first conditioned response that holds', () => {
    const nodes: DialogNodeDef[] = [
      { dialog_node: 'hi', conditions: '#greeting' },
      { dialog_node: 'r-vip', parent: 'hi', type: 'response_condition', conditions: '$vip', output: text('Hello VIP') },
      { dialog_node: 'r-any', parent: 'hi', previous_sibling: 'r-vip', type: 'response_condition', conditions: 'anything_else', output: text('Hello') },
    ];
    assert.deepEqual(chat(nodes, { vip: true })('hello').text, ['Hello VIP']);
    const plain = chat(nodes)('hello');
    assert.deepEqual(plain.text, ['Hello']);
    assert.deepEqual(plain.state.dialog_stack, [{ dialog_node: 'root' }], 'responses are not children to wait at');
  });

  it('reports visited nodes with their title and condition', () => {
    const result = chat([{ dialog_node: 'node_1', title: 'Greeting', conditions: '#greeting', output: text('Hi') }])('hello');
    assert.deepEqual(result.nodesVisitedDetails, [{ dialog_node: 'node_1', title: 'Greeting', conditions: '#greeting' }]);
  });

  it('treats a condition that does not parse as false and says so in the log', () => {
    const result = chat(withFallback([{ dialog_node: 'broken', conditions: '#greeting &&& $x', output: text('never') }]))('hello');
    assert.deepEqual(result.nodesVisited, ['fallback']);
    assert.equal(result.logMessages.length, 1);
    assert.equal(result.logMessages[0]!.level, 'warn');
    assert.match(result.logMessages[0]!.msg, /broken.*#greeting &&& \$x/);
  });
});
