import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityDef } from '../workspaces/workspace-schema.js';
import { compileEntityMatcher } from './entity-matcher.js';
import { MAX_SCANNED_LENGTH } from './pattern-entities.js';

const entities: EntityDef[] = [
  {
    entity: 'account_type',
    values: [
      { value: 'checking', synonyms: ['current account', 'chequing'] },
      { value: 'savings', synonyms: ['savings account', 'deposit account'] },
    ],
  },
  { entity: 'city', values: [{ value: 'New York', synonyms: ['NYC', 'new york city'] }, { value: 'York' }, { value: 'São Paulo' }] },
  { entity: 'fruit', values: [{ value: 'apple' }] },
  { entity: 'company', values: [{ value: 'Apple' }] },
  {
    entity: 'contact',
    values: [
      { value: 'email', type: 'patterns', patterns: ['\\b[\\w.]+@(\\w+)\\.com\\b'] },
      { value: 'phone', type: 'patterns', patterns: ['\\d{3}-\\d{4}', '([a-z'] },
    ],
  },
];
const matcher = compileEntityMatcher(entities);
const brief = (text: string) => matcher.match(text).map((e) => `${e.entity}:${e.value}@${e.location.join('-')}`);

describe('entity matcher', () => {
  it('matches values and synonyms case-insensitively with Watson-shaped results', () => {
    assert.deepEqual(matcher.match('Move it to my CHEQUING'), [
      { entity: 'account_type', location: [14, 22], value: 'checking', confidence: 1 },
    ]);
  });

  it('only matches on word boundaries', () => {
    assert.deepEqual(brief('pineapple savingsaccount yorkshire'), []);
    assert.deepEqual(brief('apple,york'), ['fruit:apple@0-5', 'company:Apple@0-5', 'city:York@6-10']);
  });

  it('is Unicode-aware', () => {
    assert.deepEqual(brief('voo para são paulo amanhã'), ['city:São Paulo@9-18']);
    assert.deepEqual(brief('SãoPaulo'), []);
  });

  it('prefers the longest mention, then the earliest', () => {
    assert.deepEqual(brief('I live in new york city'), ['city:New York@10-23']);
    assert.deepEqual(brief('open a savings account'), ['account_type:savings@7-22']);
    // "current account" and "deposit account" cannot both be cut from "current account"; no overlap here.
    assert.deepEqual(brief('current account'), ['account_type:checking@0-15']);
  });

  it('treats any run of whitespace as one space', () => {
    assert.deepEqual(brief('new\t  york'), ['city:New York@0-10']);
  });

  it('reports every entity matching exactly the same span', () => {
    assert.deepEqual(brief('apple'), ['fruit:apple@0-5', 'company:Apple@0-5']);
  });

  it('matches patterns with capture groups', () => {
    const [email] = matcher.match('mail jo.doe@example.com today');
    assert.deepEqual(email, {
      entity: 'contact',
      location: [5, 23],
      value: 'email',
      confidence: 1,
      groups: [
        { group: 'group_0', location: [5, 23] },
        { group: 'group_1', location: [12, 19] },
      ],
    });
    assert.deepEqual(brief('call 555-1234'), ['contact:phone@5-13', 'sys-number:555@5-8', 'sys-number:1234@9-13']);
  });

  it('skips an invalid pattern with a warning and keeps the valid ones', () => {
    assert.equal(matcher.warnings.length, 1);
    assert.match(matcher.warnings[0]!, /\(\[a-z.*@contact:phone/);
  });

  it('scans at most the first 2048 characters for patterns', () => {
    const padding = 'x '.repeat(MAX_SCANNED_LENGTH);
    assert.deepEqual(brief(`555-1234 ${padding}`).filter((e) => e.startsWith('contact')), ['contact:phone@0-8']);
    assert.deepEqual(brief(`${padding} 555-1234`).filter((e) => e.startsWith('contact')), []);
  });

  it('sorts mentions by location', () => {
    assert.deepEqual(brief('NYC savings'), ['city:New York@0-3', 'account_type:savings@4-11']);
  });
});

describe('patterns written to backtrack', () => {
  // Each of these keeps a backtracking engine busy for longer than the age of the universe on this message.
  const message = `${'a'.repeat(MAX_SCANNED_LENGTH - 1)}!`;
  const hostile: [string, string[]][] = [
    ['(a+)+$', []], ['(a|aa)*b', []], ['(a|a)*$', []], ['a*a*a*a*a*a*a*a*b', []],
    ['(\\w+\\s?)*!', [`0-${MAX_SCANNED_LENGTH}`]], ['(.*a){20}', [`0-${MAX_SCANNED_LENGTH - 1}`]],
  ];

  it('answer at once: patterns run in time linear in the message', { timeout: 20_000 }, () => {
    for (const [pattern, expected] of hostile) {
      const m = compileEntityMatcher([{ entity: 'evil', values: [{ value: 'v', type: 'patterns', patterns: [pattern] }] }]);
      assert.deepEqual(m.warnings, [], pattern);
      assert.deepEqual(m.match(message).filter((e) => e.entity === 'evil').map((e) => e.location.join('-')), expected, pattern);
    }
  });

  it('skip what needs backtracking (backreferences, lookaround) with a warning', () => {
    const m = compileEntityMatcher([{ entity: 'e', values: [{ value: 'v', type: 'patterns', patterns: ['(a)\\1', '(?=a)a', '\\d+'] }] }]);
    assert.equal(m.warnings.length, 2);
    assert.deepEqual(m.match('aa 42').filter((e) => e.entity === 'e').map((e) => e.location), [[3, 5]]);
  });
});

describe('@sys-number', () => {
  const numbers = (text: string) => compileEntityMatcher([]).match(text).map((e) => [e.value, e.metadata?.numeric_value, e.location]);

  it('finds integers, decimals, negatives and grouped thousands', () => {
    assert.deepEqual(numbers('send 50 then -3.5 and 1,000'), [
      ['50', 50, [5, 7]],
      ['-3.5', -3.5, [13, 17]],
      ['1000', 1000, [22, 27]],
    ]);
  });

  it('ignores digits inside words and version-like strings', () => {
    assert.deepEqual(numbers('mp3 b2b 1.2.3'), []);
  });

  it('reads a range as two numbers', () => {
    assert.deepEqual(numbers('3-5').map((n) => n[0]), ['3', '5']);
  });
});
