import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addMessage, conversationOutcome, type ConversationSummary } from '../../model/conversation-outcome.js';
import { coverageBucket, FALLBACK_BUCKET, firstCoveredBucket } from '../../model/coverage.js';
import { DEFAULT_METRIC_RULES, ESCALATED, FALLBACK, messageFlags, type MetricRules } from '../../model/metric-rules.js';
import { effectivenessOf } from './metrics.js';

const rules: MetricRules = {
  escalationIntents: ['connect_to_agent'], escalationNodes: ['Transfer to human'], fallbackIntents: ['irrelevant'], fallbackNodes: ['anything_else'],
};

/** A v1 response as the dialog engine writes it. */
function turn(topIntent: string | null, extra: { nodes?: unknown[]; generic?: unknown[] } = {}) {
  return { topIntent, response: { output: { text: ['…'], generic: extra.generic ?? [{ response_type: 'text', text: '…' }], nodes_visited: extra.nodes ?? [] } } };
}

/** Folds hand-built turns into a conversation, as the aggregates do. */
function conversation(...turns: ReturnType<typeof turn>[]): ConversationSummary {
  return turns.reduce<ConversationSummary | undefined>((c, t) => addMessage(c, messageFlags(t, rules)), undefined)!;
}

describe('message flags', () => {
  test('an understood message is neither escalated nor a fallback', () => {
    assert.equal(messageFlags(turn('billing'), rules), 0);
  });
  test('no top intent, a fallback intent or a fallback node visit is a fallback', () => {
    assert.equal(messageFlags(turn(null), rules), FALLBACK);
    assert.equal(messageFlags(turn('irrelevant'), rules), FALLBACK);
    assert.equal(messageFlags(turn('billing', { nodes: ['anything_else'] }), rules), FALLBACK);
    assert.equal(messageFlags(turn('billing', { nodes: [{ dialog_node: 'node_9', title: 'anything_else' }] }), rules), FALLBACK, 'v2 debug details name nodes by title');
  });
  test('a connect_to_agent response, an escalation intent or node is an escalation', () => {
    assert.equal(messageFlags(turn('billing', { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'help' }] }), DEFAULT_METRIC_RULES), ESCALATED);
    assert.equal(messageFlags(turn('connect_to_agent'), rules), ESCALATED);
    assert.equal(messageFlags(turn('billing', { nodes: ['Transfer to human'] }), rules), ESCALATED);
  });
  test('the default rules know only the connect_to_agent response type and a missing intent', () => {
    assert.equal(messageFlags(turn('connect_to_agent'), DEFAULT_METRIC_RULES), 0);
    assert.equal(messageFlags(turn(null), DEFAULT_METRIC_RULES), FALLBACK);
  });
});

describe('conversation outcomes on hand-built conversations', () => {
  test('understood to the end: contained', () => {
    assert.equal(conversationOutcome(conversation(turn('greeting'), turn('billing'), turn('goodbye'))), 'contained');
  });
  test('a fallback the user recovered from is still contained', () => {
    assert.equal(conversationOutcome(conversation(turn('greeting'), turn(null), turn('billing'))), 'contained');
  });
  test('ending on a fallback: abandoned', () => {
    assert.equal(conversationOutcome(conversation(turn('greeting'), turn('billing'), turn('irrelevant'))), 'abandoned');
    assert.equal(conversationOutcome(conversation(turn(null))), 'abandoned');
  });
  test('any escalation wins, even when the conversation went on or ended on a fallback', () => {
    assert.equal(conversationOutcome(conversation(turn('greeting'), turn('connect_to_agent'), turn('goodbye'))), 'escalated');
    assert.equal(conversationOutcome(conversation(turn('connect_to_agent'), turn(null))), 'escalated');
  });
  test('the summary counts messages and escalations', () => {
    assert.deepEqual(conversation(turn('connect_to_agent'), turn('billing'), turn('connect_to_agent')), { messages: 3, escalatedMessages: 2, lastFlags: ESCALATED });
  });
});

describe('coverage buckets', () => {
  test('confidence lands in its 0.01 bucket; fallbacks and missing confidences in the fallback bucket', () => {
    assert.equal(coverageBucket(0, 0.2), 20);
    assert.equal(coverageBucket(0, 0.29), 29);
    assert.equal(coverageBucket(0, 0.199), 19);
    assert.equal(coverageBucket(0, 1), 100);
    assert.equal(coverageBucket(FALLBACK, 0.99), FALLBACK_BUCKET);
    assert.equal(coverageBucket(0, null), FALLBACK_BUCKET);
  });
  test('a threshold covers its own bucket and above', () => {
    assert.equal(firstCoveredBucket(0.2), 20);
    assert.ok(coverageBucket(0, 0.2) >= firstCoveredBucket(0.2));
    assert.ok(coverageBucket(0, 0.1999) < firstCoveredBucket(0.2));
    assert.equal(firstCoveredBucket(0), 0, 'threshold 0 covers every understood message but never a fallback');
    assert.ok(FALLBACK_BUCKET < firstCoveredBucket(0));
  });
});

describe('effectiveness', () => {
  test('accuracy, per-intent precision, missed intents and root causes', () => {
    const report = effectivenessOf([
      { topIntent: 'billing', verdict: 'correct', rootCause: null, correctedIntent: null, count: 3 },
      { topIntent: 'billing', verdict: 'incorrect', rootCause: 'wrong_intent', correctedIntent: 'refund', count: 1 },
      { topIntent: null, verdict: 'incorrect', rootCause: 'missing_intent', correctedIntent: 'refund', count: 2 },
      { topIntent: 'weather', verdict: 'incorrect', rootCause: 'out_of_scope', correctedIntent: null, count: 1 },
    ]);
    assert.equal(report.annotated, 7);
    assert.equal(report.correct, 3);
    assert.equal(report.accuracy, 3 / 7);
    assert.deepEqual(report.intents[0], { intent: 'billing', annotated: 4, correct: 3, precision: 0.75 });
    assert.deepEqual(report.missed_intents, [{ intent: 'refund', messages: 3 }]);
    assert.equal(report.root_causes.wrong_intent, 1);
    assert.equal(report.root_causes.missing_intent, 2);
    assert.equal(report.root_causes.dialog_error, 0);
  });
  test('nothing annotated: no accuracy rather than a made-up one', () => {
    assert.equal(effectivenessOf([]).accuracy, null);
  });
});
