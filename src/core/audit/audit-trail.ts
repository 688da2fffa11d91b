import { newId } from '../../model/ids.js';
import type { SubjectHasher } from '../subjects/subject-hash.js';
import {
  AUDIT_GENESIS_HASH, type AuditDetailValue, type AuditEntryRecord, type AuditPage, type AuditVerification, type BrokenEntry, type ExpectedHead,
} from '../../model/audit.js';
import type { Subject } from '../../model/subjects.js';
import type { AuditRepository } from '../../store/store.js';
import { ChainWalker, checkDetails, seal } from './audit-chain.js';

export interface AuditInput {
  instanceId: string;
  /** See actors.ts: `key:<key id>`, `cli:<os user>`, `system`, `share-link`. */
  actor: string;
  /** `<area>.<verb>` (see AUDIT_ACTIONS). */
  action: string;
  /** The ID of the record acted on. */
  target?: string | null;
  /** Whom the operation concerns; recorded only as `subject_kind` and the keyed `subject_hash` of deletion receipts. */
  subject?: Subject;
  /** IDs, counts, flags: never names, message text or user identifiers. */
  details?: Record<string, AuditDetailValue>;
}

const VERIFY_PAGE = 1000;

/**
 * The append-only, hash-chained record of privileged operations, one chain per instance. Each entry's hash covers
 * the previous entry's hash, so editing, removing or reordering any entry breaks every hash after it; the head
 * (kept beside the entries, and printable for the operator to keep elsewhere) reveals a removed tail.
 */
export class AuditTrail {
  constructor(private readonly repo: AuditRepository, private readonly hasher: SubjectHasher) {}

  async record(input: AuditInput): Promise<AuditEntryRecord> {
    const details: Record<string, AuditDetailValue> = { ...input.details };
    if (input.subject) {
      details.subject_kind = input.subject.kind;
      details.subject_hash = this.hasher.hash(input.instanceId, input.subject);
    }
    checkDetails(details);
    const entryId = newId();
    const at = Date.now();
    return this.repo.append(input.instanceId, (head) => seal({
      instanceId: input.instanceId, seq: head.seq + 1, entryId, at, actor: input.actor, action: input.action,
      target: input.target ?? null, details, prevHash: head.hash,
    }));
  }

  /** Newest first. */
  async list(instanceId: string, opts: { beforeSeq?: number; limit: number }): Promise<AuditPage> {
    const entries = await this.repo.list(instanceId, { beforeSeq: opts.beforeSeq, limit: opts.limit + 1 });
    const more = entries.length > opts.limit;
    const page = entries.slice(0, opts.limit);
    return { entries: page, next: more ? page[page.length - 1]!.seq : null };
  }

  async head(instanceId: string): Promise<{ seq: number; hash: string; at: number | null }> {
    const head = await this.repo.head(instanceId);
    if (!head || head.seq === 0) return { seq: 0, hash: AUDIT_GENESIS_HASH, at: null };
    const [newest] = await this.repo.list(instanceId, { beforeSeq: head.seq + 1, limit: 1 });
    return { seq: head.seq, hash: head.hash, at: newest?.seq === head.seq ? newest.at : null };
  }

  instances(): Promise<string[]> {
    return this.repo.instances();
  }

  /**
   * Walks the whole chain and reports the first entry that breaks it. The stored head is read first, so entries
   * appended during the walk are checked by the chain alone and never mistaken for tampering. `expected` is a head recorded outside Lethe: it
   * catches a tail removed together with the stored head, or a chain rewritten with fresh hashes.
   */
  async verify(instanceId: string, expected?: ExpectedHead): Promise<AuditVerification> {
    const stored = await this.repo.head(instanceId);
    const walker = new ChainWalker(AUDIT_GENESIS_HASH);
    let expectedFound: { seq: number; hash: string } | null = null;
    let storedFound: string | null = null;
    let lastEntryId: string | null = null;
    walk: for (let after = 0; ;) {
      const page = await this.repo.range(instanceId, after, VERIFY_PAGE);
      for (const e of page) {
        if (!walker.check(e)) break walk;
        lastEntryId = e.entryId;
        if (e.seq === stored?.seq) storedFound = e.hash;
        if (expected && (expected.seq === undefined ? e.hash === expected.hash : e.seq === expected.seq)) expectedFound = { seq: e.seq, hash: e.hash };
      }
      if (page.length < VERIFY_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    const result = (broken: BrokenEntry | null): AuditVerification => ({
      instanceId, ok: broken === null, entries: walker.checked, head: { seq: walker.lastSeq, hash: walker.lastHash }, broken,
    });
    if (walker.broken) return result(walker.broken);
    const last = walker.lastSeq;
    if (!stored && last > 0) {
      return result({ seq: last, entryId: lastEntryId, problem: 'head_mismatch', message: 'the stored head of the chain is missing' });
    }
    if (stored && last < stored.seq) {
      return result({ seq: last + 1, entryId: null, problem: 'truncated', message: `entries ${last + 1}…${stored.seq} are missing: the trail was truncated` });
    }
    if (stored && stored.seq > 0 && storedFound !== stored.hash) {
      return result({ seq: stored.seq, entryId: null, problem: 'head_mismatch', message: `entry ${stored.seq} differs from the stored head` });
    }
    if (expected) {
      if (expected.seq !== undefined && expected.seq > last) {
        return result({ seq: last + 1, entryId: null, problem: 'truncated', message: `the expected head is entry ${expected.seq}, but the trail ends at entry ${last}: it was truncated` });
      }
      if (!expectedFound || expectedFound.hash !== expected.hash) {
        const seq = expectedFound?.seq ?? last + 1;
        return result({
          seq, entryId: null, problem: expectedFound ? 'head_mismatch' : 'truncated',
          message: expectedFound ? `entry ${seq} differs from the expected head: the trail was rewritten` : 'no entry has the expected head hash: the trail was truncated or rewritten',
        });
      }
    }
    return result(null);
  }
}

/** What the services that perform privileged operations need of the trail. */
export type AuditRecorder = Pick<AuditTrail, 'record'>;
