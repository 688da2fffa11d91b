import type { AuditEntryRecord, AuditPage, AuditVerification } from '../../model/audit.js';
import { iso } from '../iso.js';

export function auditEntryJson(e: AuditEntryRecord) {
  return {
    seq: e.seq, entry_id: e.entryId, at: iso(e.at), actor: e.actor, action: e.action, target: e.target,
    details: e.details, prev_hash: e.prevHash, hash: e.hash,
  };
}

/** Newest first; `next_before` asks for the next (older) page. */
export function auditPageJson(page: AuditPage) {
  return { entries: page.entries.map(auditEntryJson), next_before: page.next };
}

/** `anchor` is what an operator records elsewhere and later passes as the expected head. */
export function auditHeadJson(instanceId: string, head: { seq: number; hash: string; at?: number | null }) {
  return {
    instance_id: instanceId, seq: head.seq, hash: head.hash, anchor: `${head.seq}:${head.hash}`,
    ...(head.at !== undefined ? { at: iso(head.at) } : {}),
  };
}

export function auditVerificationJson(v: AuditVerification) {
  return {
    instance_id: v.instanceId, ok: v.ok, entries: v.entries,
    // When broken: the last intact entry, up to which the chain can still be trusted.
    head: { seq: v.head.seq, hash: v.head.hash, anchor: `${v.head.seq}:${v.head.hash}` },
    broken: v.broken && { seq: v.broken.seq, entry_id: v.broken.entryId, problem: v.broken.problem, message: v.broken.message },
  };
}
