import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadFilter, ReadFilterOp, ReadFilterValue } from './ast.js';
import { ReadFilterError } from './errors.js';
import { parseReadFilter, parseReadFilters } from './parse.js';

function cmp(dimension: string, op: ReadFilterOp, value: ReadFilterValue, position = 0): ReadFilter {
  return { kind: 'cmp', dimension, op, value, position };
}

describe('documented examples (Coveo Read API filter syntax)', () => {
  const examples: Array<[input: string, expected: ReadFilter]> = [
    ['originlevel1 =~ "agentcasepanel"', cmp('originlevel1', 'ieq', 'agentcasepanel')],
    ['originlevel1 !~ "agentcasepanel"', cmp('originlevel1', 'ine', 'agentcasepanel')],
    ['originlevel1 == "AgentCasePanel"', cmp('originlevel1', 'eq', 'AgentCasePanel')],
    ['originlevel1 != "AgentCasePanel"', cmp('originlevel1', 'ne', 'AgentCasePanel')],
    ['groupname!=null', cmp('groupname', 'ne', null)],
    ['originlevel1 =@ "Agent"', cmp('originlevel1', 'contains', 'Agent')],
    ['originlevel1 !@ "Agent"', cmp('originlevel1', 'not_contains', 'Agent')],
    ['numberofresults < 100', cmp('numberofresults', 'lt', 100)],
    ['numberofresults <= 100', cmp('numberofresults', 'lte', 100)],
    ['numberofresults > 100', cmp('numberofresults', 'gt', 100)],
    ['numberofresults >= 100', cmp('numberofresults', 'gte', 100)],
    ['PerformSearch < 100', cmp('performsearch', 'lt', 100)],
    ['originlevel1 IN ["AgentCasePanel","InsightPanel"]', cmp('originlevel1', 'in', ['AgentCasePanel', 'InsightPanel'])],
    ['originlevel1 NOT_IN ["AgentCasePanel","InsightPanel"]', cmp('originlevel1', 'not_in', ['AgentCasePanel', 'InsightPanel'])],
    [
      '(groupname!=null) AND (originlevel1 IN ["AgentCasePanel","InsightPanel"])',
      {
        kind: 'and',
        items: [cmp('groupname', 'ne', null, 1), cmp('originlevel1', 'in', ['AgentCasePanel', 'InsightPanel'], 23)],
      },
    ],
    ["(username=='alice.smith@example.com')", cmp('username', 'eq', 'alice.smith@example.com', 1)],
  ];

  for (const [input, expected] of examples) {
    it(input, () => assert.deepEqual(parseReadFilter(input), expected));
  }
});

describe('precedence and parentheses', () => {
  const a = cmp('a', 'eq', 1, 0);

  it('binds AND tighter than OR', () => {
    assert.deepEqual(parseReadFilter('a==1 OR b==2 AND c==3'), {
      kind: 'or',
      items: [a, { kind: 'and', items: [cmp('b', 'eq', 2, 8), cmp('c', 'eq', 3, 17)] }],
    });
    assert.deepEqual(parseReadFilter('a==1 AND b==2 OR c==3'), {
      kind: 'or',
      items: [{ kind: 'and', items: [a, cmp('b', 'eq', 2, 9)] }, cmp('c', 'eq', 3, 17)],
    });
  });

  it('lets parentheses override precedence', () => {
    assert.deepEqual(parseReadFilter('(a==1 OR b==2) AND c==3'), {
      kind: 'and',
      items: [{ kind: 'or', items: [cmp('a', 'eq', 1, 1), cmp('b', 'eq', 2, 9)] }, cmp('c', 'eq', 3, 19)],
    });
  });

  it('flattens chains and nested groups of the same kind, and unwraps redundant parentheses', () => {
    assert.deepEqual(parseReadFilter('((a==1)) OR (b==2 OR (c==3))'), {
      kind: 'or',
      items: [cmp('a', 'eq', 1, 2), cmp('b', 'eq', 2, 13), cmp('c', 'eq', 3, 22)],
    });
  });

  it('needs no whitespace between tokens and accepts any ASCII whitespace', () => {
    assert.deepEqual(parseReadFilter('(a==1)AND(b=~"x")'), {
      kind: 'and',
      items: [cmp('a', 'eq', 1, 1), cmp('b', 'ieq', 'x', 10)],
    });
    assert.deepEqual(parseReadFilter(' \t\r\na\n==\t1 '), cmp('a', 'eq', 1, 4));
  });
});

