import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { runTwoAppenders } from '../../../test/helpers/audit-appenders.js';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import { SubjectHasher } from '../subjects/subject-hash.js';
import { AuditTrail } from './audit-trail.js';

describe('AuditTrail over a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lethe-audit-'));
  let n = 0;
  let url: string;
  let store: Store;
  let audit: AuditTrail;
  let hasher: SubjectHasher;
  /** A second connection, as someone editing the file directly would have. */
  let raw: Database.Database;

  const recordMany = async (instanceId: string, count: number) => {
    for (let i = 1; i <= count; i++) await audit.record({ instanceId, actor: 'key:k1', action: 'key.create', target: `key-${i}`, details: { i } });
  };

  beforeEach(async () => {
    await store?.close();
    raw?.close();
    url = `sqlite:${join(dir, `a${++n}.db`)}`;
    store = openSqliteStore(url, { synchronous: 'NORMAL' });
    hasher = await SubjectHasher.load(store.secrets);
    audit = new AuditTrail(store.audit, hasher);
    raw = new Database(url.slice('sqlite:'.length));
  });
  after(async () => {
    await store.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('entries chain per instance, page newest first, and verify', async () => {
    await recordMany('i1', 5);
    await recordMany('i2', 2);
    const first = await audit.list('i1', { limit: 2 });
    assert.deepEqual(first.entries.map((e) => e.seq), [5, 4]);
    const second = await audit.list('i1', { limit: 2, beforeSeq: first.next! });
    assert.deepEqual(second.entries.map((e) => e.seq), [3, 2]);
    const last = await audit.list('i1', { limit: 2, beforeSeq: second.next! });
    assert.deepEqual([last.entries.map((e) => e.seq), last.next], [[1], null]);
    assert.deepEqual((await audit.list('i2', { limit: 10 })).entries.map((e) => e.target), ['key-2', 'key-1']);

    const v = await audit.verify('i1');
    assert.deepEqual([v.ok, v.entries, v.head.seq, v.broken], [true, 5, 5, null]);
    const head = await audit.head('i1');
    assert.deepEqual([head.seq, head.hash], [5, v.head.hash]);
    assert.deepEqual(await audit.instances(), ['i1', 'i2']);
    assert.deepEqual(await audit.verify('nobody'), { instanceId: 'nobody', ok: true, entries: 0, head: { seq: 0, hash: '0'.repeat(64) }, broken: null });
  });

  test('a subject is recorded only as its kind and keyed hash, the hash of deletion receipts', async () => {
    const e = await audit.record({ instanceId: 'i1', actor: 'system', action: 'dsr.access', subject: { kind: 'user_id', value: 'alice@example.com' } });
    assert.deepEqual(e.details, { subject_kind: 'user_id', subject_hash: hasher.hash('i1', { kind: 'user_id', value: 'alice@example.com' }) });
    const stored = JSON.stringify(raw.prepare('SELECT * FROM audit_entries').all());
    assert.equal(stored.includes('alice'), false);
  });

  test('an edited row fails verification at that entry', async () => {
    await recordMany('i1', 4);
    raw.prepare(`UPDATE audit_entries SET actor = 'system' WHERE instance_id = 'i1' AND seq = 2`).run();
    const v = await audit.verify('i1');
    assert.deepEqual([v.ok, v.entries, v.broken?.seq, v.broken?.problem], [false, 1, 2, 'hash_mismatch']);
    assert.ok((await audit.verify('i2')).ok, 'other instances are untouched');
  });

  test('a removed tail is caught by the stored head, and by an anchor kept elsewhere when the head is forged too', async () => {
    await recordMany('i1', 5);
    const anchor = await audit.head('i1');
    raw.prepare(`DELETE FROM audit_entries WHERE instance_id = 'i1' AND seq >= 4`).run();
    const v = await audit.verify('i1');
    assert.deepEqual([v.ok, v.broken?.seq, v.broken?.problem], [false, 4, 'truncated']);

    const third = raw.prepare(`SELECT hash FROM audit_entries WHERE instance_id = 'i1' AND seq = 3`).get() as { hash: string };
    raw.prepare(`UPDATE audit_heads SET seq = 3, hash = ? WHERE instance_id = 'i1'`).run(third.hash);
    assert.equal((await audit.verify('i1')).ok, true, 'a consistent forged head hides the cut from the chain alone');
    const anchored = await audit.verify('i1', { seq: anchor.seq, hash: anchor.hash });
    assert.deepEqual([anchored.ok, anchored.broken?.seq, anchored.broken?.problem], [false, 4, 'truncated']);
    const byHash = await audit.verify('i1', { hash: anchor.hash });
    assert.deepEqual([byHash.ok, byHash.broken?.problem], [false, 'truncated']);
  });

  test('an anchor still matches after the chain grew, and a rewritten chain does not', async () => {
    await recordMany('i1', 3);
    const anchor = await audit.head('i1');
    await recordMany('i1', 2);
    assert.equal((await audit.verify('i1', { seq: anchor.seq, hash: anchor.hash })).ok, true);
    assert.equal((await audit.verify('i1', { hash: anchor.hash })).ok, true);
    const v = await audit.verify('i1', { seq: anchor.seq, hash: 'f'.repeat(64) });
    assert.deepEqual([v.ok, v.broken?.seq, v.broken?.problem], [false, 3, 'head_mismatch']);
  });

  test('a deleted head record is reported', async () => {
    await recordMany('i1', 2);
    raw.prepare(`DELETE FROM audit_heads WHERE instance_id = 'i1'`).run();
    const v = await audit.verify('i1');
    assert.deepEqual([v.ok, v.broken?.problem], [false, 'head_mismatch']);
  });

  test('a middle row removed is a gap; rows reordered break the link', async () => {
    await recordMany('i1', 5);
    raw.prepare(`DELETE FROM audit_entries WHERE instance_id = 'i1' AND seq = 3`).run();
    const gap = await audit.verify('i1');
    assert.deepEqual([gap.broken?.seq, gap.broken?.problem], [4, 'sequence_gap']);

    await recordMany('i2', 4);
    raw.transaction(() => {
      raw.prepare(`UPDATE audit_entries SET seq = -2 WHERE instance_id = 'i2' AND seq = 2`).run();
      raw.prepare(`UPDATE audit_entries SET seq = 2 WHERE instance_id = 'i2' AND seq = 3`).run();
      raw.prepare(`UPDATE audit_entries SET seq = 3 WHERE instance_id = 'i2' AND seq = -2`).run();
    })();
    const swapped = await audit.verify('i2');
    assert.deepEqual([swapped.broken?.seq, swapped.broken?.problem], [2, 'previous_hash_mismatch']);
  });

  test('two processes appending to one file at once never fork the chain', async () => {
    await store.close();
    assert.deepEqual(await runTwoAppenders(url, 'shared', 10, 100), [0, 0]);
    store = openSqliteStore(url, { synchronous: 'NORMAL' });
    audit = new AuditTrail(store.audit, hasher);
    const v = await audit.verify('shared');
    assert.deepEqual([v.ok, v.entries], [true, 2000]);
    const actors = (raw.prepare(`SELECT actor, count(*) AS n FROM audit_entries GROUP BY actor ORDER BY actor`).all() as { actor: string; n: number }[]);
    assert.deepEqual(actors, [{ actor: 'a', n: 1000 }, { actor: 'b', n: 1000 }]);
  });
});
