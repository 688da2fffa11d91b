import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadFilterError } from './errors.js';
import { parseReadFilter, READ_FILTER_LIMITS } from './parse.js';

interface ErrorCase {
  input: string;
  position: number;
  /** A substring of the error's `expected`. */
  expected: string;
  /** A substring of the message, when the exact wording matters. */
  message?: string;
}

const OPERATOR = 'an operator (==, !=, =~, !~, =@, !@, <, <=, >, >=, IN or NOT_IN)';
const PRIMARY = 'a dimension name or "("';
const CONNECTIVE = 'AND, OR or the end of the filter';
const EQUALITY_VALUE = 'a string, a number or null';
const twoHundredAndOne = Array.from({ length: 201 }, () => 'a==1').join(' OR ');

const cases: Array<[name: string, errorCase: ErrorCase]> = [
  ['empty filter', { input: '', position: 0, expected: PRIMARY, message: 'found the end of the filter' }],
  ['blank filter', { input: '   ', position: 3, expected: PRIMARY }],
  ['unterminated "string', { input: 'a == "abc', position: 5, expected: 'a closing "', message: 'is not closed' }],
  ["unterminated 'string ending in an escaped quote", { input: "a == 'it\\'s", position: 5, expected: "a closing '" }],
  ['string ending in a lone backslash', { input: 'a == "x\\"', position: 5, expected: 'a closing "' }],
  [
    'missing operator',
    {
      input: 'originlevel1 "x"',
      position: 13,
      expected: OPERATOR,
      message: `Invalid filter at position 13: expected ${OPERATOR} after "originlevel1", found the string "x"`,
    },
  ],
  ['single =', { input: 'a = "x"', position: 2, expected: OPERATOR, message: 'found "="' }],
  ['NOT IN as two words', { input: 'a NOT IN [1]', position: 2, expected: OPERATOR, message: 'found "NOT"' }],
  [
    'missing value',
    {
      input: 'originlevel1 =~',
      position: 15,
      expected: EQUALITY_VALUE,
      message: `Invalid filter at position 15: expected ${EQUALITY_VALUE} after "=~", found the end of the filter`,
    },
  ],
  [
    '< with a string',
    {
      input: 'numberofresults < "100"',
      position: 18,
      expected: 'a number',
      message: 'expected a number after "<", found the string "100"',
    },
  ],
  ['< with null', { input: 'n < null', position: 4, expected: 'a number', message: 'found "null"' }],
  ['=@ with null', { input: 'a =@ null', position: 5, expected: 'a string', message: 'after "=@", found "null"' }],
  ['!@ with a number', { input: 'a !@ 5', position: 5, expected: 'a string', message: 'found the number 5' }],
  ['IN with a string', { input: 'a IN "x"', position: 5, expected: 'a [list] of strings and numbers' }],
  ['== with a list', { input: 'a == ["x"]', position: 5, expected: EQUALITY_VALUE, message: 'found "["' }],
  ['a bare word as value', { input: 'a == agent', position: 5, expected: EQUALITY_VALUE, message: 'found "agent"' }],
  ['unclosed list', { input: 'a IN ["x"', position: 9, expected: '"," or "]" closing the list opened at position 5' }],
  ['trailing comma in a list', { input: 'a IN ["x",]', position: 10, expected: 'a string or a number' }],
  ['missing comma in a list', { input: 'a IN ["x" "y"]', position: 10, expected: '"," or "]"' }],
  ['null in a list', { input: 'a IN [null]', position: 6, expected: 'a string, a number or "]"' }],
  ['nested list', { input: 'a IN [[1]]', position: 6, expected: 'a string, a number or "]"' }],
  ['malformed number', { input: 'n < 1.2.3', position: 4, expected: 'a number', message: 'not a valid finite number' }],
  ['number running into a word', { input: 'n < 12abc', position: 4, expected: 'a number' }],
  ['infinite number', { input: 'n < 1e999', position: 4, expected: 'a number' }],
  ['dangling AND', { input: 'a == 1 AND', position: 10, expected: PRIMARY }],
  ['dangling OR', { input: 'a == 1 or ', position: 10, expected: PRIMARY }],
  ['leading AND', { input: 'AND a == 1', position: 0, expected: PRIMARY, message: 'found "AND"' }],
  ['keyword as a dimension', { input: 'null == 1', position: 0, expected: PRIMARY }],
  ['missing connective', { input: 'a == 1 b == 2', position: 7, expected: CONNECTIVE, message: 'found "b"' }],
  ['unclosed (', { input: '(a == 1', position: 7, expected: 'AND, OR or ")" closing the parenthesis opened at position 0' }],
  ['unopened )', { input: 'a == 1)', position: 6, expected: CONNECTIVE, message: 'found ")"' }],
  ['empty parentheses', { input: '()', position: 1, expected: PRIMARY }],
  ['emoji after a comparison', { input: 'a == 1 😀', position: 7, expected: CONNECTIVE, message: 'found "😀"' }],
  ['NUL instead of an operator', { input: 'a\u0000== 1', position: 1, expected: OPERATOR, message: 'found "\\u0000"' }],
  [
    'too long',
    { input: `a == "${'x'.repeat(4090)}"`, position: 4096, expected: 'at most 4096 characters', message: 'longer than' },
  ],
  [
    'too deep',
    {
      input: `${'('.repeat(READ_FILTER_LIMITS.maxDepth + 1)}a==1${')'.repeat(READ_FILTER_LIMITS.maxDepth + 1)}`,
      position: READ_FILTER_LIMITS.maxDepth,
      expected: 'at most 32 nested parentheses',
    },
  ],
  ['too many comparisons', { input: twoHundredAndOne, position: 200 * 8, expected: 'at most 200 comparisons' }],
];

function errorOf(run: () => unknown): ReadFilterError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ReadFilterError, `expected a ReadFilterError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the filter to be rejected');
}

describe('parseReadFilter rejects malformed filters with a position', () => {
  for (const [name, { input, position, expected, message }] of cases) {
    it(name, () => {
      const error = errorOf(() => parseReadFilter(input));
      assert.equal(error.position, position, error.message);
      assert.ok(error.expected.includes(expected), `expected ${JSON.stringify(error.expected)} to include ${expected}`);
      assert.ok(error.message.includes(message ?? `position ${position}`), error.message);
    });
  }

  it('accepts exactly the limits', () => {
    const { maxDepth, maxLength } = READ_FILTER_LIMITS;
    assert.equal(parseReadFilter(`${'('.repeat(maxDepth)}a==1${')'.repeat(maxDepth)}`).kind, 'cmp');
    assert.equal(parseReadFilter(`a == "${'x'.repeat(maxLength - 7)}"`).kind, 'cmp');
    assert.equal(parseReadFilter(twoHundredAndOne.slice(0, -' OR a==1'.length)).kind, 'or');
  });

  it('shortens long text quoted in messages', () => {
    const error = errorOf(() => parseReadFilter(`${'d'.repeat(1000)} 1`));
    assert.ok(error.message.length < 200, error.message);
  });

  it('rejects a filter that is not a string, as a repeated query parameter would be', () => {
    for (const input of [['a==1', 'b==2'], undefined, null, 42, {}]) {
      assert.equal(errorOf(() => parseReadFilter(input as unknown as string)).position, 0);
    }
  });

  it('is an Error named ReadFilterError', () => {
    const error = errorOf(() => parseReadFilter(''));
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ReadFilterError');
    assert.equal(error.filterIndex, 0);
  });
});
