import { sql, type RawBuilder } from 'kysely';
import type { Comparison, FieldId, FilterExpr } from '../filter/watson-logs/ast.js';
import { BadRequest } from '../model/errors.js';

/**
 * What both engines' filter compilers (sqlite/filter-sql.ts, postgres/filter-sql.ts) agree on: which `logs` column or
 * index each filter field reads, and how a comparison is judged before any SQL is written. Only identifiers from
 * these fixed tables are ever spliced into SQL text.
 */
export const COLUMNS: Partial<Record<FieldId, string>> = {
  assistant_id: 'logs.assistant_id',
  workspace_id: 'logs.workspace_id',
  skill_id: 'logs.workspace_id',
  snapshot: 'logs.snapshot',
  session_id: 'logs.session_id',
  conversation_id: 'logs.conversation_id',
  deployment: 'logs.deployment',
  language: 'logs.language',
  log_id: 'logs.log_id',
  top_intent: 'logs.top_intent',
  response_timestamp: 'logs.response_ts',
  entities_count: 'logs.entities_count',
};

/** Fields answered by the subject index, and the subject kind each is stored under. */
export const SUBJECTS: Partial<Record<FieldId, 'customer_id' | 'user_id'>> = { customer_id: 'customer_id', user_id: 'user_id' };

/** Where each collection lives in the stored request/response JSON, per API version, as a path of keys. */
export const COLLECTIONS: Partial<Record<FieldId, { source: 'request' | 'response'; v1: string[]; v2: string[] }>> = {
  response_intents: { source: 'response', v1: ['intents'], v2: ['output', 'intents'] },
  response_entities: { source: 'response', v1: ['entities'], v2: ['output', 'entities'] },
  request_intents: { source: 'request', v1: ['intents'], v2: ['input', 'intents'] },
};

/** A comparison with a plain text term. */
export type TextComparison = Comparison & { value: { kind: 'text'; text: string } };

/** An exact subject at the top of a filter: the page is streamed from the subject index. */
export function subjectDriver(e: FilterExpr): e is TextComparison {
  return e.kind === 'cmp' && SUBJECTS[e.field.id] !== undefined && e.op === 'exact' && e.value.kind === 'text' && e.value.fuzzy === undefined;
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `:` on a text field matches words of the value, not the whole value. */
export const isWordy = (c: Comparison) => c.field.type === 'text' && (c.op === 'match' || c.op === 'not_match');

export function invalid(c: Comparison, why: string): never {
  throw new BadRequest(`Invalid filter at position ${c.position}: ${why}`, 'InvalidFilter');
}

/**
 * A customer or user ID condition, through the subject index. An exact subject is one primary-key probe per row; any
 * other test lists the matching keys once, judging each value with the engine's `valueMatch`.
 */
export function subjectMatch(
  kind: 'customer_id' | 'user_id',
  c: Comparison,
  instanceId: string,
  valueMatch: (target: RawBuilder<boolean>, c: Comparison) => RawBuilder<boolean>,
): RawBuilder<boolean> {
  const v = c.value;
  if ((c.op === 'exact' || c.op === 'not_exact') && v.kind === 'text' && v.fuzzy === undefined) {
    return sql<boolean>`EXISTS (SELECT 1 FROM log_subjects s WHERE s.instance_id = ${instanceId} AND s.kind = ${kind}
      AND s.value = ${v.text} AND s.seq = logs.seq)`;
  }
  return sql<boolean>`logs.seq IN (SELECT s.seq FROM log_subjects s WHERE s.instance_id = ${instanceId}
    AND s.kind = ${kind} AND ${valueMatch(sql`s.value`, c)})`;
}

/**
 * `::` on a timestamp means "inside the instant range the literal denotes" (a whole day for a date). `param` is how
 * the engine binds a number (PostgreSQL types the ones too large for bigint).
 */
export function orderedMatch(
  target: RawBuilder<boolean>,
  c: Comparison,
  param: (n: number) => RawBuilder<unknown> = (n) => sql`${n}`,
): RawBuilder<boolean> {
  const v = c.value;
  if (v.kind !== 'timestamp' && v.kind !== 'number') invalid(c, `${c.field.name} compares ${c.field.type}s`);
  const [lo, hi] = v.kind === 'timestamp' ? [param(v.startMs), param(v.endMs)] : [param(v.value), param(v.value)];
  const point = v.kind === 'number';
  switch (c.op) {
    case 'lt': return sql<boolean>`${target} < ${lo}`;
    case 'gte': return sql<boolean>`${target} >= ${lo}`;
    case 'gt': return point ? sql<boolean>`${target} > ${hi}` : sql<boolean>`${target} >= ${hi}`;
    case 'lte': return point ? sql<boolean>`${target} <= ${hi}` : sql<boolean>`${target} < ${hi}`;
    default: return point ? sql<boolean>`${target} = ${lo}` : sql<boolean>`(${target} >= ${lo} AND ${target} < ${hi})`;
  }
}
