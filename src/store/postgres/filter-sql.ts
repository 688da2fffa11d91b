import { sql, type RawBuilder } from 'kysely';
import type { Comparison, FieldId, FilterExpr } from '../../filter/watson-logs/ast.js';
import { wordsOf } from '../../filter/watson-logs/text-match.js';
import { COLLECTIONS, COLUMNS, escapeLike, invalid, isWordy, orderedMatch, SUBJECTS, subjectDriver, subjectMatch } from '../filter-fields.js';
import { seqFloor } from '../../model/log-sequence.js';
import type { LogSource } from '../sql/log-pages.js';

/**
 * Compiles a parsed logs filter to a PostgreSQL boolean expression over the `logs` table, with the same meaning as
 * the SQLite compiler (src/store/sqlite/filter-sql.ts; the store contract checks both). Every value travels as a
 * bound parameter; only identifiers from the fixed tables below are spliced into the SQL text.
 *
 * - text `:` (contains a word or a grammatical variant) and phrases: the tsvector columns (GIN-indexed, english
 *   snowball stemmer without stop words);
 * - customer and user IDs: the subject index;
 * - request times: ranges of the time-ordered key; other columns: plain comparisons;
 * - wildcards: LIKE on the value or on each of its words; approximate terms: `lethe_within` (migrations.ts).
 */

type Bool = RawBuilder<boolean>;

// Text fields: the stored column for exact and word-level tests, the tsvector column for indexed word search.
const TEXTS: Partial<Record<FieldId, { column: string; words: string }>> = {
  request_text: { column: 'logs.input_text', words: 'logs.input_words' },
  response_input_text: { column: 'logs.input_text', words: 'logs.input_words' },
};

const ref = (column: string) => sql.ref(column) as unknown as Bool;
const hasWordCharacter = (s: string) => /[\p{L}\p{N}]/u.test(s);
/** A number as a parameter PostgreSQL can compare with an integer column whatever its value. */
const numberParam = (n: number) => (Number.isSafeInteger(n) ? sql`${n}` : sql`${String(n)}::numeric`);

/** Some word of `target` (split as src/filter/watson-logs/text-match.ts splits words) satisfies `test` (over `w`). */
function someWord(target: Bool, test: Bool): Bool {
  return sql<boolean>`EXISTS (SELECT 1 FROM regexp_split_to_table(lower(${target}), '[^[:alnum:]_]+') AS words(w)
    WHERE words.w <> '' AND ${test})`;
}

/** The positive form of a string test of one value (`target`) against the comparison's term. */
function stringMatch(target: Bool, c: Comparison): Bool {
  const v = c.value;
  if (v.kind === 'pattern') {
    const like = v.segments.map((s) => escapeLike(s.toLowerCase())).join('%');
    return isWordy(c) ? someWord(target, sql<boolean>`words.w LIKE ${like}`) : sql<boolean>`lower(${target}) LIKE ${like}`;
  }
  if (v.kind !== 'text') invalid(c, `${c.field.name} compares text`);
  const text = v.text;
  if (v.fuzzy !== undefined) {
    const termWords = wordsOf(text);
    return isWordy(c) && termWords.length === 1
      ? someWord(target, sql<boolean>`lethe_within(words.w, ${termWords[0]!}, ${v.fuzzy})`)
      : sql<boolean>`lethe_within(${target}, ${text}, ${v.fuzzy})`;
  }
  if (isWordy(c)) return sql<boolean>`strpos(lower(${target}), lower(${text})) > 0`;
  if (c.op === 'match' || c.op === 'not_match') return sql<boolean>`lower(${target}) = lower(${text})`;
  return sql<boolean>`${target} = ${text}`;
}

function valueMatch(target: Bool, c: Comparison): Bool {
  return c.field.type === 'timestamp' || c.field.type === 'number' ? orderedMatch(target, c, numberParam) : stringMatch(target, c);
}

/** A term with a word character as a phrase query; the same parser and stemmer built the stored tsvectors. */
const phrase = (text: string) => sql`phraseto_tsquery('lethe_english', ${text})`;

/**
 * Word search through the tsvector column. Stemming makes `order` find `orders` and `ordering`; the parser drops
 * punctuation, so a term that has any is also checked as a substring of the stored text.
 */
function textSearch(column: string, words: string, c: Comparison): Bool {
  const v = c.value;
  // Wildcards, approximate terms and terms without a single word character cannot use the index.
  if (v.kind !== 'text' || v.fuzzy !== undefined || !hasWordCharacter(v.text)) return valueMatch(ref(column), c);
  const indexed = sql<boolean>`${sql.ref(words)} @@ ${phrase(v.text)}`;
  const wordsOnly = isWordy(c) && /^[\p{L}\p{N}\s]*$/u.test(v.text);
  return wordsOnly ? indexed : sql<boolean>`(${indexed} AND ${stringMatch(ref(column), c)})`;
}

