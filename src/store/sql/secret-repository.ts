import type { Kysely } from 'kysely';
import type { SecretRepository } from '../store.js';
import type { Tables } from './tables.js';

export function sqlSecretRepository(db: Kysely<Tables>): SecretRepository {
  return {
    async getOrCreate(name, create) {
      // Insert-if-absent then read back, so two processes starting together agree on one value.
      await db.insertInto('secrets').values({ name, value: create() }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
