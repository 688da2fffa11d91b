import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseFold } from './case-fold.js';

test('two characters fold alike exactly when a /iu regular expression calls them equal', () => {
  // Every character whose case matters, against every other: the whole equivalence of Unicode simple case folding.
  const cased: string[] = [];
  for (let cp = 0x41; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) cased.push(ch);
  }
  assert.ok(cased.length > 2500, `${cased.length} cased characters`);
  const folded = cased.map((ch) => caseFold(`é${ch}`).slice(1));
  for (let i = 0; i < cased.length; i++) {
    const same = new RegExp(`^\\u{${cased[i]!.codePointAt(0)!.toString(16)}}$`, 'iu');
    for (let j = 0; j < cased.length; j++) {
      if (same.test(cased[j]!) !== (folded[i] === folded[j])) assert.fail(`U+${cased[i]!.codePointAt(0)!.toString(16)} and U+${cased[j]!.codePointAt(0)!.toString(16)}`);
    }
  }
});

test('ASCII text folds as any other text would', () => {
  for (let cp = 0; cp < 0x80; cp++) {
    const ch = String.fromCharCode(cp);
    assert.equal(caseFold(ch), caseFold(`é${ch}`).slice(1), `U+${cp.toString(16)}`);
  }
  assert.equal(caseFold('Straße \u212Aelvin'), caseFold('STRAẞE kelvin'));
  assert.notEqual(caseFold('ı'), caseFold('i'));
  assert.equal(caseFold('x\uD800y'), caseFold('X\uD800Y'), 'lone surrogates are kept as they are');
});
