import { BadRequest } from '../../model/errors.js';
import type { InstanceSettings } from '../../model/settings.js';

export const MAX_RETENTION_DAYS = 3650;

/** A change to some settings; a retention of null switches it off (keep forever). */
export type SettingsPatch = Partial<InstanceSettings>;

function checkDays(days: number | null | undefined, name: string): void {
  if (days === null || days === undefined) return;
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) throw new BadRequest(`${name} must be null or an integer from 1 to ${MAX_RETENTION_DAYS}`);
}

/** The settings after `patch`, validated; fields the patch leaves out keep their current value. */
export function applySettingsPatch(current: InstanceSettings, patch: SettingsPatch): InstanceSettings {
  checkDays(patch.logRetentionDays, 'log_retention_days');
  checkDays(patch.eventRetentionDays, 'event_retention_days');
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SettingsPatch;
  return { ...current, ...defined };
}
