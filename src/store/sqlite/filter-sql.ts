import type Database from 'better-sqlite3';
import { sql, type RawBuilder } from 'kysely';
import type { Comparison, FieldId, FilterExpr } from '../../filter/watson-logs/ast.js';
import { someWordMatches, someWordWithin, withinEdits } from '../../filter/watson-logs/text-match.js';
import { wildcardMatcher, type WildcardMatcher } from '../../filter/watson-logs/wildcard.js';
import { COLLECTIONS, COLUMNS, escapeLike, invalid, isWordy, orderedMatch, SUBJECTS, subjectDriver, subjectMatch, type TextComparison } from '../filter-fields.js';
import { seqFloor } from '../../model/log-sequence.js';
import type { LogSource } from '../sql/log-pages.js';
import { dropsWords, hasIndexedWord, indexedWords } from './fts-words.js';
import type { TextPartition } from './text-index.js';

/**
 * Compiles a parsed logs filter to a SQLite boolean expression over the `logs` table. Every value travels as a
 * bound parameter; only identifiers from the fixed tables below are spliced into the SQL text.
 *
 * How each kind of test is answered:
 * - text `:` (contains a word or a grammatical variant) and phrases: the FTS5 index (porter stemming), one table per
 *   month (text-index.ts);
 * - customer and user IDs: the subject index;
 * - request times: ranges of the time-ordered key; other columns: plain comparisons;
 * - wildcards and approximate terms: the `lethe_*` functions below, on the rows the rest of the filter selects.
 */
type Bool = RawBuilder<boolean>;

/** Word-level functions the compiled SQL calls for wildcard and approximate terms. */
export function registerFilterFunctions(db: Database.Database): void {
  const matchers = new Map<string, WildcardMatcher>();
  const matcherFor = (json: string) => {
    let matches = matchers.get(json);
    if (!matches) {
      if (matchers.size > 1000) matchers.clear();
      matches = wildcardMatcher(JSON.parse(json) as string[]);
      matchers.set(json, matches);
    }
    return matches;
  };
  const opts = { deterministic: true, directOnly: true };
  // Called once per row a heavy read looks at (planLogSource): JavaScript runs there, so a read thread told to stop
  // (read-pool.ts) stops within a row, where a statement that never leaves SQLite's own code could not be stopped.
  db.function('lethe_row', { deterministic: false, directOnly: true }, () => 1);
  db.function('lethe_words_like', opts, (text: unknown, segments: unknown) =>
    typeof text === 'string' && someWordMatches(text, matcherFor(String(segments))) ? 1 : 0);
  db.function('lethe_like', opts, (value: unknown, segments: unknown) =>
    typeof value === 'string' && matcherFor(String(segments))(value) ? 1 : 0);
  db.function('lethe_words_within', opts, (text: unknown, term: unknown, n: unknown) =>
    typeof text === 'string' && someWordWithin(text, String(term), Number(n)) ? 1 : 0);
  db.function('lethe_within', opts, (value: unknown, term: unknown, n: unknown) =>
    typeof value === 'string' && withinEdits(value, String(term), Number(n)) ? 1 : 0);
}

// Text fields: the stored column for exact and word-level tests, the FTS column for indexed word search.
const TEXTS: Partial<Record<FieldId, { column: string; fts: 'input_text' | 'output_text' }>> = {
  request_text: { column: 'logs.input_text', fts: 'input_text' },
  response_input_text: { column: 'logs.input_text', fts: 'input_text' },
};

const ref = (column: string) => sql.ref(column) as unknown as Bool;
// An FTS5 string: quotes doubled; NUL would end the query string early, and is no word character anyway.
const ftsString = (s: string) => `"${s.replace(/"/g, '""').replace(/\u0000/g, ' ')}"`;

/** The positive form of a string test of one value (`target`) against the comparison's term. */
function stringMatch(target: Bool, c: Comparison): Bool {
  const v = c.value;
  if (v.kind === 'pattern') {
    return isWordy(c)
      ? sql<boolean>`lethe_words_like(${target}, ${JSON.stringify(v.segments)})`
      : sql<boolean>`lethe_like(${target}, ${JSON.stringify(v.segments)})`;
  }
  if (v.kind !== 'text') invalid(c, `${c.field.name} compares text`);
  if (v.fuzzy !== undefined) {
    return isWordy(c) ? sql<boolean>`lethe_words_within(${target}, ${v.text}, ${v.fuzzy})` : sql<boolean>`lethe_within(${target}, ${v.text}, ${v.fuzzy})`;
  }
  if (isWordy(c)) return sql<boolean>`${target} LIKE ${`%${escapeLike(v.text)}%`} ESCAPE '\\'`;
  if (c.op === 'match' || c.op === 'not_match') return sql<boolean>`${target} = ${v.text} COLLATE NOCASE`;
  return sql<boolean>`${target} = ${v.text}`;
}

