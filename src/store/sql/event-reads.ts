import { sql, type Kysely, type Selectable } from 'kysely';
import type { Subject } from '../../model/subjects.js';
import { seqFloor } from '../../model/log-sequence.js';
import type { EventRepository } from '../store.js';
import { eventFromRow } from './mappers.js';
import type { Tables } from './tables.js';

/** Reading events by subject (overview, exports), the same on every engine. */
export function eventReads(db: Kysely<Tables>): Pick<EventRepository, 'list' | 'countByType'> {
  /** Keys of the events attributed to any of the subjects, as a subquery. */
  const subjectKeys = (instanceId: string, subjects: Subject[]) => sql`SELECT seq FROM event_subjects WHERE instance_id = ${instanceId}
    AND (${sql.join(subjects.map((s) => sql`(kind = ${s.kind} AND value = ${s.value})`), sql` OR `)})`;
  return {
    async list(q) {
      const conditions = [sql<boolean>`e.instance_id = ${q.instanceId}`];
      if (q.subjects.length) conditions.push(sql<boolean>`e.seq IN (${subjectKeys(q.instanceId, q.subjects)})`);
      if (q.fromTs !== undefined) conditions.push(sql<boolean>`e.seq >= ${seqFloor(q.fromTs)}`);
      if (q.toTs !== undefined) conditions.push(sql<boolean>`e.seq < ${seqFloor(q.toTs)}`);
      if (q.afterSeq !== undefined) conditions.push(sql<boolean>`e.seq > ${q.afterSeq}`);
      const { rows } = await sql<Selectable<Tables['events']>>`SELECT e.* FROM events e WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY e.seq LIMIT ${q.limit}`.execute(db);
      return rows.map(eventFromRow);
    },
    async countByType(instanceId, subjects) {
      if (!subjects.length) return {};
      const { rows } = await sql<{ type: string; n: number }>`SELECT type, count(*) AS n FROM events
        WHERE instance_id = ${instanceId} AND seq IN (${subjectKeys(instanceId, subjects)}) GROUP BY type`.execute(db);
      return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    },
  };
}
