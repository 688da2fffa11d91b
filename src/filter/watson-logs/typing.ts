import type { FieldRef, Op, TermValue, ValueType } from './ast.js';
import { invalidAt } from './errors.js';
import { acceptsPatterns } from './fields.js';
import type { RawTerm } from './term.js';
import { parseTimestamp } from './timestamp.js';

export const OPERATORS: ReadonlyArray<readonly [symbol: string, op: Op]> = [
  ['::', 'exact'],
  [':', 'match'],
  ['::!', 'not_exact'],
  [':!', 'not_match'],
  ['<', 'lt'],
  ['<=', 'lte'],
  ['>', 'gt'],
  ['>=', 'gte'],
];

const STRING_OPS: readonly Op[] = ['exact', 'match', 'not_exact', 'not_match'];
const ORDERED_OPS: readonly Op[] = ['exact', 'not_exact', 'lt', 'lte', 'gt', 'gte'];
const OPS_BY_TYPE: Record<ValueType, readonly Op[]> = {
  keyword: STRING_OPS,
  text: STRING_OPS,
  timestamp: ORDERED_OPS,
  number: ORDERED_OPS,
};

const TIMESTAMP_FORMAT = 'a real date as YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]], then optionally Z or ±HH:MM';
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isNegated(op: Op): boolean {
  return op === 'not_exact' || op === 'not_match';
}

/** Rejects an operator the field's type cannot answer, e.g. `<` on text or `:` on a timestamp. */
export function checkOperator(field: FieldRef, op: Op, position: number): void {
  const allowed = OPS_BY_TYPE[field.type];
  if (allowed.includes(op)) return;
  const symbols = allowed.map(symbolOf).join(', ');
  throw invalidAt(
    position,
    `operator ${symbolOf(op)} is not valid for the ${field.type} field "${field.name}"; use one of ${symbols}`,
    `one of ${symbols}`,
  );
}

/** Turns a term into a value of the field's type, rejecting wildcards and `~N` where they mean nothing. */
export function typeTerm(field: FieldRef, term: RawTerm): TermValue {
  switch (field.type) {
    case 'keyword':
    case 'text':
      return stringValue(field, term);
    case 'timestamp':
      return timestampValue(field, term);
    case 'number':
      return numberValue(field, term);
  }
}

function stringValue(field: FieldRef, term: RawTerm): TermValue {
  if (!acceptsPatterns(field.id)) rejectPatterns(field, term);
  if (term.wildcardPosition === undefined) {
    const text = term.segments[0] ?? '';
    const value = { kind: 'text', text, phrase: term.phrase, position: term.position } as const;
    return term.fuzzy === undefined ? value : { ...value, fuzzy: term.fuzzy };
  }
  if (term.fuzzyPosition !== undefined) {
    throw invalidAt(term.fuzzyPosition, 'a term cannot combine * and ~', 'a term with either * or ~, not both');
  }
  return { kind: 'pattern', segments: term.segments, position: term.position };
}

function timestampValue(field: FieldRef, term: RawTerm): TermValue {
  const range = parseTimestamp(literalOf(field, term));
  if (range === undefined) {
    throw invalidAt(term.position, `not a valid timestamp; expected ${TIMESTAMP_FORMAT}`, TIMESTAMP_FORMAT);
  }
  return { kind: 'timestamp', ...range, position: term.position };
}

function numberValue(field: FieldRef, term: RawTerm): TermValue {
  const text = literalOf(field, term);
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value)) throw invalidAt(term.position, 'not a valid number', 'a number');
  return { kind: 'number', value, position: term.position };
}

/** The text of a term that must be taken literally (a date or a number). */
function literalOf(field: FieldRef, term: RawTerm): string {
  rejectPatterns(field, term);
  return term.segments[0] ?? '';
}

function rejectPatterns(field: FieldRef, term: RawTerm): void {
  const where = `on "${field.name}"`;
  if (term.wildcardPosition !== undefined) {
    throw invalidAt(term.wildcardPosition, `the wildcard * is not valid ${where}`, 'a term without *');
  }
  if (term.fuzzyPosition !== undefined) {
    throw invalidAt(term.fuzzyPosition, `approximate matching ~ is not valid ${where}`, 'a term without ~');
  }
}

function symbolOf(op: Op): string {
  return OPERATORS.find(([, candidate]) => candidate === op)?.[0] ?? op;
}
