import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgJson, pgText } from './pg-text.js';

test('a NUL in text becomes U+FFFD; everything else is untouched', () => {
  assert.equal(pgText('a\u0000b\u0000'), 'a\uFFFDb\uFFFD');
  assert.equal(pgText('plain \\u0000 text'), 'plain \\u0000 text', 'the six characters \\u0000 are not a NUL');
  assert.equal(pgText(42), 42);
  assert.equal(pgText(null), null);
});

test('JSON keeps its meaning except that a NUL in a string becomes U+FFFD', () => {
  const value = { nul: 'a\u0000b', literal: 'back\\u0000slash', deeper: ['\\\u0000', '\u0000'] };
  const json = pgJson(value);
  assert.equal(/(?<!\\)(\\\\)*\\u0000/.test(json), false, 'no \\u0000 escape, which jsonb rejects');
  assert.deepEqual(JSON.parse(json), { nul: 'a\uFFFDb', literal: 'back\\u0000slash', deeper: ['\\\uFFFD', '\uFFFD'] });
});
