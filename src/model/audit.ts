/** A value in an audit entry's details: flat, so its canonical form is unambiguous. Numbers are safe integers. */
export type AuditDetailValue = string | number | boolean | null;

/**
 * One entry of an instance's hash-chained audit trail (src/core/audit): who did which privileged operation to which
 * record. It holds IDs, counts and keyed subject hashes, never personal data.
 */
export interface AuditEntryRecord {
  instanceId: string;
  /** 1, 2, 3 … within the instance, without gaps. */
  seq: number;
  entryId: string;
  at: number;
  /** `key:<key id>`, `cli:<os user>`, `system` or `share-link`. */
  actor: string;
  /** `<area>.<verb>`, e.g. `key.create`, `dsr.deletion.complete`. */
  action: string;
  /** The ID of the record acted on (job, key, export, workspace …), if any. */
  target: string | null;
  details: Record<string, AuditDetailValue>;
  /** `hash` of the previous entry; AUDIT_GENESIS_HASH for the first. */
  prevHash: string;
  hash: string;
}

/** The newest entry of an instance's chain, kept beside the entries so a removed tail is noticed. */
export interface AuditHead {
  instanceId: string;
  seq: number;
  hash: string;
}

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditPage {
  entries: AuditEntryRecord[];
  /** Pass as `beforeSeq` for the next (older) page; null on the last. */
  next: number | null;
}

export type AuditProblem = 'hash_mismatch' | 'sequence_gap' | 'previous_hash_mismatch' | 'truncated' | 'head_mismatch';

export interface BrokenEntry {
  /** The entry where the chain breaks (for a truncation: the first missing one). */
  seq: number;
  entryId: string | null;
  problem: AuditProblem;
  message: string;
}

/** Where a chain was seen to end, recorded by the operator outside Lethe; `seq` is optional with a hash. */
export interface ExpectedHead {
  seq?: number;
  hash: string;
}

export interface AuditVerification {
  instanceId: string;
  ok: boolean;
  /** Entries found intact (all of them when ok). */
  entries: number;
  head: { seq: number; hash: string };
  broken: BrokenEntry | null;
}
