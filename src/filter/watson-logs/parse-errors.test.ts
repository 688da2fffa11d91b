import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSurface } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { FILTER_LIMITS, parseFilter } from './parse.js';

interface ErrorCase {
  input: string;
  surface?: ApiSurface;
  position: number;
  /** A substring of the error's `expected`. */
  expected: string;
  /** A substring of the message, when the exact wording matters. */
  message?: string;
}

const OPERATORS = 'an operator (::, :, ::!, :!, <, <=, >, >=)';
const TERM = 'a term (a word, a "quoted phrase" or a (group))';
const SEPARATOR = '"," (and), "|" (or) or the end of the filter';
const twoHundredAndOne = Array.from({ length: 201 }, () => 'language::en').join(',');

const cases: Array<[name: string, errorCase: ErrorCase]> = [
  ['empty filter', { input: '', position: 0, expected: 'a field name', message: 'found the end of the filter' }],
  ['blank filter', { input: '  ', position: 2, expected: 'a field name' }],
  [
    'missing operator',
    {
      input: 'request.input.text order',
      position: 19,
      expected: OPERATORS,
      message: `Invalid filter at position 19: expected ${OPERATORS} after "request.input.text", found "o"`,
    },
  ],
  ['missing operator at the end', { input: 'request.input.text', position: 18, expected: OPERATORS }],
  ['missing term at the end', { input: 'request.input.text:', position: 19, expected: TERM }],
  ['missing term before ,', { input: 'request.input.text::  ,language::en', position: 22, expected: TERM }],
  ['empty term in a group', { input: 'language::(en|)', position: 14, expected: TERM }],
  ['empty phrase', { input: 'request.input.text:""', position: 19, expected: 'a non-empty phrase' }],
  [
    'unterminated quote',
    { input: 'request.input.text:"IBM Watson', position: 19, expected: 'a closing "', message: 'is not closed' },
  ],
  ['text after a phrase', { input: 'request.input.text:"a"b', position: 22, expected: SEPARATOR }],
  ['dangling backslash', { input: 'request.input.text:a\\', position: 21, expected: 'a character to escape' }],
  ['unescaped ( inside a term', { input: 'request.input.text:a(b', position: 20, expected: 'a term character' }],
  [
    'unknown field',
    {
      input: 'foo.bar::x',
      position: 0,
      expected: 'a field filterable on any logs',
      message: 'Unknown field "foo.bar" at position 0; filterable fields include ',
    },
  ],
  [
    'field of the other API version',
    {
      input: 'language::en,workspace_id::x',
      surface: 'v2',
      position: 13,
      expected: 'a field filterable on v2 logs',
      message: 'Field "workspace_id" at position 13 is not filterable on v2 logs',
    },
  ],
  ['collection without a member', { input: 'response.output.intents::x', position: 23, expected: 'a member (:intent, :confidence)' }],
  ['collection with a wrong member', { input: 'response.entities:intent::x', position: 17, expected: ':entity, :value' }],
  ['month 13', { input: 'response_timestamp>=2020-13-01', position: 20, expected: 'a real date' }],
  ['February 30', { input: 'response_timestamp<2020-02-30', position: 19, expected: 'a real date' }],
  ['not a date', { input: 'request_timestamp<yesterday', position: 18, expected: 'a real date' }],
  ['~ on a timestamp', { input: 'response_timestamp<2020-02-01~1', position: 29, expected: 'a term without ~' }],
  ['* on a timestamp', { input: 'response_timestamp<2020-*', position: 24, expected: 'a term without *' }],
  ['* on log_id', { input: 'log_id::abc*', position: 11, expected: 'a term without *' }],
  ['~ on log_id', { input: 'log_id::abc~1', position: 11, expected: 'a term without ~' }],
  ['~ with a bad distance', { input: 'request.input.text:Watson~3', position: 26, expected: '1 or 2' }],
  ['* and ~ together', { input: 'request.input.text:comm*s~1', position: 25, expected: 'either * or ~' }],
  [
    '< on a text field',
    {
      input: 'request.input.text<order',
      position: 18,
      expected: 'one of ::, :, ::!, :!',
      message: 'operator < is not valid for the text field "request.input.text"',
    },
  ],
  [': on a timestamp', { input: 'response_timestamp:2020-01-01', position: 18, expected: 'one of ::, ::!, <, <=, >, >=' }],
  ['not a number', { input: 'meta.message.entities_count>lots', surface: 'v1', position: 28, expected: 'a number' }],
  ['dangling ,', { input: 'language::en,', position: 13, expected: 'a field name' }],
  ['dangling |', { input: 'language::en | ', position: 15, expected: 'a field name' }],
  ['double ,', { input: 'language::en,,language::fr', position: 13, expected: 'a field name' }],
  ['unclosed (', { input: '(language::en', position: 13, expected: '")" closing the group opened at position 0' }],
  ['unclosed term group', { input: 'language::(en|fr', position: 16, expected: '")"' }],
  ['mismatched brackets', { input: '[language::en)', position: 13, expected: '"]"' }],
  ['unopened )', { input: 'language::en)', position: 12, expected: SEPARATOR, message: 'found ")"' }],
  [
    'too deep',
    {
      input: `${'('.repeat(FILTER_LIMITS.maxDepth + 1)}language::en${')'.repeat(FILTER_LIMITS.maxDepth + 1)}`,
      position: FILTER_LIMITS.maxDepth,
      expected: 'at most 32 nested groups',
    },
  ],
  [
    'too deep in a term group',
    { input: `language::${'['.repeat(40)}`, position: 10 + FILTER_LIMITS.maxDepth, expected: 'at most 32 nested groups' },
  ],
  ['too long', { input: `language::${'x'.repeat(4090)}`, position: 4096, expected: 'at most 4096 characters' }],
  ['too many comparisons', { input: twoHundredAndOne, position: 200 * 13 + 10, expected: 'at most 200 comparisons' }],
];

function errorOf(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FilterSyntaxError, `expected a FilterSyntaxError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the filter to be rejected');
}

describe('parseFilter rejects malformed filters with a position', () => {
  for (const [name, { input, surface = 'any', position, expected, message }] of cases) {
    it(name, () => {
      const error = errorOf(() => parseFilter(input, surface));
      assert.equal(error.position, position, error.message);
      assert.ok(error.expected.includes(expected), `expected ${JSON.stringify(error.expected)} to include ${expected}`);
      assert.ok(error.message.includes(message ?? `position ${position}`), error.message);
    });
  }

  it('accepts exactly the limits', () => {
    const deepest = `${'('.repeat(FILTER_LIMITS.maxDepth)}language::en${')'.repeat(FILTER_LIMITS.maxDepth)}`;
    assert.equal(parseFilter(deepest, 'v2').kind, 'cmp');
    assert.equal(parseFilter(`language::${'x'.repeat(4086)}`, 'v2').kind, 'cmp');
    assert.equal(parseFilter(twoHundredAndOne.slice(0, -13), 'v2').kind, 'and');
  });

  it('rejects a filter that is not a string, as a repeated query parameter would be', () => {
    const error = errorOf(() => parseFilter(['language::en', 'language::fr'] as unknown as string, 'v2'));
    assert.equal(error.position, 0);
  });

  it('is an Error named FilterSyntaxError', () => {
    const error = errorOf(() => parseFilter('', 'v1'));
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'FilterSyntaxError');
  });
});
