import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../store.js';
import { toBit } from './mappers.js';
import type { Tables } from './tables.js';

const DEFAULTS = { analyticsEnabled: true };

export function sqlSettingsRepository(db: Kysely<Tables>): SettingsRepository {
  return {
    async get(instanceId) {
      const row = await db.selectFrom('instance_settings').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
      return row ? { analyticsEnabled: row.analytics_enabled === 1 } : { ...DEFAULTS };
    },
    async set(instanceId, settings) {
      const values = { instance_id: instanceId, analytics_enabled: toBit(settings.analyticsEnabled) };
      await db.insertInto('instance_settings').values(values)
        .onConflict((oc) => oc.column('instance_id').doUpdateSet({ analytics_enabled: values.analytics_enabled })).execute();
    },
  };
}
