import type { Kysely } from 'kysely';
import type { ApiKeyRecord } from '../../model/api-keys.js';
import type { KeyRepository } from '../store.js';
import { keyFromRow, keyToRow } from './mappers.js';
import type { Tables } from './tables.js';

export function sqlKeyRepository(db: Kysely<Tables>): KeyRepository {
  return {
    async insert(key: ApiKeyRecord) {
      await db.insertInto('api_keys').values(keyToRow(key)).execute();
    },
    async findBySecretHash(secretHash) {
      const row = await db.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
      return row && keyFromRow(row);
    },
    async list(instanceId) {
      let q = db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('key_id');
      if (instanceId !== null) q = q.where('instance_id', '=', instanceId);
      return (await q.execute()).map(keyFromRow);
    },
    async revoke(keyId, instanceId, at) {
      let q = db.updateTable('api_keys').set({ revoked_at: at }).where('key_id', '=', keyId).where('revoked_at', 'is', null);
      if (instanceId !== null) q = q.where('instance_id', '=', instanceId);
      const res = await q.executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async countActive() {
      const row = await db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
