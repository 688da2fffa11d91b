import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { AUDIT_GENESIS_HASH, type AuditEntryRecord } from '../../model/audit.js';
import { canonicalEntry, ChainWalker, checkDetails, entryHash, seal, type UnsealedEntry } from './audit-chain.js';

function chain(n: number): AuditEntryRecord[] {
  const out: AuditEntryRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    out.push(seal({
      instanceId: 'i1', seq, entryId: `e${seq}`, at: 1_700_000_000_000 + seq, actor: 'key:k1', action: 'key.create',
      target: `t${seq}`, details: { privileges: 'admin', n: seq }, prevHash: out[seq - 2]?.hash ?? AUDIT_GENESIS_HASH,
    }));
  }
  return out;
}

function walk(entries: AuditEntryRecord[]) {
  const w = new ChainWalker(AUDIT_GENESIS_HASH);
  for (const e of entries) if (!w.check(e)) break;
  return w;
}

test('the canonical form has a fixed field order and ignores the order details were written in', () => {
  const base: UnsealedEntry = { instanceId: 'i', seq: 1, entryId: 'e', at: 5, actor: 'system', action: 'a.b', target: null, details: { b: 1, a: 'x' }, prevHash: 'p' };
  assert.equal(canonicalEntry(base), '["lethe-audit-v1","i",1,"e",5,"system","a.b",null,[["a","x"],["b",1]]]');
  assert.equal(canonicalEntry({ ...base, details: { a: 'x', b: 1 } }), canonicalEntry(base));
  assert.equal(entryHash(base), createHash('sha256').update(`p\n${canonicalEntry(base)}`).digest('hex'), 'reproducible with any SHA-256 tool');
});

test('every field is covered by the hash', () => {
  const base: UnsealedEntry = { instanceId: 'i', seq: 1, entryId: 'e', at: 5, actor: 'system', action: 'a.b', target: 't', details: { a: 'x' }, prevHash: 'p' };
  const variants: UnsealedEntry[] = [
    { ...base, instanceId: 'j' }, { ...base, seq: 2 }, { ...base, entryId: 'f' }, { ...base, at: 6 }, { ...base, actor: 'key:k' },
    { ...base, action: 'a.c' }, { ...base, target: null }, { ...base, details: { a: 'y' } }, { ...base, details: { a: 'x', b: null } },
    { ...base, prevHash: 'q' },
  ];
  const hashes = new Set([entryHash(base), ...variants.map(entryHash)]);
  assert.equal(hashes.size, variants.length + 1);
});

test('an intact chain verifies to its last entry', () => {
  const entries = chain(5);
  const w = walk(entries);
  assert.equal(w.broken, null);
  assert.equal(w.checked, 5);
  assert.equal(w.lastHash, entries[4]!.hash);
});

test('an edited entry breaks with a hash mismatch at that entry', () => {
  const entries = chain(5);
  entries[2] = { ...entries[2]!, details: { privileges: 'admin,message', n: 3 } };
  const w = walk(entries);
  assert.deepEqual(w.broken && [w.broken.seq, w.broken.problem, w.broken.entryId], [3, 'hash_mismatch', 'e3']);
  assert.equal(w.checked, 2);
});

test('an edited entry re-sealed with a fresh hash breaks the link to the next one', () => {
  const entries = chain(5);
  entries[2] = seal({ ...entries[2]!, actor: 'system' });
  const w = walk(entries);
  assert.deepEqual(w.broken && [w.broken.seq, w.broken.problem], [4, 'previous_hash_mismatch']);
});

test('a removed entry is a gap in the sequence, named by the entry after it', () => {
  const entries = chain(5);
  entries.splice(1, 1);
  const w = walk(entries);
  assert.deepEqual(w.broken && [w.broken.seq, w.broken.problem], [3, 'sequence_gap']);
  assert.match(w.broken!.message, /entries 2…2 are missing/);
});

test('entries swapped in place (sequence numbers exchanged) break the chain', () => {
  const entries = chain(4);
  const [two, three] = [entries[1]!, entries[2]!];
  entries[1] = { ...three, seq: 2 };
  entries[2] = { ...two, seq: 3 };
  const w = walk(entries);
  assert.deepEqual(w.broken && [w.broken.seq, w.broken.problem], [2, 'previous_hash_mismatch']);
});

test('details are flat: no floats, nested values or odd keys', () => {
  assert.doesNotThrow(() => checkDetails({ a: 'x', b: 1, c: true, d: null }));
  assert.throws(() => checkDetails({ a: 1.5 }), /safe integer/);
  assert.throws(() => checkDetails({ a: { b: 1 } as never }), /safe integer/);
  assert.throws(() => checkDetails({ 'Customer ID': 'x' }), /snake_case/);
  assert.throws(() => checkDetails({ a: 'x'.repeat(257) }), /256/);
});
