import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pushTrigrams, stem, words } from './tokenize.js';

describe('words', () => {
  it('lower-cases and splits on anything that is not a letter, digit or mark', () => {
    assert.deepEqual(words('Send $50 to JOHN, now!'), ['send', '50', 'to', 'john', 'now']);
  });

  it('keeps contractions whole', () => {
    assert.deepEqual(words("What's left? I don’t know"), ['whats', 'left', 'i', 'dont', 'know']);
  });

  it('handles non-Latin scripts', () => {
    assert.deepEqual(words('Привет, мир! नमस्ते दुनिया'), ['привет', 'мир', 'नमस्ते', 'दुनिया']);
  });
});

describe('stem', () => {
  const cases: [string, string][] = [
    ['accounts', 'account'],
    ['policies', 'policy'],
    ['boxes', 'box'],
    ['classes', 'class'],
    ['status', 'status'],
    ['transferring', 'transfer'],
    ['transferred', 'transfer'],
    ['transfers', 'transfer'],
    ['opened', 'open'],
    ['closing', 'clos'],
    ['close', 'clos'],
    ['quickly', 'quick'],
    ['calling', 'call'],
    ['bus', 'bus'],
  ];
  for (const [word, expected] of cases) {
    it(`${word} → ${expected}`, () => assert.equal(stem(word), expected));
  }

  it('leaves short and non-ASCII words alone', () => {
    assert.equal(stem('is'), 'is');
    assert.equal(stem('niños'), 'niños');
    assert.equal(stem('häuser'), 'häuser');
  });
});

describe('pushTrigrams', () => {
  it('pads the word so its start and end form trigrams', () => {
    const out: string[] = [];
    pushTrigrams('cat', out);
    assert.deepEqual(out, [' ca', 'cat', 'at ']);
  });
});
