import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkspaceContent } from '../workspaces/workspace-schema.js';
import banking from './fixtures/banking.json' with { type: 'json' };
import { trainIntentClassifier, type IntentClassifier } from './intent-classifier.js';

const workspace = banking as WorkspaceContent;
const classifier = trainIntentClassifier(workspace.intents, workspace.counterexamples, true);
const top = (c: IntentClassifier, text: string) => c.classify(text)[0]!;
const maxConfidence = (c: IntentClassifier, text: string) => Math.max(...c.classify(text).map((s) => s.confidence));

describe('intent classifier', () => {
  const paraphrases: Record<string, string[]> = {
    check_balance: ['how much is in my account', 'tell me my balance', "what's my savings balance", 'balance of my checking account'],
    transfer_money: ['I need to send money to my brother', 'transfer 100 dollars to checking', 'can you move money to savings', 'wire funds to another account'],
    open_account: ["I'd like to open a savings account", 'how can I open an account', 'sign me up for a new checking account', 'create a new account'],
    greeting: ['hello there', 'hey, good morning', 'hi'],
    goodbye: ['bye for now', 'thanks, see you', 'ok goodbye then'],
  };
  for (const [intent, texts] of Object.entries(paraphrases)) {
    for (const text of texts) {
      it(`classifies the paraphrase "${text}" as #${intent}`, () => {
        const best = top(classifier, text);
        assert.equal(best.intent, intent);
        assert.ok(best.confidence > 0.5, `confidence ${best.confidence}`);
      });
    }
  }

  it('tolerates typos through character trigrams', () => {
    assert.equal(top(classifier, 'transfering mony to my savngs').intent, 'transfer_money');
    assert.equal(top(classifier, 'whats my ballance').intent, 'check_balance');
  });

  it('is confident (> 0.8) on every training example', () => {
    for (const intent of workspace.intents) {
      for (const { text } of intent.examples ?? []) {
        const best = top(classifier, text);
        assert.equal(best.intent, intent.intent, text);
        assert.ok(best.confidence > 0.8, `${text}: ${best.confidence}`);
      }
    }
  });

  it('is not confident (< 0.2) about gibberish or unrelated text', () => {
    for (const text of ['asdkj qwpoe zzxv', 'purple elephants dancing', '¿¡', '']) {
      assert.ok(maxConfidence(classifier, text) < 0.2, text);
    }
  });

  it('returns every intent once, confidences in [0, 1], most confident first', () => {
    const ranked = classifier.classify('send money');
    assert.deepEqual(ranked.map((s) => s.intent).sort(), workspace.intents.map((i) => i.intent).sort());
    for (let i = 0; i < ranked.length; i++) {
      assert.ok(ranked[i]!.confidence >= 0 && ranked[i]!.confidence <= 1);
      if (i > 0) assert.ok(ranked[i - 1]!.confidence >= ranked[i]!.confidence);
    }
  });

  it('leaves no intent above 0.2 for a counterexample, even one resembling an intent', () => {
    const text = 'how much money does a bank robber make';
    const without = trainIntentClassifier(workspace.intents, workspace.counterexamples, true);
    assert.ok(maxConfidence(without, text) > 0.2, 'precondition: the text looks like #check_balance');
    const withIt = trainIntentClassifier(workspace.intents, [...workspace.counterexamples, { text }], true);
    assert.ok(maxConfidence(withIt, text) < 0.2);
    for (const { text: counter } of workspace.counterexamples) assert.ok(maxConfidence(withIt, counter) < 0.2, counter);
    // The intent itself still works.
    assert.equal(top(withIt, 'How much money do I have?').intent, 'check_balance');
    assert.ok(top(withIt, 'How much money do I have?').confidence > 0.8);
  });

  it('is deterministic', () => {
    const again = trainIntentClassifier(workspace.intents, workspace.counterexamples, true);
    for (const text of ['send money', 'hello', 'open account please']) assert.deepEqual(again.classify(text), classifier.classify(text));
  });

  it('falls back to a fixed, monotone calibration for a tiny workspace', () => {
    const tiny = trainIntentClassifier([{ intent: 'hello', examples: [{ text: 'hello' }, { text: 'hi there' }] }], [], true);
    const exact = top(tiny, 'hello').confidence;
    const partial = top(tiny, 'hello my friend').confidence;
    const noise = top(tiny, 'zzqx').confidence;
    assert.ok(exact > 0.8, `exact ${exact}`);
    assert.ok(noise < 0.2, `noise ${noise}`);
    assert.ok(exact > partial && partial > noise, `${exact} > ${partial} > ${noise}`);
  });

  it('copes with intents without examples and with no intents at all', () => {
    const sparse = trainIntentClassifier([{ intent: 'empty' }, { intent: 'hello', examples: [{ text: 'hello' }] }], [], true);
    assert.equal(top(sparse, 'hello').intent, 'hello');
    assert.ok(sparse.classify('hello').find((s) => s.intent === 'empty')!.confidence < 0.2);
    assert.deepEqual(trainIntentClassifier([], [], true).classify('hello'), []);
  });

  it('does not stem when told the language is not English', () => {
    const intents = [
      { intent: 'a', examples: [{ text: 'accounts' }, { text: 'accounts list' }] },
      { intent: 'b', examples: [{ text: 'zebra' }, { text: 'zebra list' }] },
    ];
    const english = trainIntentClassifier(intents, [], true);
    const other = trainIntentClassifier(intents, [], false);
    const score = (c: IntentClassifier) => c.classify('account').find((s) => s.intent === 'a')!.confidence;
    assert.ok(score(english) > score(other));
  });
});
