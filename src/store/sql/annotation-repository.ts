import { sql, type Kysely, type Selectable } from 'kysely';
import type { AnnotationRecord, RootCause, Verdict } from '../../model/annotations.js';
import type { AnnotationRepository } from '../store.js';
import type { Tables } from './tables.js';

function annotationFromRow(r: Selectable<Tables['log_annotations']>): AnnotationRecord {
  return {
    logId: r.log_id, instanceId: r.instance_id, assistantId: r.assistant_id === '' ? null : r.assistant_id,
    deployment: r.deployment === '' ? null : r.deployment, requestTs: Number(r.request_ts), topIntent: r.top_intent,
    verdict: r.verdict as Verdict, rootCause: r.root_cause as RootCause | null, correctedIntent: r.corrected_intent, note: r.note,
    author: r.author, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export function sqlAnnotationRepository(db: Kysely<Tables>): AnnotationRepository {
  return {
    async put(instanceId, logId, a) {
      const existed = await db.selectFrom('log_annotations').select('created_at')
        .where('instance_id', '=', instanceId).where('log_id', '=', logId).executeTakeFirst();
      // Copies the log's scope, time and intent in the same statement, so an annotation never outlives a missing log.
      const row = await db.insertInto('log_annotations')
        .columns(['log_id', 'instance_id', 'assistant_id', 'deployment', 'request_ts', 'top_intent', 'verdict', 'root_cause', 'corrected_intent', 'note', 'author', 'created_at', 'updated_at'])
        .expression(db.selectFrom('logs').select([
          'log_id', 'instance_id', sql<string>`coalesce(assistant_id, '')`.as('assistant_id'), sql<string>`coalesce(deployment, '')`.as('deployment'),
          'request_ts', 'top_intent', sql<string>`${a.verdict}`.as('verdict'), sql<string | null>`${a.rootCause}`.as('root_cause'),
          sql<string | null>`${a.correctedIntent}`.as('corrected_intent'), sql<string | null>`${a.note}`.as('note'),
          sql<string>`${a.author}`.as('author'), sql<number>`${a.at}`.as('created_at'), sql<number>`${a.at}`.as('updated_at'),
        ]).where('log_id', '=', logId).where('instance_id', '=', instanceId))
        .onConflict((oc) => oc.column('log_id').doUpdateSet((eb) => ({
          verdict: eb.ref('excluded.verdict'), root_cause: eb.ref('excluded.root_cause'), corrected_intent: eb.ref('excluded.corrected_intent'),
          note: eb.ref('excluded.note'), author: eb.ref('excluded.author'), updated_at: eb.ref('excluded.updated_at'),
        })))
        .returningAll().executeTakeFirst();
      return row ? { annotation: annotationFromRow(row), created: existed === undefined } : undefined;
    },
    async forLogs(instanceId, logIds) {
      if (logIds.length === 0) return [];
      const rows = await db.selectFrom('log_annotations').selectAll().where('instance_id', '=', instanceId).where('log_id', 'in', logIds).execute();
      return rows.map(annotationFromRow);
    },
    async tally(s) {
      let q = db.selectFrom('log_annotations')
        .select(['top_intent', 'verdict', 'root_cause', 'corrected_intent', (eb) => eb.fn.countAll<number>().as('count')])
        .where('instance_id', '=', s.instanceId)
        .where('request_ts', '>=', s.fromDay * 86_400_000).where('request_ts', '<', (s.toDay + 1) * 86_400_000);
      if (s.assistantId !== undefined) q = q.where('assistant_id', '=', s.assistantId);
      if (s.deployment !== undefined) q = q.where('deployment', '=', s.deployment);
      const rows = await q.groupBy(['top_intent', 'verdict', 'root_cause', 'corrected_intent']).execute();
      return rows.map((r) => ({
        topIntent: r.top_intent, verdict: r.verdict as Verdict, rootCause: r.root_cause as RootCause | null,
        correctedIntent: r.corrected_intent, count: Number(r.count),
      }));
    },
  };
}