function valueMatch(target: Bool, c: Comparison): Bool {
  return c.field.type === 'timestamp' || c.field.type === 'number' ? orderedMatch(target, c) : stringMatch(target, c);
}

/**
 * `logs.seq` is among the index's matches. Few candidate rows (a subject's logs): each row is probed in its month's
 * table. Otherwise every month's matches are listed once.
 */
function indexMatch(match: string, ctx: Context): Bool {
  if (!ctx.partitions.length) return sql<boolean>`0`;
  const table = (p: TextPartition) => sql.table(p.name);
  if (ctx.fewRows) {
    // CASE, not an OR of key ranges: the planner would answer such an OR by scanning every range of the logs table,
    // when the rows at hand are a subject's few. The months are in key order, so the first WHEN that holds is the
    // row's own month.
    const probes = ctx.partitions.map((p) =>
      sql`WHEN logs.seq < ${p.hiSeq} THEN EXISTS (SELECT 1 FROM ${table(p)} WHERE ${table(p)} MATCH ${match} AND rowid = logs.seq)`);
    return sql<boolean>`(CASE ${sql.join(probes, sql` `)} ELSE 0 END)`;
  }
  const lists = ctx.partitions.map((p) => sql`SELECT rowid FROM ${table(p)} WHERE ${table(p)} MATCH ${match}`);
  return sql<boolean>`logs.seq IN (${sql.join(lists, sql` UNION ALL `)})`;
}

/**
 * Word search through the FTS index. Porter stemming makes `order` find `orders` and `ordering`; FTS ignores
 * punctuation, so a term that has any is also checked as a substring of the stored text.
 */
function textSearch(column: string, fts: string, c: Comparison, ctx: Context): Bool {
  const v = c.value;
  // Wildcards, approximate terms and terms without an indexed word (stopwords only) cannot use the index.
  if (v.kind !== 'text' || v.fuzzy !== undefined || !hasIndexedWord(v.text)) return valueMatch(ref(column), c);
  const indexed = indexMatch(`${fts} : ${ftsString(indexedWords(v.text))}`, ctx);
  const wordsOnly = isWordy(c) && /^[\p{L}\p{N}\s]*$/u.test(v.text) && !dropsWords(v.text);
  return wordsOnly ? indexed : sql<boolean>`(${indexed} AND ${stringMatch(ref(column), c)})`;
}

/**
 * A request-time condition is a range of the time-ordered key: on the logs' primary key, or, at the top level of a
 * filter, on the key column of the index the page is streamed from, which then starts and stops at the range.
 */
function requestTimeMatch(c: Comparison, key: RawBuilder<unknown> = sql`logs.seq`): Bool {
  const v = c.value;
  if (v.kind !== 'timestamp') invalid(c, 'request_timestamp compares timestamps');
  const [lo, hi] = [seqFloor(v.startMs), seqFloor(v.endMs)];
  switch (c.op) {
    case 'lt': return sql<boolean>`${key} < ${lo}`;
    case 'gte': return sql<boolean>`${key} >= ${lo}`;
    case 'gt': return sql<boolean>`${key} >= ${hi}`;
    case 'lte': return sql<boolean>`${key} < ${hi}`;
    default: return sql<boolean>`(${key} >= ${lo} AND ${key} < ${hi})`;
  }
}

/** What a compiled condition may assume about the rows it is evaluated on. */
interface Context {
  instanceId: string;
  /** The rows come from one subject's index entries: few enough to probe the full-text index row by row. */
  fewRows: boolean;
  /** The full-text index's monthly tables. */
  partitions: TextPartition[];
}

function positive(c: Comparison, ctx: Context): Bool {
  const id = c.field.id;
  if (id === 'request_timestamp') return requestTimeMatch(c);
  const subject = SUBJECTS[id];
  if (subject) return subjectMatch(subject, c, ctx.instanceId, valueMatch);
  const text = TEXTS[id];
  if (text) return textSearch(text.column, text.fts, c, ctx);
  const collection = COLLECTIONS[id];
  if (collection) {
    const member = c.field.member ?? 'intent';
    const jsonPath = (keys: string[]) => `$.${keys.join('.')}`;
    const path = sql<string>`CASE logs.api WHEN 'v1' THEN ${jsonPath(collection.v1)} ELSE ${jsonPath(collection.v2)} END`;
    return sql<boolean>`EXISTS (SELECT 1 FROM json_each(${sql.ref(`logs.${collection.source}`)}, ${path}) j
      WHERE ${valueMatch(sql`json_extract(j.value, ${`$.${member}`})`, c)})`;
  }
  if (id === 'response_output_text') return outputTextMatch(c, ctx);
  const column = COLUMNS[id];
  if (!column) invalid(c, `${c.field.name} cannot be filtered here`);
  return valueMatch(ref(column), c);
}