/** A request-time condition is a range of the time-ordered key (of the logs, or of the index a page streams from). */
function requestTimeMatch(c: Comparison, key: RawBuilder<unknown> = sql`logs.seq`): Bool {
  const v = c.value;
  if (v.kind !== 'timestamp') invalid(c, 'request_timestamp compares timestamps');
  const [lo, hi] = [numberParam(seqFloor(v.startMs)), numberParam(seqFloor(v.endMs))];
  switch (c.op) {
    case 'lt': return sql<boolean>`${key} < ${lo}`;
    case 'gte': return sql<boolean>`${key} >= ${lo}`;
    case 'gt': return sql<boolean>`${key} >= ${hi}`;
    case 'lte': return sql<boolean>`${key} < ${hi}`;
    default: return sql<boolean>`(${key} >= ${lo} AND ${key} < ${hi})`;
  }
}

/** Members of a collection: strings compare as text, numbers as numbers, anything else never matches. */
function collectionMatch(collection: { source: 'request' | 'response'; v1: string[]; v2: string[] }, c: Comparison): Bool {
  const member = c.field.member ?? 'intent';
  const json = sql`${sql.ref(`logs.${collection.source}`)}::jsonb`;
  const items = sql`CASE logs.api WHEN 'v1' THEN ${json} #> ${collection.v1} ELSE ${json} #> ${collection.v2} END`;
  const numeric = c.field.type === 'number' || c.field.type === 'timestamp';
  const value = numeric
    ? sql`CASE WHEN jsonb_typeof(j.item -> ${member}::text) = 'number' THEN (j.item ->> ${member}::text)::numeric END`
    : sql`CASE WHEN jsonb_typeof(j.item -> ${member}::text) = 'string' THEN j.item ->> ${member}::text END`;
  return sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${items}) = 'array' THEN ${items} ELSE '[]' END) AS j(item)
    WHERE ${valueMatch(value as Bool, c)})`;
}

/** Output texts are indexed as one tsvector; exact and word-level tests look at each text in the stored JSON. */
function outputTextMatch(c: Comparison): Bool {
  // v1 keeps the texts in output.text[], v2 in output.generic[].text.
  const each = sql<boolean>`EXISTS (SELECT 1 FROM jsonb_path_query(logs.response::jsonb, 'lax $.output.**.text ? (@.type() == "string")') AS t(v)
    WHERE ${valueMatch(sql`t.v #>> '{}'` as Bool, c)})`;
  const v = c.value;
  if (v.kind !== 'text' || v.fuzzy !== undefined || !hasWordCharacter(v.text)) return each;
  return sql<boolean>`(logs.output_words @@ ${phrase(v.text)} AND ${each})`;
}

function positive(c: Comparison, instanceId: string): Bool {
  const id = c.field.id;
  if (id === 'request_timestamp') return requestTimeMatch(c);
  const subject = SUBJECTS[id];
  if (subject) return subjectMatch(subject, c, instanceId, valueMatch);
  const text = TEXTS[id];
  if (text) return textSearch(text.column, text.words, c);
  const collection = COLLECTIONS[id];
  if (collection) return collectionMatch(collection, c);
  if (id === 'response_output_text') return outputTextMatch(c);
  const column = COLUMNS[id];
  if (!column) invalid(c, `${c.field.name} cannot be filtered here`);
  return valueMatch(ref(column), c);
}

function compile(expr: FilterExpr, instanceId: string): Bool {
  if (expr.kind === 'cmp') {
    const negated = expr.op === 'not_exact' || expr.op === 'not_match';
    // IS NOT TRUE rather than NOT: a row whose field is absent (NULL) does not match, so its negation must hold.
    return negated ? sql<boolean>`((${positive(expr, instanceId)}) IS NOT TRUE)` : positive(expr, instanceId);
  }
  const parts = expr.items.map((e) => compile(e, instanceId));
  return sql<boolean>`(${sql.join(parts, sql.raw(expr.kind === 'and' ? ' AND ' : ' OR '))})`;
}

/** A boolean SQL condition on `logs`; `instanceId` scopes the subject index lookups. */
export function compilePostgresFilter(expr: FilterExpr, instanceId: string): Bool {
  return compile(expr, instanceId);
}

/**
 * Where a page of logs is read from. With a top-level exact subject (`customer_id::x`, alone or AND-ed) the page
 * streams from that subject's index entries, which are in key (= request time) order, and stops after one page;
 * the planner would otherwise walk the logs and probe the index for each. Anything else reads the logs themselves.
 */
const isRequestTime = (e: FilterExpr): e is Comparison => e.kind === 'cmp' && e.field.id === 'request_timestamp';

export function planLogSource(expr: FilterExpr | null, instanceId: string): LogSource {
  const conjuncts = expr === null ? [] : expr.kind === 'and' ? expr.items : [expr];
  const driver = conjuncts.find(subjectDriver);
  if (!driver) return { from: sql`logs`, key: sql`logs.seq`, where: expr && compile(expr, instanceId) };
  const key = sql`s.seq`;
  const rest = conjuncts.filter((c) => c !== driver).map((c) => (isRequestTime(c) ? requestTimeMatch(c, key) : compile(c, instanceId)));
  const subject = sql<boolean>`s.instance_id = ${instanceId} AND s.kind = ${SUBJECTS[driver.field.id]} AND s.value = ${driver.value.text}`;
  return {
    from: sql`log_subjects s JOIN logs ON logs.instance_id = s.instance_id AND logs.seq = s.seq`,
    key,
    where: sql<boolean>`${sql.join([subject, ...rest], sql` AND `)}`,
  };
}
