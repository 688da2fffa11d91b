import { sql, type Kysely } from 'kysely';
import { seqFloor } from '../../model/log-sequence.js';
import type { Subject } from '../../model/subjects.js';
import type { SubjectRepository } from '../store.js';
import type { Tables } from './tables.js';

type SubjectTable = 'log_subjects' | 'event_subjects' | 'export_subjects';

/**
 * Counts through the subject tables, which every engine writes in the same transaction as the record they link, so a
 * record without its link cannot exist. Each table that holds personal data adds its count here.
 */
export function sqlSubjectRepository(db: Kysely<Tables>): SubjectRepository {
  /** Distinct records, not links: a log labelled with one person as both customer and user counts once. */
  const count = async (table: SubjectTable, instanceId: string, subjects: Subject[], beforeSeq: number | null): Promise<number> => {
    if (!subjects.length) return 0;
    const key = table === 'export_subjects' ? sql.ref('export_id') : sql.ref('seq');
    const matches = sql.join(subjects.map((s) => sql`(kind = ${s.kind} AND value = ${s.value})`), sql` OR `);
    const before = beforeSeq === null ? sql`` : sql` AND seq < ${beforeSeq}`;
    const { rows } = await sql<{ n: number | string }>`SELECT count(DISTINCT ${key}) AS n FROM ${sql.table(table)}
      WHERE instance_id = ${instanceId} AND (${matches})${before}`.execute(db);
    return Number(rows[0]?.n ?? 0);
  };
  return {
    async holdings(instanceId, targets, cutoffTs) {
      const before = seqFloor(cutoffTs);
      const [logs, events, exports] = await Promise.all([
        count('log_subjects', instanceId, targets.logs, before),
        count('event_subjects', instanceId, targets.events, before),
        count('export_subjects', instanceId, targets.events, null),
      ]);
      return { logs, events, exports };
    },
  };
}
