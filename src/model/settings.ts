/** An instance's own settings, changed by its admin. */
export interface InstanceSettings {
  /** Off: analytics events are acknowledged but not stored. */
  analyticsEnabled: boolean;
  /** Logs older than this many days are deleted continuously; null keeps them forever. */
  logRetentionDays: number | null;
  /** As logRetentionDays, for analytics events. */
  eventRetentionDays: number | null;
}
