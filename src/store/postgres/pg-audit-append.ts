import type pg from 'pg';
import { AUDIT_GENESIS_HASH, type AuditEntryRecord, type AuditHead } from '../../model/audit.js';
import { auditToRow } from '../sql/audit-repository.js';
import { withTransaction } from './transaction.js';

/**
 * Audit appends serialise per instance on the instance's `audit_heads` row: it is created if absent (a concurrent
 * creator's row wins, ON CONFLICT DO NOTHING waits for it), then locked FOR UPDATE before the head is read, so an
 * append in another process waits for this transaction and then reads the head it moved. Chains of different
 * instances never wait for each other.
 */
export function pgAuditAppend(pool: pg.Pool) {
  return async (instanceId: string, build: (head: AuditHead) => AuditEntryRecord): Promise<AuditEntryRecord> =>
    withTransaction(pool, async (client) => {
      await client.query(
        'INSERT INTO audit_heads (instance_id, seq, hash, updated_at) VALUES ($1, 0, $2, 0) ON CONFLICT (instance_id) DO NOTHING',
        [instanceId, AUDIT_GENESIS_HASH],
      );
      const { rows: [head] } = await client.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_heads WHERE instance_id = $1 FOR UPDATE', [instanceId],
      );
      if (!head) throw new Error('the audit head row vanished while it was being locked');
      const entry = build({ instanceId, seq: Number(head.seq), hash: head.hash });
      if (entry.instanceId !== instanceId || entry.seq !== Number(head.seq) + 1 || entry.prevHash !== head.hash) {
        throw new Error('an audit entry must follow the head it was built from');
      }
      const row = auditToRow(entry);
      await client.query(
        `INSERT INTO audit_entries (instance_id, seq, entry_id, at, actor, action, target, details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.instance_id, row.seq, row.entry_id, row.at, row.actor, row.action, row.target, row.details, row.prev_hash, row.hash],
      );
      await client.query('UPDATE audit_heads SET seq = $1, hash = $2, updated_at = $3 WHERE instance_id = $4', [entry.seq, entry.hash, entry.at, instanceId]);
      return entry;
    });
}
