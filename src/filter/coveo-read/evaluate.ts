import type { ReadFilter, ReadFilterComparison, ReadFilterOp, ReadFilterValue } from './ast.js';

/** A record's value for a (lower-cased) dimension name; null and undefined both mean the dimension is absent. */
export type ReadFilterRecord = (dimension: string) => string | number | boolean | null | undefined;

type RecordValue = ReturnType<ReadFilterRecord>;
type PositiveOp = 'eq' | 'ieq' | 'contains' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';

// Each negative operator is exactly the complement of its positive one, so an absent value satisfies `!=`, `!~`,
// `!@` and NOT_IN, and `!= null` means "is present".
const MEANINGS: Record<ReadFilterOp, readonly [test: PositiveOp, negated: boolean]> = {
  eq: ['eq', false],
  ne: ['eq', true],
  ieq: ['ieq', false],
  ine: ['ieq', true],
  contains: ['contains', false],
  not_contains: ['contains', true],
  lt: ['lt', false],
  lte: ['lte', false],
  gt: ['gt', false],
  gte: ['gte', false],
  in: ['in', false],
  not_in: ['in', true],
};

/** Whether the record matches; never throws, even for a hand-built filter whose value does not suit its op. */
export function matchesReadFilter(filter: ReadFilter, record: ReadFilterRecord): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.items.every((item) => matchesReadFilter(item, record));
    case 'or':
      return filter.items.some((item) => matchesReadFilter(item, record));
    case 'cmp':
      return matchesComparison(filter, record(filter.dimension));
  }
}

function matchesComparison({ op, value }: ReadFilterComparison, actual: RecordValue): boolean {
  const [test, negated] = MEANINGS[op];
  return holds(test, value, actual) !== negated;
}

function holds(op: PositiveOp, expected: ReadFilterValue, actual: RecordValue): boolean {
  if (actual === null || actual === undefined) return expected === null;
  // From here on the value is present, so a null literal matches nothing, and only IN has a use for a list.
  if (op === 'in') return Array.isArray(expected) && expected.some((item) => String(item) === String(actual));
  if (expected === null || typeof expected === 'object') return false;
  switch (op) {
    case 'eq':
      return String(actual) === String(expected);
    case 'ieq':
      return fold(String(actual)) === fold(String(expected));
    case 'contains':
      return fold(String(actual)).includes(fold(String(expected)));
    default:
      return typeof expected === 'number' && compareNumbers(op, toNumber(actual), expected);
  }
}

// NFC first, so that a decomposed "É" and a precomposed "é" fold to the same text.
function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

// Number('') and Number(' ') are 0, which would make a blank value pass `< 100`; treat blank as not a number.
function toNumber(value: string | number | boolean): number {
  return typeof value === 'string' && value.trim() === '' ? Number.NaN : Number(value);
}

// Every comparison with NaN is false, so a non-numeric value matches no numeric comparison.
function compareNumbers(op: 'lt' | 'lte' | 'gt' | 'gte', actual: number, expected: number): boolean {
  switch (op) {
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
  }
}
