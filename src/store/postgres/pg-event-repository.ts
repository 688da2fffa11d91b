import type pg from 'pg';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Subject } from '../records.js';
import { seqFloor } from '../log-sequence.js';
import { eventFromRow } from '../sql/mappers.js';
import type { Tables } from '../sql/tables.js';
import type { EventRepository } from '../store.js';
import { lockJob, recordProgress } from './job-progress.js';
import { pgText } from './pg-text.js';
import type { PgRetention } from './pg-retention.js';
import type { ResidueTracker } from './residue.js';
import { withTransaction } from './transaction.js';

/** Events are read by subject (overview, exports) and erased like logs: chunked, counted on the job, lease-checked. */
export function pgEventRepository(pool: pg.Pool, db: Kysely<Tables>, residue: ResidueTracker, retention: PgRetention): EventRepository {
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
    async deleteSubjectChunk(job, instanceId, subject, cutoffTs, chunk) {
      return withTransaction(pool, async (client) => {
        await lockJob(client, job);
        const { rows: keys } = await client.query<{ seq: string }>(
          'SELECT seq FROM event_subjects WHERE instance_id = $1 AND kind = $2 AND value = $3 AND seq < $4 ORDER BY seq LIMIT $5',
          [instanceId, subject.kind, pgText(subject.value), seqFloor(cutoffTs), chunk],
        );
        const seqs = keys.map((k) => k.seq);
        const deleted = await client.query('DELETE FROM events WHERE instance_id = $1 AND seq = ANY($2::int8[])', [instanceId, seqs]);
        await client.query('DELETE FROM event_subjects WHERE instance_id = $1 AND seq = ANY($2::int8[])', [instanceId, seqs]);
        residue.deleted('events', seqs);
        await recordProgress(client, job, { deleted_events: deleted.rowCount ?? 0 });
        return { events: deleted.rowCount ?? 0, done: seqs.length < chunk };
      });
    },
    async deleteBefore(instanceId, cutoffTs, chunk) {
      const r = await retention.deleteBefore('events', instanceId, cutoffTs, chunk);
      return { events: r.rows, done: r.done };
    },
  };
}