/** Output texts are indexed as one FTS column; exact and word-level tests look at each text in the stored JSON. */
function outputTextMatch(c: Comparison, ctx: Context): Bool {
  // v1 keeps the texts in output.text[], v2 in output.generic[].text.
  const each = sql<boolean>`EXISTS (SELECT 1 FROM json_tree(logs.response, '$.output') t
    WHERE t.type = 'text' AND (t.key = 'text' OR t.path = '$.output.text') AND ${valueMatch(sql`t.value`, c)})`;
  const v = c.value;
  if (v.kind !== 'text' || v.fuzzy !== undefined || !hasIndexedWord(v.text)) return each;
  return sql<boolean>`(${indexMatch(`output_text : ${ftsString(indexedWords(v.text))}`, ctx)} AND ${each})`;
}

function comparison(c: Comparison, ctx: Context): Bool {
  const negated = c.op === 'not_exact' || c.op === 'not_match';
  // IS NOT 1 rather than NOT: a row whose field is absent (NULL) does not match, so its negation must hold.
  return negated ? sql<boolean>`((${positive(c, ctx)}) IS NOT 1)` : positive(c, ctx);
}

function compile(expr: FilterExpr, ctx: Context): Bool {
  if (expr.kind === 'cmp') return comparison(expr, ctx);
  const parts = expr.items.map((e) => compile(e, ctx));
  return sql<boolean>`(${sql.join(parts, sql.raw(expr.kind === 'and' ? ' AND ' : ' OR '))})`;
}

/** A boolean SQL condition on `logs`; `instanceId` scopes the subject index lookups. */
export function compileSqliteFilter(expr: FilterExpr, instanceId: string, partitions: TextPartition[]): Bool {
  return compile(expr, { instanceId, fewRows: false, partitions });
}

/**
 * Where a page of logs is read from. Every source yields rows in key (= request time) order, so a page is the first
 * rows of a stream rather than a sort of every match: a top-level exact subject streams from the subject index, a
 * top-level word search from the full-text index (one source per month, in key order), anything else from the logs
 * themselves.
 */
function textDriver(e: FilterExpr): e is TextComparison {
  return e.kind === 'cmp' && TEXTS[e.field.id] !== undefined && e.op === 'match' && e.value.kind === 'text'
    && e.value.fuzzy === undefined && /^[\p{L}\p{N}\s]*$/u.test(e.value.text) && hasIndexedWord(e.value.text) && !dropsWords(e.value.text);
}

const isRequestTime = (e: FilterExpr): e is Comparison => e.kind === 'cmp' && e.field.id === 'request_timestamp';

export function planLogSource(expr: FilterExpr | null, instanceId: string, partitions: TextPartition[]): LogSource[] {
  const conjuncts = expr === null ? [] : expr.kind === 'and' ? expr.items : [expr];
  const subject = conjuncts.find(subjectDriver);
  const driver = subject ?? conjuncts.find(textDriver);
  const ctx = { instanceId, fewRows: subject !== undefined, partitions };
  const whereOn = (key: RawBuilder<unknown>, first: Bool | null) => {
    const rest = conjuncts.filter((c) => c !== driver).map((c) => (isRequestTime(c) ? requestTimeMatch(c, key) : compile(c, ctx)));
    // First after what the source's index answers, so it runs for every row a filter looks at (registerFilterFunctions);
    // without a filter, a read is a range of an index, which SQLite's own code walks in a few ms per million rows.
    const all = [...(first ? [first] : []), ...(expr ? [sql<boolean>`lethe_row()`] : []), ...rest];
    return all.length ? sql<boolean>`${sql.join(all, sql` AND `)}` : null;
  };
  if (subject) {
    const key = sql`s.seq`;
    return [{
      from: sql`log_subjects s JOIN logs ON logs.seq = s.seq`, key,
      where: whereOn(key, sql<boolean>`s.instance_id = ${instanceId} AND s.kind = ${SUBJECTS[subject.field.id]} AND s.value = ${subject.value.text}`),
    }];
  }
  if (driver) {
    const match = `${TEXTS[driver.field.id]!.fts} : ${ftsString(indexedWords((driver as TextComparison).value.text))}`;
    return partitions.map((p) => {
      const key = sql`${sql.table(p.name)}.rowid`;
      return { from: sql`${sql.table(p.name)} JOIN logs ON logs.seq = ${key}`, key, where: whereOn(key, sql<boolean>`${sql.table(p.name)} MATCH ${match}`) };
    });
  }
  const key = sql`logs.seq`;
  return [{ from: sql`logs`, key, where: whereOn(key, null) }];
}
