import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { FilterExpr } from '../../filter/watson-logs/ast.js';
import type { LogPage } from '../../model/logs.js';
import type { LogPageRequest, LogRepository, SubjectLogPageRequest } from '../store.js';
import { logFromRow } from './mappers.js';
import type { Tables } from './tables.js';

/** Where an engine's filter compiler streams a page from: a table or index joined to `logs`, keyed in time order. */
export interface LogSource {
  from: RawBuilder<unknown>;
  /** The column of `from` holding the log key, in the order the source yields it. */
  key: RawBuilder<unknown>;
  where: RawBuilder<boolean> | null;
}

export interface LogPageEngine {
  /** The sources of the matching logs: disjoint ranges of the key, in ascending key order. */
  plan(filter: FilterExpr | null, instanceId: string): LogSource[];
  /** The `logs` columns a page returns. */
  columns: RawBuilder<unknown>;
}

/**
 * The logs linked to any of the subjects through the subject index: each subject is values bound to parameters,
 * never text of a filter to parse. A log linked to two of them (one person as customer and as user) is one row.
 */
function subjectSource(req: SubjectLogPageRequest): LogSource | null {
  const linked = req.subjects.filter((s) => s.kind === 'customer_id' || s.kind === 'user_id');
  if (!linked.length) return null;
  const matches = sql.join(linked.map((s) => sql`(s.kind = ${s.kind} AND s.value = ${s.value})`), sql` OR `);
  return {
    from: sql`logs`,
    key: sql`logs.seq`,
    where: sql<boolean>`logs.seq IN (SELECT s.seq FROM log_subjects s WHERE s.instance_id = ${req.instanceId} AND (${matches}))`,
  };
}

/** Paging and counting of logs, the same on every engine once its filter compiler has planned the source. */
export function logPages(db: Kysely<Tables>, engine: LogPageEngine): Pick<LogRepository, 'page' | 'count' | 'subjectPage'> {
  /** The conditions of a page or count: instance, scope, then the compiled filter. */
  const selection = (req: Pick<LogPageRequest, 'instanceId' | 'scope'>, where: RawBuilder<boolean> | null) => {
    const conditions = [sql<boolean>`logs.instance_id = ${req.instanceId}`];
    if (req.scope.workspaceId !== undefined) conditions.push(sql<boolean>`logs.workspace_id = ${req.scope.workspaceId}`);
    if (req.scope.assistantId !== undefined) conditions.push(sql<boolean>`logs.assistant_id = ${req.scope.assistantId}`);
    if (where) conditions.push(where);
    return conditions;
  };
  /** The first rows of the sources, which are disjoint key ranges in ascending key order. */
  async function readPage(sources: LogSource[], req: Omit<LogPageRequest, 'filter'>): Promise<LogPage> {
    const rows: Selectable<Tables['logs']>[] = [];
    // Sources are disjoint key ranges: the page is the first rows of the first sources, in the requested direction.
    for (const source of req.descending ? [...sources].reverse() : sources) {
      const conditions = selection(req, source.where);
      if (req.after) conditions.push(sql<boolean>`${source.key} ${sql.raw(req.descending ? '<' : '>')} ${req.after.seq}`);
      // The key is time-ordered, so this is request-time order, and every source yields it without sorting.
      const { rows: more } = await sql<Selectable<Tables['logs']>>`SELECT ${engine.columns} FROM ${source.from}
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY ${source.key} ${sql.raw(req.descending ? 'DESC' : 'ASC')} LIMIT ${req.limit + 1 - rows.length}`.execute(db);
      rows.push(...more);
      if (rows.length > req.limit) break;
    }
    const logs = rows.slice(0, req.limit).map(logFromRow);
    const last = logs[logs.length - 1];
    return { logs, next: rows.length > req.limit && last ? { seq: last.seq } : null };
  }
  return {
    page: (req) => readPage(engine.plan(req.filter, req.instanceId), req),
    async subjectPage(req) {
      const source = subjectSource(req);
      return source ? readPage([source], { ...req, scope: {}, descending: false }) : { logs: [], next: null };
    },
    async count(req) {
      let n = 0;
      for (const source of engine.plan(req.filter, req.instanceId)) {
        const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${source.from}
          WHERE ${sql.join(selection(req, source.where), sql` AND `)}`.execute(db);
        n += Number(rows[0]?.n ?? 0);
      }
      return n;
    },
  };
}
