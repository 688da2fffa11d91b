import { subjectOf } from '../../model/identifier.js';
import type { SubjectLookup, SubjectSection } from '../../model/subject-data.js';
import type { Subject, SubjectTargets } from '../../model/subjects.js';
import type { Store } from '../../store/store.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import type { DeletionRequests } from './deletion-requests.js';
import { subjectEvents, subjectLogs } from './subject-records.js';

/**
 * The data-subject rights of access and portability: finds what Lethe holds on a person, under every alias that
 * links records to them (the same aliases a deletion covers), and reads it out section by section.
 */
export class SubjectData {
  constructor(
    private readonly store: Store,
    private readonly targetsOf: (instanceId: string, subject: Subject) => SubjectTargets,
    private readonly deletions: DeletionRequests,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * What is held on the person (named under the identifier rule, identifier.ts); recorded in the audit trail (the
   * person by keyed hash) like every read of their data.
   */
  async find(instanceId: string, named: Subject, actor: string): Promise<SubjectLookup> {
    const subject = subjectOf(named);
    const lookup = await this.lookup(instanceId, subject);
    await this.audit.record({ instanceId, actor, action: 'dsr.find', subject, details: lookup.holdings });
    return lookup;
  }

  /** The person's data for the right of access (one JSON document) or of portability (an archive), recorded as such. */
  async readOut(instanceId: string, named: Subject, actor: string, right: 'access' | 'export'): Promise<{ lookup: SubjectLookup; sections: SubjectSection[] }> {
    const subject = subjectOf(named);
    const lookup = await this.lookup(instanceId, subject);
    await this.audit.record({ instanceId, actor, action: `dsr.${right}`, subject, details: lookup.holdings });
    return { lookup, sections: this.sections(instanceId, subject) };
  }

  private async lookup(instanceId: string, subject: Subject): Promise<SubjectLookup> {
    const [holdings, deletionJobs] = await Promise.all([
      this.store.subjects.holdings(instanceId, this.targetsOf(instanceId, subject), Number.MAX_SAFE_INTEGER / 1024),
      this.deletions.forSubject(instanceId, subject),
    ]);
    return { subject: { kind: subject.kind, hash: this.deletions.hashOf(instanceId, subject) }, holdings, deletionJobs };
  }

  /**
   * Everything held, in sections of records (src/views shows them to the subject); each is read lazily, so a subject
   * with millions of records streams in constant memory.
   */
  private sections(instanceId: string, subject: Subject): SubjectSection[] {
    const targets = this.targetsOf(instanceId, subject);
    const { store, deletions } = this;
    return [
      { name: 'logs', records: subjectLogs(store, instanceId, targets) },
      { name: 'events', records: subjectEvents(store, instanceId, targets) },
      { name: 'exports', records: (async function* () { yield* await store.exports.holding(instanceId, targets.events); })() },
      { name: 'deletion_jobs', records: (async function* () { yield* await deletions.forSubject(instanceId, subject); })() },
    ];
  }
}