describe('keywords and dimension names', () => {
  it('accepts AND, OR, IN, NOT_IN and null in any case', () => {
    const parsed = parseReadFilter('a in [1] and b Not_In [] oR c == NULL anD d != nUlL');
    assert.deepEqual(parsed, {
      kind: 'or',
      items: [
        { kind: 'and', items: [cmp('a', 'in', [1], 0), cmp('b', 'not_in', [], 13)] },
        { kind: 'and', items: [cmp('c', 'eq', null, 28), cmp('d', 'ne', null, 42)] },
      ],
    });
  });

  it('lower-cases dimension names', () => {
    assert.deepEqual(parseReadFilter('OriginLevel1 == "X"'), cmp('originlevel1', 'eq', 'X'));
    assert.deepEqual(parseReadFilter('_c_Context_Role9 == "X"'), cmp('_c_context_role9', 'eq', 'X'));
  });

  it('keeps a dimension that merely starts with a keyword', () => {
    assert.deepEqual(parseReadFilter('android == 1 OR order == 2'), {
      kind: 'or',
      items: [cmp('android', 'eq', 1), cmp('order', 'eq', 2, 16)],
    });
  });
});

describe('strings', () => {
  const cases: Array<[input: string, value: string]> = [
    ['a == "He said \\"hi\\""', 'He said "hi"'],
    ["a == 'it\\'s'", "it's"],
    ['a == \'say "hi"\'', 'say "hi"'],
    ['a == "it\'s"', "it's"],
    ['a == "it\\\'s"', "it's"],
    ['a == "back\\\\slash"', 'back\\slash'],
    ['a == "ends with \\\\"', 'ends with \\'],
    ['a == "C:\\temp"', 'C:\\temp'],
    ['a == ""', ''],
    ['a == "AND OR ( ) [ ] , == null"', 'AND OR ( ) [ ] , == null'],
    ['a == "  spaces\tkept  "', '  spaces\tkept  '],
    ['a == "日本 😀 é"', '日本 😀 é'],
  ];

  for (const [input, value] of cases) {
    it(`${input} → ${JSON.stringify(value)}`, () => assert.deepEqual(parseReadFilter(input), cmp('a', 'eq', value)));
  }
});

describe('numbers', () => {
  const cases: Array<[text: string, value: number]> = [
    ['0', 0],
    ['100', 100],
    ['-5', -5],
    ['+5', 5],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-0.25', -0.25],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['1e+2', 100],
    ['007', 7],
  ];

  for (const [text, value] of cases) {
    it(`${text} → ${value}`, () => assert.deepEqual(parseReadFilter(`n >= ${text}`), cmp('n', 'gte', value)));
  }

  it('allows numbers in equality and in lists, mixed with strings', () => {
    assert.deepEqual(parseReadFilter('n == 3'), cmp('n', 'eq', 3));
    assert.deepEqual(parseReadFilter('n IN [1, "two", -3.5]'), cmp('n', 'in', [1, 'two', -3.5]));
  });
});

describe('lists', () => {
  it('accepts an empty list', () => {
    assert.deepEqual(parseReadFilter('a IN []'), cmp('a', 'in', []));
    assert.deepEqual(parseReadFilter('a NOT_IN [ ]'), cmp('a', 'not_in', []));
  });

  it('accepts whitespace around items and commas', () => {
    assert.deepEqual(parseReadFilter("a IN [ 'x' ,\n\"y\" ]"), cmp('a', 'in', ['x', 'y']));
  });
});

describe('parseReadFilters', () => {
  it('returns null for no filters', () => {
    assert.equal(parseReadFilters([]), null);
  });

  it('returns a single filter unchanged', () => {
    assert.deepEqual(parseReadFilters(['a == 1']), cmp('a', 'eq', 1));
  });

  it('ANDs several filters, flattening their top-level ANDs but keeping ORs whole', () => {
    assert.deepEqual(parseReadFilters(['a == 1 AND b == 2', 'c == 3 OR d == 4']), {
      kind: 'and',
      items: [
        cmp('a', 'eq', 1),
        cmp('b', 'eq', 2, 11),
        { kind: 'or', items: [cmp('c', 'eq', 3), cmp('d', 'eq', 4, 10)] },
      ],
    });
  });

  it('says which filter is malformed', () => {
    assert.throws(
      () => parseReadFilters(['a == 1', 'b == 2', 'c ==']),
      (error) => error instanceof ReadFilterError && error.filterIndex === 2 && error.position === 4,
    );
  });
});
