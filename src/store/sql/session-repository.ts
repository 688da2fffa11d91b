import type { Kysely } from 'kysely';
import type { SessionRepository } from '../store.js';
import { sessionFromRow, sessionToRow } from './mappers.js';
import type { Tables } from './tables.js';

export function sqlSessionRepository(db: Kysely<Tables>): SessionRepository {
  return {
    async insert(s) {
      await db.insertInto('sessions').values(sessionToRow(s)).execute();
    },
    async get(instanceId, sessionId) {
      const row = await db.selectFrom('sessions').selectAll()
        .where('session_id', '=', sessionId).where('instance_id', '=', instanceId).executeTakeFirst();
      return row && sessionFromRow(row);
    },
    async delete(instanceId, sessionId) {
      const res = await db.deleteFrom('sessions')
        .where('session_id', '=', sessionId).where('instance_id', '=', instanceId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async deleteExpired(now) {
      const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
