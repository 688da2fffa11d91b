import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadFilter } from './ast.js';
import { matchesReadFilter, type ReadFilterRecord } from './evaluate.js';
import { parseReadFilter } from './parse.js';

type Values = Record<string, string | number | boolean | null | undefined>;

function recordOf(values: Values): ReadFilterRecord {
  return (dimension) => (Object.hasOwn(values, dimension) ? values[dimension] : undefined);
}

/** Each filter, with records it matches and records it does not. */
const cases: Array<[filter: string, matching: Values[], notMatching: Values[]]> = [
  [
    'originlevel1 =~ "agentcasepanel"',
    [{ originlevel1: 'AgentCasePanel' }, { originlevel1: 'agentcasepanel' }],
    [{ originlevel1: 'InsightPanel' }, { originlevel1: 'AgentCasePanelX' }, {}, { originlevel1: null }],
  ],
  [
    'originlevel1 !~ "agentcasepanel"',
    [{ originlevel1: 'InsightPanel' }, {}, { originlevel1: null }],
    [{ originlevel1: 'AGENTCASEPANEL' }],
  ],
  [
    'originlevel1 == "AgentCasePanel"',
    [{ originlevel1: 'AgentCasePanel' }],
    [{ originlevel1: 'agentcasepanel' }, { originlevel1: 'AgentCasePanel ' }, {}],
  ],
  [
    'originlevel1 != "AgentCasePanel"',
    [{ originlevel1: 'agentcasepanel' }, {}, { originlevel1: null }],
    [{ originlevel1: 'AgentCasePanel' }],
  ],
  ['groupname!=null', [{ groupname: 'g' }, { groupname: '' }, { groupname: 0 }, { groupname: false }], [{}, { groupname: null }]],
  ['groupname==null', [{}, { groupname: null }, { groupname: undefined }], [{ groupname: 'g' }, { groupname: '' }]],
  ['groupname=~NULL', [{}], [{ groupname: 'null' }]],
  ['groupname!~null', [{ groupname: 'null' }], [{}]],
  [
    'originlevel1 =@ "Agent"',
    [{ originlevel1: 'AgentCasePanel' }, { originlevel1: 'myagent' }, { originlevel1: 'AGENT' }],
    [{ originlevel1: 'InsightPanel' }, { originlevel1: 'Agen' }, {}],
  ],
  ['originlevel1 !@ "Agent"', [{ originlevel1: 'InsightPanel' }, {}], [{ originlevel1: 'theAgentPanel' }]],
  ['originlevel1 =@ ""', [{ originlevel1: '' }, { originlevel1: 'x' }], [{}]],
  [
    'numberofresults < 100',
    [{ numberofresults: 99 }, { numberofresults: '50' }, { numberofresults: -1e9 }, { numberofresults: ' 7 ' }],
    [
      { numberofresults: 100 },
      { numberofresults: 150 },
      { numberofresults: 'abc' },
      { numberofresults: '' },
      { numberofresults: '  ' },
      { numberofresults: Number.NaN },
      {},
    ],
  ],
  ['numberofresults <= 100', [{ numberofresults: 100 }, { numberofresults: '1e2' }], [{ numberofresults: 100.5 }]],
  ['numberofresults > 1.5', [{ numberofresults: 2 }, { numberofresults: Infinity }], [{ numberofresults: 1.5 }, {}]],
  ['numberofresults >= -0', [{ numberofresults: 0 }, { numberofresults: '0' }], [{ numberofresults: -0.001 }]],
  ['isfresh > 0', [{ isfresh: true }], [{ isfresh: false }]],
  [
    'originlevel1 IN ["AgentCasePanel","InsightPanel"]',
    [{ originlevel1: 'AgentCasePanel' }, { originlevel1: 'InsightPanel' }],
    [{ originlevel1: 'agentcasepanel' }, { originlevel1: 'Agent' }, {}, { originlevel1: null }],
  ],
  [
    'originlevel1 NOT_IN ["AgentCasePanel","InsightPanel"]',
    [{ originlevel1: 'agentcasepanel' }, {}, { originlevel1: null }],
    [{ originlevel1: 'InsightPanel' }],
  ],
  ['originlevel1 IN []', [], [{ originlevel1: 'x' }, {}]],
  ['originlevel1 NOT_IN []', [{ originlevel1: 'x' }, {}], []],
  ['position IN [1, "2"]', [{ position: 1 }, { position: '1' }, { position: 2 }, { position: '2' }], [{ position: '1.0' }]],
  ['anonymous == "true"', [{ anonymous: true }], [{ anonymous: false }, { anonymous: 'True' }]],
  ['anonymous =~ "TRUE"', [{ anonymous: true }], [{ anonymous: false }]],
  ['numberofresults == 3', [{ numberofresults: 3 }, { numberofresults: '3' }], [{ numberofresults: '3.0' }]],
  [
    '(groupname!=null) AND (originlevel1 IN ["AgentCasePanel","InsightPanel"])',
    [{ groupname: 'g', originlevel1: 'InsightPanel' }],
    [{ originlevel1: 'InsightPanel' }, { groupname: 'g', originlevel1: 'Other' }],
  ],
  [
    'a==1 OR b==2 AND c==3',
    [{ a: 1 }, { b: 2, c: 3 }, { a: 1, b: 0 }],
    [{ b: 2 }, { c: 3 }, { a: 2, b: 2, c: 4 }],
  ],
  ['(a==1 OR b==2) AND c==3', [{ a: 1, c: 3 }, { b: 2, c: 3 }], [{ a: 1 }, { b: 2, c: 4 }]],
];

