/** One pass of the retention worker over an instance that deleted something. */
export interface RetentionRunRecord {
  runId: string;
  instanceId: string;
  /** Logs and events received before these instants were deleted; null when that retention is off. */
  logCutoffTs: number | null;
  eventCutoffTs: number | null;
  deletedLogs: number;
  deletedSessions: number;
  deletedEvents: number;
  deletedExports: number;
  startedAt: number;
  finishedAt: number;
}
