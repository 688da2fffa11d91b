import type { Kysely, Selectable } from 'kysely';
import type { InstanceSettings } from '../../model/settings.js';
import type { SettingsRepository } from '../store.js';
import { toBit } from './mappers.js';
import type { Tables } from './tables.js';

const DEFAULTS: InstanceSettings = { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: null };

function settingsFromRow(row: Selectable<Tables['instance_settings']>): InstanceSettings {
  const days = (v: number | null) => (v === null ? null : Number(v));
  return { analyticsEnabled: row.analytics_enabled === 1, logRetentionDays: days(row.log_retention_days), eventRetentionDays: days(row.event_retention_days) };
}

export function sqlSettingsRepository(db: Kysely<Tables>): SettingsRepository {
  return {
    async get(instanceId) {
      const row = await db.selectFrom('instance_settings').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
      return row ? settingsFromRow(row) : { ...DEFAULTS };
    },
    async set(instanceId, settings) {
      const { instance_id: _id, ...columns } = {
        instance_id: instanceId, analytics_enabled: toBit(settings.analyticsEnabled),
        log_retention_days: settings.logRetentionDays, event_retention_days: settings.eventRetentionDays,
      };
      await db.insertInto('instance_settings').values({ instance_id: instanceId, ...columns })
        .onConflict((oc) => oc.column('instance_id').doUpdateSet(columns)).execute();
    },
    async withRetention() {
      const rows = await db.selectFrom('instance_settings').selectAll()
        .where((eb) => eb.or([eb('log_retention_days', 'is not', null), eb('event_retention_days', 'is not', null)])).execute();
      return rows.map((r) => ({ instanceId: r.instance_id, settings: settingsFromRow(r) }));
    },
  };
}
