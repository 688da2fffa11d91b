import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest } from '../../model/errors.js';
import { parseLearningOptOut, parseWatsonMetadata } from './watson-metadata.js';

test('X-Watson-Metadata yields every customer ID, once each, in order', () => {
  assert.deepEqual(parseWatsonMetadata(undefined), []);
  assert.deepEqual(parseWatsonMetadata('customer_id=abc'), ['abc']);
  assert.deepEqual(parseWatsonMetadata('customer_id=a; customer_id=b;customer_id=a;'), ['a', 'b']);
  assert.deepEqual(parseWatsonMetadata('customer_id=slack_T09LVDR7YW4F8K9JNF'), ['slack_T09LVDR7YW4F8K9JNF']);
});

test('X-Watson-Metadata that cannot be read exactly is a 400', () => {
  const bad = ['', ';', 'customer_id', 'customer_id=', 'customer_id=a=b', 'customerid=a', 'customer_id=a;x=b',
    `customer_id=${'x'.repeat(257)}`, 'customer_id=tab\there', Array.from({ length: 21 }, (_, i) => `customer_id=${i}`).join(';')];
  for (const header of bad) assert.throws(() => parseWatsonMetadata(header), BadRequest, JSON.stringify(header));
  assert.throws(() => parseWatsonMetadata(['customer_id=a', 'customer_id=b']), BadRequest);
});

test('X-Watson-Learning-Opt-Out accepts true/false and 1/0 only', () => {
  assert.equal(parseLearningOptOut(undefined), false);
  assert.equal(parseLearningOptOut('true'), true);
  assert.equal(parseLearningOptOut('TRUE'), true);
  assert.equal(parseLearningOptOut('1'), true);
  assert.equal(parseLearningOptOut('false'), false);
  assert.throws(() => parseLearningOptOut('yes'), BadRequest);
});

test('X-Watson-Metadata is UTF-8 (as Node hands it over: one Latin-1 character per byte), percent-decoded, then NFC', () => {
  const asNodeReadsIt = (utf8: string) => Buffer.from(utf8, 'utf8').toString('latin1');
  assert.deepEqual(parseWatsonMetadata(asNodeReadsIt('customer_id=josé-1')), ['josé-1']);
  assert.deepEqual(parseWatsonMetadata('customer_id=jos%C3%A9-1'), ['josé-1'], 'percent-encoded, as the SDK must send it');
  assert.deepEqual(parseWatsonMetadata('customer_id=jose%CC%81-1'), ['josé-1'], 'decomposed é is the same ID');
  assert.deepEqual(parseWatsonMetadata(asNodeReadsIt('customer_id=voilà; customer_id=山田;customer_id=😀')), ['voilà', '山田', '😀'],
    'separator whitespace is only space and tab: the 0xA0 byte ending à survives');
  assert.deepEqual(parseWatsonMetadata('customer_id=a%3Bb%3Dc;customer_id=100%25'), ['a;b=c', '100%'], 'escaped ; = and % are part of the ID');
});

test('X-Watson-Metadata bytes that are not UTF-8, bad escapes and padded IDs are a 400, never a guess', () => {
  for (const header of ['customer_id=jos\u00e9', 'customer_id=jos%E9', 'customer_id=100%', 'customer_id=%ZZ', 'customer_id=%20padded',
    'customer_id=a%00b', 'customer_id=%ED%A0%80', 'customer_id=\u00ef\u00bb\u00bfbom']) {
    assert.throws(() => parseWatsonMetadata(header), BadRequest, JSON.stringify(header));
  }
});
