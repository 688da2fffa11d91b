import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestTsOf, SEQ_PER_MS, seqFloor } from '../../model/log-sequence.js';
import { migrate } from './migrations.js';
import { openSqlite } from './open-database.js';
import { SeqAllocator } from './seq-allocator.js';

function database() {
  const db = openSqlite('sqlite::memory:', { synchronous: 'NORMAL' });
  migrate(db);
  return db;
}

function insert(db: ReturnType<typeof database>, seq: number): void {
  db.prepare(`INSERT INTO logs (seq, log_id, instance_id, api, customer_ids, language, entities_count, input_text, learning_opt_out,
    request_ts, response_ts, request, response) VALUES (?, ?, 'i', 'v1', '[]', 'en', 0, '', 0, ?, ?, '{}', '{}')`).run(seq, `log-${seq}`, requestTsOf(seq), requestTsOf(seq));
}

test('keys follow request time, and count up within a millisecond', () => {
  const seqs = new SeqAllocator(database(), 'logs');
  const ms = 1_800_000_000_000;
  const a = seqs.allocate(ms);
  const b = seqs.allocate(ms);
  const earlier = seqs.allocate(ms - 5);
  assert.deepEqual([a, b], [seqFloor(ms), seqFloor(ms) + 1]);
  assert.equal(earlier, seqFloor(ms - 5), 'a slower message received earlier still sorts before');
  assert.equal(requestTsOf(b), ms);
});

test('past SEQ_PER_MS messages in one millisecond, the rest count as a millisecond later', () => {
  const seqs = new SeqAllocator(database(), 'logs');
  const ms = 1_800_000_000_000;
  let last = 0;
  for (let i = 0; i <= SEQ_PER_MS; i++) last = seqs.allocate(ms);
  assert.equal(last, seqFloor(ms + 1));
  assert.equal(seqs.allocate(ms + 1), seqFloor(ms + 1) + 1, 'and the next millisecond continues after them');
});

test('a new allocator (a restarted writer) continues after the keys already stored', () => {
  const db = database();
  const ms = 1_800_000_000_000;
  for (const seq of [seqFloor(ms), seqFloor(ms) + 1, seqFloor(ms) + 7]) insert(db, seq);
  assert.equal(new SeqAllocator(db, 'logs').allocate(ms), seqFloor(ms) + 8);
  assert.equal(new SeqAllocator(db, 'logs').allocate(ms + 1), seqFloor(ms + 1));
});

test('a millisecond no longer remembered is looked up, never reused', () => {
  const db = database();
  const seqs = new SeqAllocator(db, 'logs');
  const ms = 1_800_000_000_000;
  insert(db, seqs.allocate(ms));
  for (let i = 1; i <= 5000; i++) seqs.allocate(ms + i);
  assert.equal(seqs.allocate(ms), seqFloor(ms) + 1);
});
