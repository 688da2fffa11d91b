import assert from 'node:assert/strict';
import { test } from 'node:test';
import { someWordMatches, someWordWithin, wildcardRegex, withinEdits, wordsOf } from './text-match.js';

test('words are lowercased Unicode letter/digit runs', () => {
  assert.deepEqual(wordsOf('Hello, Wörld! it\'s 2 o\'clock_now'), ['hello', 'wörld', 'it', 's', '2', 'o', 'clock_now']);
});

test('wildcards match whole words, pieces taken literally', () => {
  const re = wildcardRegex(['comm', 's']);
  assert.equal(someWordMatches('network communications issue', re), true);
  assert.equal(someWordMatches('commas', re), true);
  assert.equal(someWordMatches('community', re), false);
  assert.equal(someWordMatches('a.b', wildcardRegex(['a.', ''])), false, 'a dot is literal, not any character');
});

test('approximate matching counts single-character edits, as the IBM reference describes', () => {
  for (const w of ['car', 'cat', 'cars']) assert.equal(someWordWithin(`my ${w} here`, 'car', 1), true, w);
  assert.equal(someWordWithin('my cats here', 'car', 1), false);
  assert.equal(someWordWithin('Talk to Wattson', 'Watson', 2), true);
  assert.equal(withinEdits('ABC', 'abd', 1), true);
  assert.equal(withinEdits('abc', 'xyz', 2), false);
});
