import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import { wildcardMatcher } from './wildcard.js';

/** What wildcards were before: a backtracking regular expression, correct but exponential in the number of stars. */
function referenceMatch(segments: readonly string[], value: string): boolean {
  const body = segments.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'isu').test(value);
}

// Case pairs the engine folds (K and the Kelvin sign, s and the long s, µ and μ), ones it does not (ı and I, İ and i),
// a surrogate pair and its lone halves, a newline, and letters that repeat so pieces overlap.
const ALPHABET = ['a', 'b', 'A', 'B', 'k', 'K', '\u212A', 's', 'ſ', 'S', 'µ', 'Μ', 'μ', 'ı', 'I', 'i', 'İ', 'ß', 'ẞ', 'σ', 'ς', 'Σ',
  '😀', '\uD83D', '\uDE00', '\n', '.', ' '];

test('agrees with the backtracking regular expression on random terms and values', () => {
  const random = seededRandom(0x5eed);
  const pick = () => ALPHABET[Math.floor(random() * ALPHABET.length)]!;
  const text = (max: number) => Array.from({ length: Math.floor(random() * max) }, pick).join('');
  let matched = 0;
  for (let i = 0; i < 20_000; i++) {
    const segments = Array.from({ length: 2 + Math.floor(random() * 4) }, () => text(3));
    const matches = wildcardMatcher(segments);
    // Values built from the pieces match often enough that both answers get exercised.
    const value = random() < 0.5 ? text(10) : segments.map((s) => s + text(2)).join('');
    const expected = referenceMatch(segments, value);
    assert.equal(matches(value), expected, `${JSON.stringify(segments)} on ${JSON.stringify(value)}`);
    if (expected) matched++;
  }
  assert.ok(matched > 2000, `${matched} matches`);
});

test('stars match any run of characters, pieces are literal and the ends are anchored', () => {
  const m = wildcardMatcher(['comm', 's']);
  assert.equal(m('communications'), true);
  assert.equal(m('COMMAS'), true);
  assert.equal(m('community'), false);
  assert.equal(m('xcommas'), false);
  assert.equal(wildcardMatcher(['a.', ''])('ab'), false, 'a dot is literal');
  assert.equal(wildcardMatcher(['ab', 'ba'])('aba'), false, 'the first and last pieces may not overlap');
  assert.equal(wildcardMatcher(['ab', 'ba'])('abba'), true);
  assert.equal(wildcardMatcher(['', '', '', ''])(''), true, 'stars alone match the empty value');
  assert.equal(wildcardMatcher(['', 'x\u212A', ''])('axkb'), true, 'folded as /iu folds: the Kelvin sign is k');
  assert.equal(wildcardMatcher(['', 'I', ''])('ı'), false, 'but the dotless i is not I');
});

test('pathological terms answer at once: no backtracking, whatever the number of stars', { timeout: 20_000 }, () => {
  // Each of these takes the regular expression longer than the age of the universe.
  const long = 'a'.repeat(100_000);
  const cases: [string[], string, boolean][] = [
    [[...Array(30).fill(''), 'z'], `${'x'.repeat(10_000)}y`, false],
    [[...Array(30).fill('a'), 'b'], long, false],
    [['', ...Array(2000).fill('a'), 'a'], long, true],
    [['', 'a'.repeat(4000) + 'b', ''], long, false],
    [[...Array(60).fill('aa'), ''], long, true],
  ];
  for (const [segments, value, expected] of cases) {
    assert.equal(wildcardMatcher(segments)(value), expected, `${segments.length} pieces`);
  }
});
