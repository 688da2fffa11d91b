import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest } from '../../model/errors.js';
import { checkInstanceWideFilter, decodeCursor, encodeCursor, parseLogFilter } from './log-queries.js';

test('cursors round-trip and refuse tampering or a changed sort', () => {
  const c = encodeCursor({ seq: 1700000000000 * 1024 + 42 }, true);
  assert.deepEqual(decodeCursor(c, true), { seq: 1700000000000 * 1024 + 42 });
  assert.throws(() => decodeCursor(c, false), BadRequest);
  for (const bad of ['', 'xyz', Buffer.from('[1]').toString('base64url'), Buffer.from('["a",0]').toString('base64url')]) {
    assert.throws(() => decodeCursor(bad, false), BadRequest);
  }
});

test('the instance-wide listing needs language and a narrowing field, AND-ed', () => {
  const ok = ['language::en,workspace_id::w', 'request.context.system.assistant_id::a,language::en', 'language::en,(workspace_id::a|workspace_id::b)'];
  for (const f of ok) assert.doesNotThrow(() => checkInstanceWideFilter(parseLogFilter(f, 'v1')), f);
  const bad = ['language::en', 'workspace_id::w', 'language::en|workspace_id::w', 'language::en,(workspace_id::a|language::fr)', 'language::!en,workspace_id::w'];
  for (const f of bad) assert.throws(() => checkInstanceWideFilter(parseLogFilter(f, 'v1')), BadRequest, f);
});

test('filter syntax errors become 400s carrying the parser message', () => {
  assert.throws(() => parseLogFilter('customer_id', 'v1'), (err: BadRequest) => err.status === 400 && /position 11/.test(err.message));
});

test('customer and user ID terms are compared in NFC, as the IDs are stored; other fields as written', () => {
  const terms = (f: string) => JSON.stringify(parseLogFilter(f, 'any'), (k, v) => (k === 'position' || k === 'field' ? undefined : v));
  assert.equal(terms('customer_id::"jose\u0301"'), terms('customer_id::"jos\u00e9"'));
  assert.equal(terms('request.context.metadata.user_id::jose\u0301*'), terms('request.context.metadata.user_id::jos\u00e9*'));
  assert.notEqual(terms('conversation_id::"jose\u0301"'), terms('conversation_id::"jos\u00e9"'), 'a conversation ID is not an identifier of a person');
});
