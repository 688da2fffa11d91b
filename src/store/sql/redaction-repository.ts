import type { Kysely } from 'kysely';
import type { RedactionRepository } from '../store.js';
import type { Tables } from './tables.js';

export function sqlRedactionRepository(db: Kysely<Tables>): RedactionRepository {
  return {
    async get(instanceId) {
      const row = await db.selectFrom('redaction_settings').select('detectors').where('instance_id', '=', instanceId).executeTakeFirst();
      return row ? (JSON.parse(row.detectors) as string[]) : undefined;
    },
    async set(instanceId, detectors, at) {
      const values = { instance_id: instanceId, detectors: JSON.stringify(detectors), updated_at: at };
      await db.insertInto('redaction_settings').values(values)
        .onConflict((oc) => oc.column('instance_id').doUpdateSet({ detectors: values.detectors, updated_at: at })).execute();
    },
  };
}
