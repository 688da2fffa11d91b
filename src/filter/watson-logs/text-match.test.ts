import assert from 'node:assert/strict';
import { test } from 'node:test';
import { someWordMatches, someWordWithin, withinEdits, wordsOf } from './text-match.js';
import { wildcardMatcher } from './wildcard.js';

test('words are lowercased Unicode letter/digit runs', () => {
  assert.deepEqual(wordsOf('Hello, Wörld! it\'s 2 o\'clock_now'), ['hello', 'wörld', 'it', 's', '2', 'o', 'clock_now']);
});

test('wildcards match whole words, pieces taken literally', () => {
  const m = wildcardMatcher(['comm', 's']);
  assert.equal(someWordMatches('network communications issue', m), true);
  assert.equal(someWordMatches('commas', m), true);
  assert.equal(someWordMatches('community', m), false);
  assert.equal(someWordMatches('a.b', wildcardMatcher(['a.', ''])), false, 'a dot is literal, not any character');
});

test('approximate matching counts single-character edits, as the IBM reference describes', () => {
  for (const w of ['car', 'cat', 'cars']) assert.equal(someWordWithin(`my ${w} here`, 'car', 1), true, w);
  assert.equal(someWordWithin('my cats here', 'car', 1), false);
  assert.equal(someWordWithin('Talk to Wattson', 'Watson', 2), true);
  assert.equal(withinEdits('ABC', 'abd', 1), true);
  assert.equal(withinEdits('abc', 'xyz', 2), false);
  assert.equal(withinEdits('İ', 'i\u0307', 0), true, 'lengths are compared after lower-casing');
});
