// The typed, field-resolved result of parsing a Watson logs `filter` parameter. Term groups such as
// `intent::(hello|goodbye)` are already desugared into and/or of comparisons, so a compiler only ever
// sees comparisons of one field against one value.

/** Which /logs API the filter was sent to; 'any' accepts the fields of both. */
export type ApiSurface = 'v1' | 'v2' | 'any';

/** How a compared value behaves: `keyword` is a whole opaque string, `text` is tokenised user text. */
export type ValueType = 'keyword' | 'text' | 'timestamp' | 'number';

export type Member = 'intent' | 'entity' | 'value' | 'confidence';

/** Semantic field: v1 and v2 names for the same data resolve to the same id. */
export type FieldId =
  | 'customer_id'
  | 'assistant_id'
  | 'workspace_id'
  | 'skill_id'
  | 'snapshot'
  | 'session_id'
  | 'conversation_id'
  | 'deployment'
  | 'language'
  | 'user_id'
  | 'log_id'
  | 'top_intent'
  | 'request_text'
  | 'response_input_text'
  | 'response_output_text'
  | 'request_timestamp'
  | 'response_timestamp'
  | 'entities_count'
  | 'response_intents'
  | 'response_entities'
  | 'request_intents';

export interface FieldRef {
  id: FieldId;
  /** Type of the compared value; for a collection this is the member's type. */
  type: ValueType;
  /** Set exactly when `id` names an intent or entity collection. */
  member?: Member;
  /** The location as written, e.g. `response.intents:intent`. */
  name: string;
}

/**
 * `exact`/`not_exact` are `::`/`::!`. `match`/`not_match` are `:`/`:!`, whose meaning depends on the type:
 * on `text` the value contains the term or a grammatical variant; on `keyword` the whole value equals the
 * term ignoring case. A negated operator holds when no value of the field matches, so on a collection
 * `response.intents:intent::!order` means "no intent is order" — which is also what makes De Morgan valid
 * when a negated term group is desugared.
 */
export type Op = 'exact' | 'not_exact' | 'match' | 'not_match' | 'lt' | 'lte' | 'gt' | 'gte';

export type TermValue =
  | { kind: 'text'; text: string; phrase: boolean; fuzzy?: 1 | 2; position: number }
  /** A term with unescaped `*`: the literal pieces between the stars, so `comm*s` is ['comm', 's']. */
  | { kind: 'pattern'; segments: string[]; position: number }
  /**
   * The literal denotes the instant range [startMs, endMs): `2020-07-01` covers the whole UTC day and a
   * time with milliseconds covers 1 ms. So `>=` compares with startMs, `>` and `<=` with endMs, `<` with
   * startMs, and `::` means inside the range.
   */
  | { kind: 'timestamp'; startMs: number; endMs: number; position: number }
  | { kind: 'number'; value: number; position: number };

export interface Comparison {
  kind: 'cmp';
  field: FieldRef;
  op: Op;
  value: TermValue;
  /** Offset of the location, i.e. where this comparison starts in the filter. */
  position: number;
}

export type FilterExpr = { kind: 'and'; items: FilterExpr[] } | { kind: 'or'; items: FilterExpr[] } | Comparison;
