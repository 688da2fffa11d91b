import { createHash } from 'node:crypto';
import type { AuditDetailValue, AuditEntryRecord, BrokenEntry } from '../../model/audit.js';

/** Bumped if the canonical form ever changes, so old entries keep verifying under the form they were sealed with. */
const FORMAT = 'lethe-audit-v1';

export type UnsealedEntry = Omit<AuditEntryRecord, 'hash'>;

/**
 * The exact text an entry's hash covers: a JSON array with the fields in a fixed order and the details as
 * [key, value] pairs sorted by key, so the same entry always serialises to the same bytes, whatever order its
 * details were written or stored in.
 */
export function canonicalEntry(e: UnsealedEntry): string {
  const details = Object.keys(e.details).sort().map((k) => [k, e.details[k]!]);
  return JSON.stringify([FORMAT, e.instanceId, e.seq, e.entryId, e.at, e.actor, e.action, e.target, details]);
}

/** SHA-256 over the previous entry's hash and this entry's canonical form. */
export function entryHash(e: UnsealedEntry): string {
  return createHash('sha256').update(e.prevHash).update('\n').update(canonicalEntry(e)).digest('hex');
}

export function seal(e: UnsealedEntry): AuditEntryRecord {
  return { ...e, hash: entryHash(e) };
}

const DETAIL_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** Details are flat and small; a float (whose text form other languages may print differently) is refused. */
export function checkDetails(details: Record<string, AuditDetailValue>): void {
  for (const [k, v] of Object.entries(details)) {
    if (!DETAIL_KEY.test(k)) throw new Error(`audit detail key ${JSON.stringify(k)} must be snake_case`);
    const ok = v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && v.length <= 256);
    if (!ok) throw new Error(`audit detail ${k} must be null, a boolean, a safe integer or a string of at most 256 characters`);
  }
}

/** Checks entries one after another, in chain order; stops at the first break. */
export class ChainWalker {
  private expectedSeq = 1;
  private prevHash: string;
  checked = 0;
  broken: BrokenEntry | null = null;

  constructor(genesis: string) {
    this.prevHash = genesis;
  }

  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  get lastHash(): string {
    return this.prevHash;
  }

  /** False once the chain is broken. */
  check(e: AuditEntryRecord): boolean {
    if (this.broken) return false;
    const at = { seq: e.seq, entryId: e.entryId };
    if (e.seq !== this.expectedSeq) {
      const message = e.seq > this.expectedSeq
        ? `entries ${this.expectedSeq}…${e.seq - 1} are missing before entry ${e.seq}`
        : `entry ${e.seq} appears where entry ${this.expectedSeq} belongs`;
      this.broken = { ...at, problem: 'sequence_gap', message };
    } else if (e.prevHash !== this.prevHash) {
      this.broken = { ...at, problem: 'previous_hash_mismatch', message: `entry ${e.seq} does not follow the entry before it (its previous hash differs)` };
    } else if (entryHash(e) !== e.hash) {
      this.broken = { ...at, problem: 'hash_mismatch', message: `entry ${e.seq} was altered after it was recorded (its content no longer matches its hash)` };
    }
    if (this.broken) return false;
    this.checked++;
    this.expectedSeq++;
    this.prevHash = e.hash;
    return true;
  }
}
