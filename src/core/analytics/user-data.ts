import type { AuditRecorder } from '../audit/audit-trail.js';
import type { DeletionRequests } from '../dsr/deletion-requests.js';
import type { DeletionTargets } from '../dsr/deletion-runner.js';
import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { EventRecord } from '../../model/events.js';
import type { LogRecord } from '../../model/logs.js';
import type { Subject } from '../../model/subjects.js';
import type { Store } from '../../store/store.js';
import type { AnalyticsIdentity } from './identity.js';

const OVERVIEW_LIMIT = 1000;

export interface UserOverview {
  userId: string;
  account: string;
  /** Events per type, over everything held. */
  stats: Record<string, number>;
  events: EventRecord[];
  conversationLogs: LogRecord[];
  /** True when more events or logs exist than are listed; an export holds them all. */
  truncated: boolean;
}

/**
 * What a deletion covers. A Watson customer ID covers the logs labelled with it. A user ID (Coveo's alldata) covers
 * everything UserData shows for it: the events attributed to it under any alias, and the logs labelled with it as
 * user ID or customer ID.
 */
export function deletionTargets(identity: AnalyticsIdentity): (instanceId: string, subject: Subject) => DeletionTargets {
  return (instanceId, subject) => subject.kind === 'customer_id'
    ? { logs: [subject], events: [] }
    : { logs: [{ kind: 'customer_id', value: subject.value }, { kind: 'user_id', value: subject.value }], events: identity.aliases(instanceId, subject.value) };
}

/**
 * One end user across both halves of Lethe: the analytics events attributed to them (by user ID, as visitor, or
 * under the pseudonym their anonymous events carry) and the conversation logs labelled with them (as user ID or
 * Watson customer ID).
 */
export class UserData {
  private readonly targets: ReturnType<typeof deletionTargets>;

  constructor(private readonly store: Store, identity: AnalyticsIdentity, private readonly deletions: DeletionRequests, private readonly audit: AuditRecorder) {
    this.targets = deletionTargets(identity);
  }

  /** A data access: recorded in the audit trail under `actor` (actors.ts), the subject by its keyed hash. */
  async overview(instanceId: string, userId: string, actor: string): Promise<UserOverview> {
    // The same subjects a deletion of this user covers, passed as values: the ID is never text of a filter.
    const { events: subjects, logs: logSubjects } = this.targets(instanceId, { kind: 'user_id', value: userId });
    const [stats, events, logs] = await Promise.all([
      this.store.events.countByType(instanceId, subjects),
      this.store.events.list({ instanceId, subjects, limit: OVERVIEW_LIMIT + 1 }),
      this.store.logs.subjectPage({ instanceId, subjects: logSubjects, limit: OVERVIEW_LIMIT + 1, after: null }),
    ]);
    await this.audit.record({
      instanceId, actor, action: 'dsr.access', subject: { kind: 'user_id', value: userId },
      details: { events: Math.min(events.length, OVERVIEW_LIMIT), logs: Math.min(logs.logs.length, OVERVIEW_LIMIT) },
    });
    return {
      userId, account: instanceId, stats,
      events: events.slice(0, OVERVIEW_LIMIT).map(({ seq: _seq, ...e }) => e),
      conversationLogs: logs.logs.slice(0, OVERVIEW_LIMIT).map(({ seq: _seq, ...l }) => l),
      truncated: events.length > OVERVIEW_LIMIT || logs.logs.length > OVERVIEW_LIMIT,
    };
  }

  delete(instanceId: string, userId: string, requestedBy: string, receivedAt: number): Promise<DeletionJobRecord> {
    const subject: Subject = { kind: 'user_id', value: userId };
    return this.deletions.request(instanceId, subject, requestedBy, receivedAt);
  }
}
