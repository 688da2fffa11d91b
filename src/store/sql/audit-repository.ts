import type { Kysely, Selectable } from 'kysely';
import type { AuditDetailValue, AuditEntryRecord } from '../../model/audit.js';
import type { AuditRepository } from '../store.js';
import type { Tables } from './tables.js';

export function auditFromRow(r: Selectable<Tables['audit_entries']>): AuditEntryRecord {
  return {
    instanceId: r.instance_id, seq: Number(r.seq), entryId: r.entry_id, at: Number(r.at), actor: r.actor, action: r.action,
    target: r.target, details: JSON.parse(r.details) as Record<string, AuditDetailValue>, prevHash: r.prev_hash, hash: r.hash,
  };
}

export function auditToRow(e: AuditEntryRecord): Selectable<Tables['audit_entries']> {
  return {
    instance_id: e.instanceId, seq: e.seq, entry_id: e.entryId, at: e.at, actor: e.actor, action: e.action, target: e.target,
    details: JSON.stringify(e.details), prev_hash: e.prevHash, hash: e.hash,
  };
}

/** Audit reads, portable across engines; `append`, whose locking each engine provides its own way, is not here. */
export function sqlAuditRepository(db: Kysely<Tables>): Omit<AuditRepository, 'append'> {
  return {
    async list(instanceId, opts) {
      let q = db.selectFrom('audit_entries').selectAll().where('instance_id', '=', instanceId).orderBy('seq', 'desc').limit(opts.limit);
      if (opts.beforeSeq !== undefined) q = q.where('seq', '<', opts.beforeSeq);
      return (await q.execute()).map(auditFromRow);
    },
    async range(instanceId, afterSeq, limit) {
      const rows = await db.selectFrom('audit_entries').selectAll()
        .where('instance_id', '=', instanceId).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
      return rows.map(auditFromRow);
    },
    async head(instanceId) {
      const row = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('instance_id', '=', instanceId).executeTakeFirst();
      return row && { instanceId, seq: Number(row.seq), hash: row.hash };
    },
    async instances() {
      const rows = await db.selectFrom('audit_heads').select('instance_id as id')
        .union(db.selectFrom('audit_entries').select('instance_id as id').distinct())
        .orderBy('id').execute();
      return rows.map((r) => r.id);
    },
  };
}
