import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkspaceContent } from '../workspaces/workspace-schema.js';
import banking from './fixtures/banking.json' with { type: 'json' };
import { fitVectorizer, type SparseVector } from './vectorizer.js';

const documents = (banking as WorkspaceContent).intents.flatMap((i) => (i.examples ?? []).map((e) => e.text));
const { vectorizer, vectors } = fitVectorizer(documents, true);
const copy = (v: SparseVector) => ({ ids: [...v.ids], weights: [...v.weights] });
const norm = (v: SparseVector) => Math.sqrt(v.weights.reduce((s, w) => s + w * w, 0));

describe('vectorizer', () => {
  it('gives a training text, as a query, exactly the vector it was fitted with', () => {
    documents.forEach((text, i) => assert.deepEqual(copy(vectorizer.vectorize(text)), copy(vectors[i]!), text));
  });

  it('counts words unseen in training in the norm only', () => {
    const known = copy(vectorizer.vectorize('balance'));
    const mixed = copy(vectorizer.vectorize('balance zzqxv'));
    assert.ok(Math.abs(norm(known) - 1) < 1e-12);
    assert.ok(norm(mixed) < 0.9, `norm ${norm(mixed)}`);
    // The known part keeps its direction: same unigram and trigram features, scaled down together.
    const shared = known.ids.filter((id) => mixed.ids.includes(id));
    assert.deepEqual(shared, known.ids);
    const ratios = known.ids.map((id, i) => mixed.weights[mixed.ids.indexOf(id)]! / known.weights[i]!);
    for (const r of ratios) assert.ok(Math.abs(r - ratios[0]!) < 1e-12);
  });

  it('matches an unseen inflection through its stem', () => {
    const root = vectorizer.vectorize('balance').ids[0]!;
    assert.ok(vectorizer.vectorize('balances').ids.includes(root));
  });

  it('gives repeated calls the same answer (its buffers are reset between calls)', () => {
    const first = copy(vectorizer.vectorize('transfer transfer money to savings'));
    vectorizer.vectorize('hello');
    assert.deepEqual(copy(vectorizer.vectorize('transfer transfer money to savings')), first);
  });
});
