import type { InstanceSettings } from '../../model/settings.js';

export function settingsJson(s: InstanceSettings) {
  return { analytics_enabled: s.analyticsEnabled, log_retention_days: s.logRetentionDays, event_retention_days: s.eventRetentionDays };
}
