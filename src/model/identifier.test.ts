import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest } from './errors.js';
import { identifier, MAX_IDENTIFIER_LENGTH } from './identifier.js';

test('an identifier is normalised to NFC and otherwise kept as it is', () => {
  assert.equal(identifier('jose\u0301', 'id'), 'jos\u00e9', 'decomposed é becomes the precomposed one');
  assert.equal(identifier('jos\u00e9', 'id'), 'jos\u00e9');
  assert.equal(identifier('\u212B', 'id'), '\u00c5', 'the Ångström sign is canonically Å');
  for (const kept of ['Alice', 'alice', '\u0430lice', '山田 太郎', '😀👩‍👩‍👧', 'o"brien\\', '|language::!x\\', '\u200Fعلي', 'a\u00a0b', 'x'.repeat(MAX_IDENTIFIER_LENGTH)]) {
    assert.equal(identifier(kept, 'id'), kept, JSON.stringify(kept));
  }
  assert.equal(identifier('😀'.repeat(MAX_IDENTIFIER_LENGTH), 'id').length, 2 * MAX_IDENTIFIER_LENGTH, 'the limit counts code points, not UTF-16 units');
});

test('what cannot be an identifier is refused, naming the parameter but never echoing the value', () => {
  const refused = ['', ' ', ' alice', 'alice ', '\talice', 'alice\u3000', '\uFEFFalice', 'a\u0000b', 'a\nb', 'a\u0085b', 'a\u2028b', 'a\u007fb',
    '\uD800', 'x\uDFFFy', 'jos\uFFFD', 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1), '😀'.repeat(MAX_IDENTIFIER_LENGTH + 1)];
  for (const value of refused) {
    assert.throws(() => identifier(value, 'customer_id'), (err: Error) => {
      assert.ok(err instanceof BadRequest, JSON.stringify(value));
      assert.match(err.message, /^customer_id /);
      if (value.trim().length > 2) assert.ok(!err.message.includes(value.trim()), 'the value is not echoed');
      return true;
    });
  }
});
