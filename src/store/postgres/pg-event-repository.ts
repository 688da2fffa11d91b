import type pg from 'pg';
import type { Kysely } from 'kysely';
import { seqFloor } from '../../model/log-sequence.js';
import { eventReads } from '../sql/event-reads.js';
import type { Tables } from '../sql/tables.js';
import type { EventRepository } from '../store.js';
import { lockJob, recordProgress } from './job-progress.js';
import { pgText } from './pg-text.js';
import type { PgRetention } from './pg-retention.js';
import type { ResidueTracker } from './residue.js';
import { withTransaction } from './transaction.js';

/** Events are read by subject (overview, exports) and erased like logs: chunked, counted on the job, lease-checked. */
export function pgEventRepository(pool: pg.Pool, db: Kysely<Tables>, residue: ResidueTracker, retention: PgRetention): EventRepository {
  return {
    ...eventReads(db),
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
