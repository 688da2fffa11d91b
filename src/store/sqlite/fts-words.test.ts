import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropsWords, hasIndexedWord, indexedWords } from './fts-words.js';

test('stopwords are blanked, every other word and all punctuation stay in place', () => {
  assert.equal(indexedWords('I want to place an Order, please!'), ' want  place  Order, please!');
  assert.equal(indexedWords('THE Theory of IT'), ' Theory  ');
  assert.equal(indexedWords('ordering 4111 café'), 'ordering 4111 café');
  assert.equal(indexedWords(''), '');
});

test('a text made only of stopwords cannot be searched through the index', () => {
  assert.equal(hasIndexedWord('to be or not to be'), false);
  assert.equal(hasIndexedWord('to be a refund'), true);
  assert.equal(hasIndexedWord('?!'), false);
});

test('a phrase that loses words needs an exact check after the index', () => {
  assert.equal(dropsWords('place an order'), true);
  assert.equal(dropsWords('place order'), false);
});
