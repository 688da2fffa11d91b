import type { Kysely } from 'kysely';
import { seqFloor } from '../../model/log-sequence.js';
import type { TrainingDataRepository } from '../store.js';
import type { Tables } from './tables.js';

export function sqlTrainingDataRepository(db: Kysely<Tables>): TrainingDataRepository {
  return {
    async page(q) {
      let query = db.selectFrom('logs')
        // Inner join: a message of a deleted workspace is left out, since whether it opted out is no longer known.
        .innerJoin('workspaces as w', (j) => j.onRef('w.instance_id', '=', 'logs.instance_id').onRef('w.workspace_id', '=', 'logs.workspace_id'))
        .select(['logs.seq', 'logs.log_id', 'logs.workspace_id', 'logs.assistant_id', 'logs.input_text', 'logs.top_intent', 'logs.top_confidence', 'logs.request_ts'])
        .where('logs.instance_id', '=', q.instanceId)
        .where('logs.learning_opt_out', '=', 0)
        .where('w.learning_opt_out', '=', 0)
        .where('logs.input_text', '<>', '');
      if (q.workspaceId !== undefined) query = query.where('logs.workspace_id', '=', q.workspaceId);
      if (q.assistantId !== undefined) query = query.where('logs.assistant_id', '=', q.assistantId);
      // The log key is time-ordered, so a time range is a key range.
      if (q.fromTs !== undefined) query = query.where('logs.seq', '>=', seqFloor(q.fromTs));
      if (q.toTs !== undefined) query = query.where('logs.seq', '<', seqFloor(q.toTs));
      if (q.afterSeq !== undefined) query = query.where('logs.seq', '>', q.afterSeq);
      const rows = await query.orderBy('logs.seq').limit(q.limit).execute();
      return rows.map((r) => ({
        seq: Number(r.seq), logId: r.log_id, workspaceId: r.workspace_id, assistantId: r.assistant_id, text: r.input_text,
        intent: r.top_intent, confidence: r.top_confidence, requestTs: Number(r.request_ts),
      }));
    },
  };
}
