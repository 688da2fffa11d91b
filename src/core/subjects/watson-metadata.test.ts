import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest } from '../errors.js';
import { parseLearningOptOut, parseWatsonMetadata } from './watson-metadata.js';

test('X-Watson-Metadata yields every customer ID, once each, in order', () => {
  assert.deepEqual(parseWatsonMetadata(undefined), []);
  assert.deepEqual(parseWatsonMetadata('customer_id=abc'), ['abc']);
  assert.deepEqual(parseWatsonMetadata('customer_id=a; customer_id=b;customer_id=a;'), ['a', 'b']);
  assert.deepEqual(parseWatsonMetadata('customer_id=slack_T09LVDR7YW4F8K9JNF'), ['slack_T09LVDR7YW4F8K9JNF']);
});

test('X-Watson-Metadata that cannot be read exactly is a 400', () => {
  const bad = ['', ';', 'customer_id', 'customer_id=', 'customer_id=a=b', 'customerid=a', 'customer_id=a;x=b',
    `customer_id=${'x'.repeat(257)}`, 'customer_id=tab\there', Array.from({ length: 21 }, (_, i) => `customer_id=${i}`).join(';')];
  for (const header of bad) assert.throws(() => parseWatsonMetadata(header), BadRequest, JSON.stringify(header));
  assert.throws(() => parseWatsonMetadata(['customer_id=a', 'customer_id=b']), BadRequest);
});

test('X-Watson-Learning-Opt-Out accepts true/false and 1/0 only', () => {
  assert.equal(parseLearningOptOut(undefined), false);
  assert.equal(parseLearningOptOut('true'), true);
  assert.equal(parseLearningOptOut('TRUE'), true);
  assert.equal(parseLearningOptOut('1'), true);
  assert.equal(parseLearningOptOut('false'), false);
  assert.throws(() => parseLearningOptOut('yes'), BadRequest);
});
