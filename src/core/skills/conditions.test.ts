import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, type ConditionContext } from './conditions.js';
import type { RuntimeEntity } from './runtime-entity.js';

const mention = (entity: string, value: string): RuntimeEntity => ({ entity, value, location: [0, 1], confidence: 1 });

const context: ConditionContext = {
  topIntent: 'transfer_money',
  entities: [mention('account_type', 'savings'), mention('city', 'New York'), mention('sys-number', '50')],
  variables: { name: 'Ann', empty: '', zero: 0, vip: true, count: 3, level: '7', user: { tier: 'gold' } },
  welcome: false,
  conversationStart: false,
};
const holds = (source: string, ctx: ConditionContext = context) => {
  const condition = compileCondition(source);
  assert.equal(condition.error, undefined, `${source}: ${condition.error}`);
  return condition.evaluate(ctx);
};

describe('conditions', () => {
  it('#intent holds for the top intent only', () => {
    assert.equal(holds('#transfer_money'), true);
    assert.equal(holds('#check_balance'), false);
    assert.equal(holds('#transfer_money', { ...context, topIntent: undefined }), false);
  });

  it('@entity, @entity:value and @entity:(value with spaces)', () => {
    assert.equal(holds('@account_type'), true);
    assert.equal(holds('@color'), false);
    assert.equal(holds('@account_type:savings'), true);
    assert.equal(holds('@account_type:Savings'), true);
    assert.equal(holds('@account_type:checking'), false);
    assert.equal(holds('@city:(New York)'), true);
    assert.equal(holds('@city:(Los Angeles)'), false);
    assert.equal(holds('@sys-number'), true);
  });

  it('$variable is truthy when set to a non-empty, non-zero, non-false value', () => {
    assert.equal(holds('$name'), true);
    assert.equal(holds('$vip'), true);
    assert.equal(holds('$empty'), false);
    assert.equal(holds('$zero'), false);
    assert.equal(holds('$missing'), false);
    assert.equal(holds('$user.tier'), true);
    assert.equal(holds('$user.nothing.deeper'), false);
    assert.equal(holds('$constructor'), false);
  });

  it('compares with string and number literals', () => {
    assert.equal(holds("$name == 'Ann'"), true);
    assert.equal(holds('$name == "Bob"'), false);
    assert.equal(holds("$name != 'Bob'"), true);
    assert.equal(holds('$count == 3'), true);
    assert.equal(holds('$level == 7'), true);
    assert.equal(holds('$level > 5 && $count <= 3'), true);
    assert.equal(holds('@sys-number >= 100'), false);
    assert.equal(holds("@account_type == 'savings'"), true);
    assert.equal(holds('$missing == null'), true);
    assert.equal(holds("$name > 'A'"), false);
    assert.equal(holds("$user.tier == 'gold'"), true);
    assert.equal(holds("'it\\'s' == 'it\\'s'"), true);
  });

  it('combines with &&, ||, and, or, !, not and parentheses, with the usual precedence', () => {
    assert.equal(holds('#check_balance || @account_type'), true);
    assert.equal(holds('#check_balance or @account_type && $empty'), false);
    assert.equal(holds('(#check_balance or @account_type) and $name'), true);
    assert.equal(holds('!#check_balance && not $empty'), true);
    assert.equal(holds('! (#transfer_money)'), false);
    assert.equal(holds('not not $name'), true);
    assert.equal(holds('#transfer_money AND @city:(New York)'), true);
  });

  it('keywords: true, false, anything_else, welcome, conversation_start, irrelevant', () => {
    assert.equal(holds('true'), true);
    assert.equal(holds('false'), false);
    assert.equal(holds('anything_else'), true);
    assert.equal(holds('welcome'), false);
    assert.equal(holds('welcome', { ...context, welcome: true, conversationStart: true }), true);
    assert.equal(holds('conversation_start', { ...context, conversationStart: true }), true);
    assert.equal(holds('irrelevant'), false);
    assert.equal(holds('irrelevant', { ...context, topIntent: undefined }), true);
  });

  it('an empty condition never holds, without an error', () => {
    for (const source of [undefined, '', '   ']) {
      const condition = compileCondition(source);
      assert.equal(condition.error, undefined);
      assert.equal(condition.evaluate(context), false);
    }
  });

  it('a condition that does not parse is false and explains why', () => {
    for (const source of ['#a &&', '(#transfer_money', '#transfer_money )', 'foo', '@', '#transfer_money $name', 'input.text == "x"', '~', 'constructor']) {
      const condition = compileCondition(source);
      assert.equal(condition.evaluate(context), false, source);
      assert.ok(condition.error?.includes(source), `${source}: ${condition.error}`);
    }
  });
});
