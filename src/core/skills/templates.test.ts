import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTemplate } from './templates.js';

const soda = { entity: 'beverage', location: [0, 4] as [number, number], value: 'soda', confidence: 1 };

test('variables and detected entities are substituted; anything else stays as written', () => {
  const t = compileTemplate('Hi $name, one @beverage for $5 to <? $missing ?>help@bank.com @size.');
  assert.equal(t({ name: 'Ada' }, [soda]), 'Hi Ada, one soda for $5 to help@bank.com @size.');
  assert.equal(t({}, []), 'Hi $name, one @beverage for $5 to help@bank.com @size.');
});

test('non-string variables render as JSON', () => {
  assert.equal(compileTemplate('<? $n ?> items: $list')({ n: 3, list: ['a'] }), '3 items: ["a"]');
});
