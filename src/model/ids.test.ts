import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from './ids.js';

test('ids are RFC 9562 UUIDv7: version 7, RFC variant, current time in the first 48 bits', () => {
  const before = Date.now();
  const id = newId();
  const after = Date.now();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const ts = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  assert.ok(ts >= before && ts <= after);
});

test('ids are unique and sort by creation time across milliseconds', async () => {
  const first = Array.from({ length: 1000 }, newId);
  assert.equal(new Set(first).size, 1000);
  await new Promise((resolve) => setTimeout(resolve, 2));
  const later = newId();
  assert.ok(first.every((id) => id < later));
});

test('ids made in the same millisecond sort in the order they were made, past 4,096 of them too', () => {
  const ids = Array.from({ length: 10_000 }, newId);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
