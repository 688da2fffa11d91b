import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

test('nesting up to the limit passes; one level more is refused; brackets inside strings do not count', () => {
  checkJsonDepth('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH));
  assert.throws(() => checkJsonDepth('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1)), /nested deeper/);
  checkJsonDepth(JSON.stringify({ a: '['.repeat(1000), b: '\\"[[[[' }));
  checkJsonDepth(`[${'[]'.repeat(10_000)}]`);
});
