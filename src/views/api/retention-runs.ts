import type { RetentionRunRecord } from '../../model/retention-runs.js';
import { iso } from '../iso.js';

export function retentionRunJson(r: RetentionRunRecord) {
  return {
    run_id: r.runId, instance_id: r.instanceId, log_cutoff: iso(r.logCutoffTs), event_cutoff: iso(r.eventCutoffTs),
    deleted: { logs: r.deletedLogs, sessions: r.deletedSessions, events: r.deletedEvents, exports: r.deletedExports },
    started: iso(r.startedAt), finished: iso(r.finishedAt),
  };
}
