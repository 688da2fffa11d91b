import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadFilter, ReadFilterComparison } from './ast.js';
import { ReadFilterError } from './errors.js';
import { matchesReadFilter, type ReadFilterRecord } from './evaluate.js';
import { parseReadFilter, READ_FILTER_LIMITS } from './parse.js';
import { fuzzInput, seededRandom } from '../../../test/helpers/seeded-random.js';

// Pieces of the filter alphabet, weighted towards what makes a comparison so that parses get deep.
const DIMENSIONS = ['originlevel1', 'OriginLevel2', 'groupname', 'numberofresults', 'c_role', '_x9', 'a', 'NOT', 'android'];
const KEYWORDS = ['AND', 'and', 'Or', 'IN', 'not_in', 'NOT_IN', 'null', 'NULL'];
const OPERATORS = ['==', '!=', '=~', '!~', '=@', '!@', '<', '<=', '>', '>=', ' IN ', ' NOT_IN ', '=', '!', '~', '@', '==='];
const VALUES = ['"Agent"', "'it\\'s'", '"He said \\"hi\\""', '""', '"日本😀"', '42', '-1.5', '1e3', '.5', '1e999', 'null', '[]', '["a",1]'];
// Operator and value that go together, so that structured filters often parse.
const WELL_FORMED_TESTS = ['=="Agent"', ' != null', " =~ 'it\\'s'", '=@"日本😀"', '< 100', '>=-1.5', ' IN ["a", 1]', ' not_in []'];
const PUNCTUATION = ['"', "'", '\\', '(', ')', '[', ']', ',', ' ', '\t', '\n', '.', '-', '+', 'e', '0', '9'];
const UNICODE = ['é', 'E\u0301', '日本', '😀', '\uD83D', '\uDE00', '\u0000', '\u00A0', '\u2028', '\uFEFF', 'İ'];
const ALPHABET = [DIMENSIONS, KEYWORDS, OPERATORS, OPERATORS, VALUES, VALUES, PUNCTUATION, PUNCTUATION, UNICODE];

// Values a record may hold, including ones that defeat naive string and number handling.
const RECORD_VALUES = [
  undefined,
  null,
  '',
  ' ',
  'Agent',
  'agentcasepanel',
  "it's",
  '42',
  'NaN',
  '1e3',
  '\uD800',
  'É',
  '😀',
  '\u0000',
  0,
  -1.5,
  42,
  Number.NaN,
  Infinity,
  true,
  false,
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const index = Math.floor(random() * items.length);
  assert.ok(index < items.length);
  return items[index] as T;
}

function randomNoise(random: () => number, maxPieces: number): string {
  const length = Math.floor(random() * maxPieces);
  return Array.from({ length }, () => pick(random, pick(random, ALPHABET))).join('');
}

/** A plausible filter (comparisons joined and grouped), so that the fuzzer reaches the success paths. */
function randomStructured(random: () => number, depth = 0): string {
  if (depth < 3 && random() < 0.3) {
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomStructured(random, depth + 1));
    return `(${items.join(pick(random, [' AND ', ' or ', ')AND(']))})`;
  }
  const test = random() < 0.6 ? pick(random, WELL_FORMED_TESTS) : `${pick(random, OPERATORS)}${pick(random, VALUES)}`;
  return `${pick(random, DIMENSIONS)}${test}`;
}

function randomFilter(random: () => number): string {
  return fuzzInput(random, (max) => randomNoise(random, max), () => randomStructured(random));
}

function randomRecord(random: () => number): ReadFilterRecord {
  const values = new Map<string, unknown>();
  return (dimension) => {
    if (!values.has(dimension)) values.set(dimension, pick(random, RECORD_VALUES));
    return values.get(dimension) as ReturnType<ReadFilterRecord>;
  };
}

/** Checks the shape promises of the AST and returns how many comparisons it holds. */
function assertWellFormed(filter: ReadFilter, input: string): number {
  if (filter.kind !== 'cmp') {
    assert.ok(filter.items.length >= 2, 'and/or nodes have two or more items');
    assert.ok(filter.items.every((item) => item.kind !== filter.kind), 'nested nodes of the same kind are flattened');
    return filter.items.reduce((count, item) => count + assertWellFormed(item, input), 0);
  }
  assert.ok(filter.position >= 0 && filter.position < input.length);
  assert.equal(input.slice(filter.position, filter.position + filter.dimension.length).toLowerCase(), filter.dimension);
  assertValueSuitsOp(filter);
  return 1;
}

function assertValueSuitsOp({ op, value }: ReadFilterComparison): void {
  const scalar = (item: unknown) => typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item));
  if (op === 'in' || op === 'not_in') assert.ok(Array.isArray(value) && value.every(scalar));
  else if (op === 'contains' || op === 'not_contains') assert.equal(typeof value, 'string');
  else if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') assert.ok(typeof value === 'number' && scalar(value));
  else assert.ok(value === null || scalar(value));
}

function assertParsesOrRejects(input: string, random: () => number): 'parsed' | 'rejected' {
  let filter: ReadFilter;
  try {
    filter = parseReadFilter(input);
  } catch (error) {
    if (!(error instanceof ReadFilterError)) assert.fail(`${JSON.stringify(input.slice(0, 120))} threw ${String(error)}`);
    assert.ok(Number.isInteger(error.position) && error.position >= 0 && error.position <= input.length, error.message);
    assert.ok(error.expected.length > 0 && error.message.length > 0);
    return 'rejected';
  }
  assert.ok(assertWellFormed(filter, input) <= READ_FILTER_LIMITS.maxComparisons);
  assert.equal(typeof matchesReadFilter(filter, randomRecord(random)), 'boolean');
  return 'parsed';
}

describe('parseReadFilter and matchesReadFilter on arbitrary input', () => {
  it('parse to a well-formed AST or throw ReadFilterError, and evaluate without throwing, for 10k random filters', () => {
    const random = seededRandom(0x1e7e);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let i = 0; i < 10_000; i++) outcomes[assertParsesOrRejects(randomFilter(random), random)]++;
    // Guards the generator: a fuzzer whose inputs never parse would not exercise the success paths.
    assert.ok(outcomes.parsed > 2_000, `only ${outcomes.parsed} of 10000 random filters parsed`);
    assert.ok(outcomes.rejected > 1_000, `only ${outcomes.rejected} of 10000 random filters were rejected`);
  });

  // A parser that backtracks exponentially would hang here; the timeout turns that into a failure (speed itself is
  // the benchmarks' business, not a unit test's).
  it('handles pathological filters at the length limit', { timeout: 60_000 }, () => {
    const max = READ_FILTER_LIMITS.maxLength;
    const random = seededRandom(7);
    const pathological = [
      '('.repeat(max),
      ')'.repeat(max),
      '"'.repeat(max),
      `a == "${'\\'.repeat(max - 6)}`,
      `a == "${'\\"'.repeat((max - 6) / 2)}`,
      `a IN [${'1,'.repeat((max - 8) / 2)}1]`,
      `a IN [${'['.repeat(max - 6)}`,
      `n < ${'9'.repeat(max - 4)}`,
      'a'.repeat(max),
      Array.from({ length: 600 }, () => 'a==1').join(' OR ').slice(0, max),
      Array.from({ length: 200 }, () => 'a==1').join(' AND '),
      '😀'.repeat(max / 2),
      '\uD800'.repeat(max),
      '\u0000'.repeat(max),
    ];
    for (const input of pathological) {
      assertParsesOrRejects(input, random);
    }
  });
});
