import { sql, type RawBuilder } from 'kysely';
import type { Comparison, FieldId, FilterExpr } from '../../filter/ast.js';
import { BadRequest } from '../../core/errors.js';

/**
 * Compiles a parsed logs filter to a SQLite boolean expression over the `logs` table. Every value travels as a
 * bound parameter; only identifiers from the fixed tables below are spliced into the SQL text.
 */
type Bool = RawBuilder<boolean>;

const COLUMNS: Partial<Record<FieldId, string>> = {
  assistant_id: 'logs.assistant_id',
  workspace_id: 'logs.workspace_id',
  skill_id: 'logs.workspace_id',
  snapshot: 'logs.snapshot',
  session_id: 'logs.session_id',
  conversation_id: 'logs.conversation_id',
  deployment: 'logs.deployment',
  language: 'logs.language',
  user_id: 'logs.user_id',
  log_id: 'logs.log_id',
  top_intent: 'logs.top_intent',
  request_text: 'logs.input_text',
  response_input_text: 'logs.input_text',
  request_timestamp: 'logs.request_ts',
  response_timestamp: 'logs.response_ts',
  entities_count: 'logs.entities_count',
};

// Where each collection lives in the stored request/response JSON, per API version.
const COLLECTIONS: Partial<Record<FieldId, { source: 'request' | 'response'; v1: string; v2: string }>> = {
  response_intents: { source: 'response', v1: '$.intents', v2: '$.output.intents' },
  response_entities: { source: 'response', v1: '$.entities', v2: '$.output.entities' },
  request_intents: { source: 'request', v1: '$.intents', v2: '$.input.intents' },
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The positive form of a string comparison on `target`. */
function stringMatch(target: Bool, c: Comparison): Bool {
  const v = c.value;
  const contains = c.field.type === 'text' && (c.op === 'match' || c.op === 'not_match');
  if (v.kind === 'pattern') {
    const body = v.segments.map(escapeLike).join('%');
    return sql<boolean>`${target} LIKE ${contains ? `%${body}%` : body} ESCAPE '\\'`;
  }
  if (v.kind !== 'text') throw new BadRequest(`Invalid filter at position ${v.position}: ${c.field.name} compares text`);
  if (v.fuzzy !== undefined) {
    throw new BadRequest(`Invalid filter at position ${v.position}: approximate matching (~${v.fuzzy}) is not supported by this server yet`);
  }
  if (contains) return sql<boolean>`${target} LIKE ${`%${escapeLike(v.text)}%`} ESCAPE '\\'`;
  if (c.op === 'match' || c.op === 'not_match') return sql<boolean>`${target} = ${v.text} COLLATE NOCASE`;
  return sql<boolean>`${target} = ${v.text}`;
}

/** `::` on a timestamp means "inside the instant range the literal denotes" (a whole day for a date). */
function orderedMatch(target: Bool, c: Comparison): Bool {
  const v = c.value;
  const [lo, hi] = v.kind === 'timestamp' ? [v.startMs, v.endMs] : v.kind === 'number' ? [v.value, v.value] : [NaN, NaN];
  if (Number.isNaN(lo)) throw new BadRequest(`Invalid filter at position ${c.position}: ${c.field.name} compares ${c.field.type}s`);
  const point = v.kind === 'number';
  switch (c.op) {
    case 'lt': return sql<boolean>`${target} < ${lo}`;
    case 'gte': return sql<boolean>`${target} >= ${lo}`;
    case 'gt': return point ? sql<boolean>`${target} > ${hi}` : sql<boolean>`${target} >= ${hi}`;
    case 'lte': return point ? sql<boolean>`${target} <= ${hi}` : sql<boolean>`${target} < ${hi}`;
    default: return point ? sql<boolean>`${target} = ${lo}` : sql<boolean>`(${target} >= ${lo} AND ${target} < ${hi})`;
  }
}

function valueMatch(target: Bool, c: Comparison): Bool {
  return c.field.type === 'timestamp' || c.field.type === 'number' ? orderedMatch(target, c) : stringMatch(target, c);
}

function positive(c: Comparison): Bool {
  const id = c.field.id;
  if (id === 'customer_id') {
    return sql<boolean>`EXISTS (SELECT 1 FROM log_subjects s WHERE s.instance_id = logs.instance_id
      AND s.kind = 'customer_id' AND s.seq = logs.seq AND ${valueMatch(sql`s.value`, c)})`;
  }
  const collection = COLLECTIONS[id];
  if (collection) {
    const member = c.field.member ?? 'intent';
    const path = sql<string>`CASE logs.api WHEN 'v1' THEN ${collection.v1} ELSE ${collection.v2} END`;
    return sql<boolean>`EXISTS (SELECT 1 FROM json_each(${sql.ref(`logs.${collection.source}`)}, ${path}) j
      WHERE ${valueMatch(sql`json_extract(j.value, ${`$.${member}`})`, c)})`;
  }
  if (id === 'response_output_text') {
    // v1 keeps the texts in output.text[], v2 in output.generic[].text.
    return sql<boolean>`EXISTS (SELECT 1 FROM json_tree(logs.response, '$.output') t
      WHERE t.type = 'text' AND (t.key = 'text' OR t.path = '$.output.text') AND ${valueMatch(sql`t.value`, c)})`;
  }
  const column = COLUMNS[id];
  if (!column) throw new BadRequest(`Invalid filter at position ${c.position}: ${c.field.name} cannot be filtered here`);
  return valueMatch(sql.ref(column) as unknown as Bool, c);
}

function comparison(c: Comparison): Bool {
  const negated = c.op === 'not_exact' || c.op === 'not_match';
  // IS NOT 1 rather than NOT: a row whose field is absent (NULL) does not match, so its negation must hold.
  return negated ? sql<boolean>`((${positive(c)}) IS NOT 1)` : positive(c);
}

export function compileSqliteFilter(expr: FilterExpr): Bool {
  if (expr.kind === 'cmp') return comparison(expr);
  const parts = expr.items.map(compileSqliteFilter);
  return sql<boolean>`(${sql.join(parts, sql.raw(expr.kind === 'and' ? ' AND ' : ' OR '))})`;
}
