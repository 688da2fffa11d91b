import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSurface, FilterExpr, TermValue } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { FILTER_LIMITS, parseFilter } from './parse.js';
import { fuzzInput, seededRandom } from '../../../test/helpers/seeded-random.js';

// Pieces of the filter alphabet, weighted towards what makes a comparison so that parses get deep.
const FIELDS = [
  'customer_id',
  'language',
  'log_id',
  'request.input.text',
  'response_timestamp',
  'meta.message.entities_count',
  'response.intents:intent',
  'response.output.entities:value',
  'response.output.intents:confidence',
  'response.output.intents',
  'workspace_id',
  'foo',
];
const OPERATORS = ['::', ':', '::!', ':!', '<', '<=', '>', '>=', ':::', '!'];
const TERMS = ['hello', 'ibm watson', '2020-07-01', '2019-11-01T04:00:00.000Z', '0.5', '12', 'comm*s', 'car~1', '~2', '*'];
const PUNCTUATION = ['"', '\\', '(', ')', '[', ']', ',', '|', '~', '*', ' ', '\t', '\n', ':', '.', '-', '+', 'T', 'Z'];
const UNICODE = ['é', '日本', '😀', '\uD83D', '\uDE00', '\u0000', '\u00A0', '\u2028', '\uFEFF'];
const ALPHABET = [FIELDS, FIELDS, OPERATORS, OPERATORS, TERMS, TERMS, PUNCTUATION, PUNCTUATION, PUNCTUATION, UNICODE];
const SURFACES: ApiSurface[] = ['v1', 'v2', 'any'];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  assert.ok(item !== undefined);
  return item;
}

function randomNoise(random: () => number, maxPieces: number): string {
  const length = Math.floor(random() * maxPieces);
  return Array.from({ length }, () => pick(random, pick(random, ALPHABET))).join('');
}

/** A plausible filter (comparisons joined and grouped), so that the fuzzer reaches the success paths. */
function randomStructured(random: () => number, depth = 0): string {
  if (depth < 3 && random() < 0.3) {
    const [open, close] = pick(random, [['(', ')'], ['[', ']']] as const);
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomStructured(random, depth + 1));
    return `${open}${items.join(pick(random, [',', '|', ' , ']))}${close}`;
  }
  const term = random() < 0.2 ? `(${pick(random, TERMS)}|${pick(random, TERMS)})` : pick(random, TERMS);
  return `${pick(random, FIELDS)}${pick(random, OPERATORS)}${term}`;
}

function randomFilter(random: () => number): string {
  return fuzzInput(random, (max) => randomNoise(random, max), () => randomStructured(random));
}

/** Checks the shape promises of the AST: flattened, positioned inside the input, values well-formed. */
function assertWellFormed(expr: FilterExpr, input: string): number {
  if (expr.kind !== 'cmp') {
    assert.ok(expr.items.length >= 2, 'and/or nodes have two or more items');
    assert.ok(expr.items.every((item) => item.kind !== expr.kind), 'nested nodes of the same kind are flattened');
    return expr.items.reduce((count, item) => count + assertWellFormed(item, input), 0);
  }
  assert.ok(expr.position >= 0 && expr.position < expr.value.position, 'the location precedes its term');
  assert.ok(expr.value.position < input.length, 'the term starts inside the filter');
  assertValue(expr.value);
  return 1;
}

function assertValue(value: TermValue): void {
  if (value.kind === 'pattern') assert.ok(value.segments.length >= 2);
  if (value.kind === 'text') assert.ok(value.text.length > 0);
  if (value.kind === 'timestamp') assert.ok(value.startMs < value.endMs);
  if (value.kind === 'number') assert.ok(Number.isFinite(value.value));
}

function assertParsesOrRejects(input: string, surface: ApiSurface): 'parsed' | 'rejected' {
  try {
    const count = assertWellFormed(parseFilter(input, surface), input);
    assert.ok(count <= FILTER_LIMITS.maxComparisons);
    return 'parsed';
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) {
      const shown = input.length > 120 ? `${input.slice(0, 120)}…` : input;
      assert.fail(`${JSON.stringify(shown)} on ${surface} threw ${String(error)}`);
    }
    assert.ok(Number.isInteger(error.position) && error.position >= 0 && error.position <= input.length, error.message);
    assert.ok(error.expected.length > 0 && error.message.length > 0);
    return 'rejected';
  }
}

describe('parseFilter on arbitrary input', () => {
  it('returns a well-formed AST or throws FilterSyntaxError for 20k random filters', () => {
    const random = seededRandom(0x1e7e);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let i = 0; i < 20_000; i++) outcomes[assertParsesOrRejects(randomFilter(random), pick(random, SURFACES))]++;
    // Guards the generator: a fuzzer whose inputs never parse would not exercise the success paths.
    assert.ok(outcomes.parsed > 500, `only ${outcomes.parsed} of 20000 random filters parsed`);
  });

  // A parser that backtracks exponentially would hang here; the timeout turns that into a failure (speed itself is
  // the benchmarks' business, not a unit test's).
  it('handles pathological filters at the length limit', { timeout: 60_000 }, () => {
    const max = FILTER_LIMITS.maxLength;
    const text = 'request.input.text:';
    const pathological = [
      '('.repeat(max),
      `${text}${'\\'.repeat(max - text.length)}`,
      `${text}${'*'.repeat(max - text.length)}`,
      `${text}"${'\\"'.repeat((max - text.length) / 2 - 1)}`,
      `${text}${' '.repeat(max - text.length - 1)}x`,
      `${'a'.repeat(max)}`,
      `response_timestamp<${'9'.repeat(max - 19)}`,
      `meta.message.entities_count<${'9'.repeat(max - 28)}`,
      Array.from({ length: 400 }, () => 'log_id::x').join('|').slice(0, max),
      '😀'.repeat(max / 2),
      '\uD800'.repeat(max),
    ];
    for (const input of pathological) {
      assertParsesOrRejects(input, 'any');
    }
  });
});
