import type Database from 'better-sqlite3';
import { AUDIT_GENESIS_HASH, type AuditEntryRecord, type AuditHead } from '../../model/audit.js';
import { auditToRow } from '../sql/audit-repository.js';

/**
 * Audit appends as one BEGIN IMMEDIATE transaction: the write lock is taken before the head is read, so another
 * process appending to the same file waits (busy_timeout) instead of reading the same head and forking the chain,
 * and being synchronous, no other statement on the shared connection can slip in between.
 */
export function sqliteAuditAppend(raw: Database.Database) {
  const ensureHead = raw.prepare(
    'INSERT INTO audit_heads (instance_id, seq, hash, updated_at) VALUES (?, 0, ?, 0) ON CONFLICT (instance_id) DO NOTHING',
  );
  const readHead = raw.prepare('SELECT seq, hash FROM audit_heads WHERE instance_id = ?');
  const insert = raw.prepare(
    `INSERT INTO audit_entries (instance_id, seq, entry_id, at, actor, action, target, details, prev_hash, hash)
     VALUES (@instance_id, @seq, @entry_id, @at, @actor, @action, @target, @details, @prev_hash, @hash)`,
  );
  const moveHead = raw.prepare('UPDATE audit_heads SET seq = ?, hash = ?, updated_at = ? WHERE instance_id = ?');
  const appendTx = raw.transaction((instanceId: string, build: (head: AuditHead) => AuditEntryRecord) => {
    ensureHead.run(instanceId, AUDIT_GENESIS_HASH);
    const head = readHead.get(instanceId) as { seq: number; hash: string };
    const entry = build({ instanceId, seq: head.seq, hash: head.hash });
    if (entry.instanceId !== instanceId || entry.seq !== head.seq + 1 || entry.prevHash !== head.hash) {
      throw new Error('an audit entry must follow the head it was built from');
    }
    insert.run(auditToRow(entry));
    moveHead.run(entry.seq, entry.hash, entry.at, instanceId);
    return entry;
  });
  return async (instanceId: string, build: (head: AuditHead) => AuditEntryRecord): Promise<AuditEntryRecord> =>
    appendTx.immediate(instanceId, build);
}
