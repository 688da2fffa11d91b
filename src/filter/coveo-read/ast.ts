// The parsed form of a Coveo UA Read API filter (the `f`, `fs`, `fc`, `fn` parameters of exports and stats).

/**
 * `eq`/`ne` are `==`/`!=` (case-sensitive), `ieq`/`ine` are `=~`/`!~`, `contains`/`not_contains` are `=@`/`!@`
 * (both case-insensitive), `lt`…`gte` compare numbers, `in`/`not_in` are `IN`/`NOT_IN` (case-sensitive).
 */
export type ReadFilterOp =
  | 'eq'
  | 'ne'
  | 'ieq'
  | 'ine'
  | 'contains'
  | 'not_contains'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'in'
  | 'not_in';

/**
 * What the parser guarantees per operator: equalities take a string, a number or null; `contains`/`not_contains` a
 * string; `lt`…`gte` a finite number; `in`/`not_in` a possibly empty list of strings and numbers.
 */
export type ReadFilterValue = string | number | null | (string | number)[];

export interface ReadFilterComparison {
  kind: 'cmp';
  /** Lower-cased, because dimension names are case-insensitive. */
  dimension: string;
  op: ReadFilterOp;
  value: ReadFilterValue;
  /** 0-based UTF-16 offset of the dimension name in the filter string. */
  position: number;
}

/** and/or nodes have at least two items and never directly contain a node of their own kind. */
export type ReadFilter = { kind: 'and' | 'or'; items: ReadFilter[] } | ReadFilterComparison;