describe('matchesReadFilter', () => {
  for (const [input, matching, notMatching] of cases) {
    it(input, () => {
      const filter = parseReadFilter(input);
      for (const values of matching) assert.equal(matchesReadFilter(filter, recordOf(values)), true, JSON.stringify(values));
      for (const values of notMatching) assert.equal(matchesReadFilter(filter, recordOf(values)), false, JSON.stringify(values));
    });
  }

  it('asks the record for lower-cased dimension names', () => {
    const asked: string[] = [];
    matchesReadFilter(parseReadFilter('OriginLevel1 == "x" OR C_Role != null'), (dimension) => {
      asked.push(dimension);
      return undefined;
    });
    assert.deepEqual(asked, ['originlevel1', 'c_role']);
  });

  it('compares case-insensitively across Unicode case and normalisation forms', () => {
    const decomposedE = 'E\u0301COLE';
    assert.equal(matchesReadFilter(parseReadFilter('a =~ "école"'), recordOf({ a: decomposedE })), true);
    assert.equal(matchesReadFilter(parseReadFilter('a =@ "ÉCO"'), recordOf({ a: 'une école' })), true);
    assert.equal(matchesReadFilter(parseReadFilter('a =~ "ΣΟΦΊΑ"'), recordOf({ a: 'σοφία' })), true);
    assert.equal(matchesReadFilter(parseReadFilter('a == "école"'), recordOf({ a: 'École' })), false);
  });

  it('stays total on hand-built filters whose value does not suit the operator', () => {
    const record = recordOf({ a: 'x', n: 5 });
    const oddities: ReadFilter[] = [
      { kind: 'cmp', dimension: 'a', op: 'eq', value: ['x'], position: 0 },
      { kind: 'cmp', dimension: 'a', op: 'in', value: 'x', position: 0 },
      { kind: 'cmp', dimension: 'n', op: 'lt', value: '9', position: 0 },
      { kind: 'cmp', dimension: 'a', op: 'contains', value: null, position: 0 },
    ];
    for (const filter of oddities) assert.equal(matchesReadFilter(filter, record), false, JSON.stringify(filter));
  });
});

describe('cost of a comparison', () => {
  it('is bounded by the value times the filter, for the longest term the parser takes', { timeout: 20_000 }, () => {
    // =@ is a substring search and IN a list scan: neither backtracks, so the worst case is value × filter length.
    const term = `${'a'.repeat(1800)}b`;
    const filter = parseReadFilter(`c =@ "${term}" or c =~ "${term}" or c in [${Array(100).fill('"a"').join(',')}]`);
    const value = 'a'.repeat(1_000_000);
    assert.equal(matchesReadFilter(filter, recordOf({ c: value })), false);
    assert.equal(matchesReadFilter(filter, recordOf({ c: `${value}${term}` })), true);
  });
});
