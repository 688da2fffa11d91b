import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import { editDistance, withinDistance } from './edit-distance.js';

test('the banded test agrees with the full Levenshtein distance on random strings', () => {
  const random = seededRandom(0xed17);
  const text = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => 'abc'[Math.floor(random() * 3)]).join('');
  for (let i = 0; i < 20_000; i++) {
    const a = text(9);
    // Half the time a few edits of `a`, so distances of 0 to 3 are common.
    let b = random() < 0.5 ? text(9) : a;
    for (let e = Math.floor(random() * 4); e > 0 && b === a; e--) b = b.slice(0, Math.floor(random() * b.length)) + text(2) + b.slice(Math.floor(random() * b.length) + 1);
    for (const k of [0, 1, 2, 3]) assert.equal(withinDistance(a, b, k), editDistance(a, b) <= k, `${a} ${b} within ${k}`);
  }
});

test('long strings cost length × edits, not length²', { timeout: 20_000 }, () => {
  // The full table would be 10^10 cells per pair.
  const a = 'ab'.repeat(50_000);
  assert.equal(withinDistance(a, `x${a.slice(1)}`, 2), true);
  assert.equal(withinDistance(a, `${a.slice(0, 50_000)}xyz${a.slice(50_003)}`, 2), false);
  assert.equal(withinDistance(a, `b${a}`, 1), true);
  assert.equal(withinDistance(a, 'a'.repeat(100_000), 2), false);
});
