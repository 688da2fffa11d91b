import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanWorkspace } from './training-data-scan.js';

const workspace = {
  name: 'Clinic',
  intents: [
    { intent: 'greet', examples: [{ text: 'hello' }, { text: 'hi' }] },
    { intent: 'billing', examples: [{ text: 'charge 4111 1111 1111 1111 please' }, { text: 'my ssn is 123-45-6789 and mail ada@example.com' }] },
  ],
  counterexamples: [{ text: 'call me at +44 20 7946 0958' }],
  entities: [{ entity: 'account', values: [{ value: 'DE89370400440532013000', synonyms: ['main', 'ada@example.com'] }] }],
  dialog_nodes: [{ dialog_node: 'node_1', output: { generic: [{ response_type: 'text', values: [{ text: 'Server at 10.0.0.1' }] }] } }],
};

test('every place in the training data is scanned and reported with a masked excerpt', () => {
  const report = scanWorkspace(workspace);
  assert.deepEqual(report.findings, [
    { location: { section: 'intents', intent: 'billing', example: 0 }, kind: 'card', excerpt: 'charge [CARD] please' },
    { location: { section: 'intents', intent: 'billing', example: 1 }, kind: 'ssn', excerpt: 'my ssn is [SSN] and mail [EMAIL]' },
    { location: { section: 'intents', intent: 'billing', example: 1 }, kind: 'email', excerpt: 'my ssn is [SSN] and mail [EMAIL]' },
    { location: { section: 'counterexamples', example: 0 }, kind: 'phone', excerpt: 'call me at [PHONE]' },
    { location: { section: 'entities', entity: 'account', value: 0 }, kind: 'iban', excerpt: '[IBAN]' },
    { location: { section: 'entities', entity: 'account', value: 0, synonym: 1 }, kind: 'email', excerpt: '[EMAIL]' },
    { location: { section: 'dialog_nodes', dialog_node: 'node_1', field: 'output.generic[0].values[0].text' }, kind: 'ip', excerpt: 'Server at [IP]' },
  ]);
  assert.deepEqual(report.counts, { email: 2, phone: 1, card: 1, iban: 1, ssn: 1, ip: 1 });
  assert.equal(report.total, 7);
  assert.equal(report.truncated, false);
  assert.ok(!JSON.stringify(report).includes('4111'), 'a report never holds a detected value');
});

test('excerpts are cut around their own token', () => {
  const long = `${'word '.repeat(30)}ada@example.com${' more'.repeat(30)} 123-45-6789`;
  const [email, ssn] = scanWorkspace({ intents: [{ intent: 'x', examples: [{ text: long }] }] }).findings;
  assert.match(email!.excerpt, /^….{40}\[EMAIL\].{40}…$/);
  assert.match(ssn!.excerpt, /^….{40}\[SSN\]$/);
});

test('a clean or malformed workspace reports nothing', () => {
  assert.equal(scanWorkspace({ intents: [{ intent: 'greet', examples: [{ text: 'hello' }] }] }).total, 0);
  assert.equal(scanWorkspace({ intents: 'nope', entities: [null], dialog_nodes: [{}] }).total, 0);
});

test('findings are capped; counts are not', () => {
  const examples = Array.from({ length: 1200 }, () => ({ text: 'ada@example.com' }));
  const report = scanWorkspace({ intents: [{ intent: 'x', examples }] });
  assert.equal(report.findings.length, 1000);
  assert.equal(report.counts.email, 1200);
  assert.equal(report.truncated, true);
});
