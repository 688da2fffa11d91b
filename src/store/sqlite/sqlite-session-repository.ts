import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sessionFromRow } from '../sql/mappers.js';
import { sqlSessionRepository } from '../sql/session-repository.js';
import type { Tables } from '../sql/tables.js';
import type { SessionRepository } from '../store.js';

/**
 * The portable session repository, except for `get`: every stateful v2 message reads its session, and through Kysely
 * that read cost about 20 µs, most of it building and preparing the same query again. Here it is prepared once.
 */
export function sqliteSessionRepository(raw: Database.Database, db: Kysely<Tables>): SessionRepository {
  const select = raw.prepare('SELECT * FROM sessions WHERE session_id = ? AND instance_id = ?');
  return {
    ...sqlSessionRepository(db),
    async get(instanceId, sessionId) {
      const row = select.get(sessionId, instanceId) as Parameters<typeof sessionFromRow>[0] | undefined;
      return row && sessionFromRow(row);
    },
  };
}
