import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../model/ids.js';
import type { LogRecord } from '../model/logs.js';
import type { MetricsScope } from '../model/metrics.js';
import type { Store } from './store.js';

const DAY = 86_400_000;
const D = 20_500; // a UTC day number (2026-02-15)

interface Turn { conversation: string; user: string; customer: string; day: number; intent: string | null; confidence?: number; escalate?: boolean; deployment?: string }

/** A stored message as the v1 message path writes it, cut down to what the metrics read. */
function message(instanceId: string, t: Turn, i: number): LogRecord {
  const generic = [t.escalate ? { response_type: 'connect_to_agent', message_to_human_agent: 'transfer' } : { response_type: 'text', text: 'ok' }];
  return {
    logId: newId(), instanceId, api: 'v1', assistantId: 'a1', environmentId: null, workspaceId: 'ws', sessionId: null,
    conversationId: t.conversation, userId: t.user, customerIds: [t.customer], deployment: t.deployment ?? 'web', language: 'en', snapshot: null,
    topIntent: t.intent, topConfidence: t.intent === null ? null : (t.confidence ?? 0.9), entitiesCount: 0, inputText: `message ${i}`,
    learningOptOut: false, requestTs: t.day * DAY + 3_600_000 + i * 1000, responseTs: t.day * DAY + 3_600_000 + i * 1000 + 5,
    request: { input: { text: `message ${i}` } },
    response: { intents: t.intent === null ? [] : [{ intent: t.intent, confidence: t.confidence ?? 0.9 }], output: { text: ['ok'], generic } },
  };
}

async function ingest(store: Store, instanceId: string, turns: Turn[]): Promise<LogRecord[]> {
  const logs = turns.map((t, i) => message(instanceId, t, i));
  await store.ingest(logs.map((log) => ({ log })));
  return logs;
}

/** Deletes everything of a customer through the same path as a deletion job. */
async function deleteCustomer(store: Store, instanceId: string, customer: string): Promise<number> {
  const job = {
    jobId: newId(), instanceId, subjectKind: 'customer_id' as const, subjectValue: customer, subjectHash: `h-${customer}`, cutoffTs: Date.now(),
    status: 'queued' as const, attempts: 0, createdAt: 0, startedAt: null, finishedAt: null, verifiedAt: null, verification: null,
    deletedLogs: 0, deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
  };
  await store.jobs.insert(job);
  const claimed = await store.jobs.claim('metrics-test', Date.now(), 60_000);
  assert.equal(claimed?.jobId, job.jobId);
  const r = await store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'metrics-test' }, instanceId, { kind: 'customer_id', value: customer }, job.cutoffTs, 1000);
  await store.jobs.finish(job.jobId, 'metrics-test', { status: 'completed', at: Date.now(), error: null });
  return r.logs;
}

const scope = (instanceId: string, fromDay = D - 5, toDay = D + 5, extra: Partial<MetricsScope> = {}): MetricsScope => ({ instanceId, fromDay, toDay, ...extra });
const at = (threshold: number) => ({ firstCoveredBucket: Math.round(threshold * 100), topIntents: 10 });

/** The aggregates every engine maintains: what ingest adds, deletions take away, and queries read. */
export function metricsContract(engine: string, open: () => Promise<Store>): void {
  describe(`metrics contract: ${engine}`, () => {
    let store: Store;
    before(async () => { store = await open(); });
    after(async () => { await store.close(); });

    const turns: Turn[] = [
      // A: understood to the end (the last answer is under 0.2 but still an intent): contained.
      { conversation: 'A', user: 'u1', customer: 'c1', day: D, intent: 'greeting', confidence: 0.9 },
      { conversation: 'A', user: 'u1', customer: 'c1', day: D, intent: 'billing', confidence: 0.5 },
      { conversation: 'A', user: 'u1', customer: 'c1', day: D, intent: 'goodbye', confidence: 0.15 },
      // B: ends on a message with no intent: abandoned.
      { conversation: 'B', user: 'u2', customer: 'c2', day: D, intent: 'greeting', confidence: 0.8 },
      { conversation: 'B', user: 'u2', customer: 'c2', day: D, intent: null },
      // C: handed to a human, next day, on SMS: escalated.
      { conversation: 'C', user: 'u1', customer: 'c1', day: D + 1, intent: 'billing', confidence: 0.6, escalate: true, deployment: 'sms' },
    ];

    test('ingest: counts, coverage at any threshold, outcomes, users, intents and the per-day series', async () => {
      await ingest(store, 'm1', turns);
      await ingest(store, 'other', [{ conversation: 'Z', user: 'u9', customer: 'c9', day: D, intent: 'greeting' }]);
      const m = await store.metrics.totals(scope('m1'), at(0.2));
      assert.deepEqual(m.totals, { messages: 6, conversations: 3, escalated: 1, abandoned: 1, coveredMessages: 4, users: 2 });
      assert.equal((await store.metrics.totals(scope('m1'), at(0.1))).totals.coveredMessages, 5);
      assert.equal((await store.metrics.totals(scope('m1'), at(0.55))).totals.coveredMessages, 3);
      assert.equal((await store.metrics.totals(scope('m1'), at(0))).totals.coveredMessages, 5, 'a message without intent is never covered');
      assert.deepEqual(m.topIntents, [{ intent: 'billing', messages: 2 }, { intent: 'greeting', messages: 2 }, { intent: 'goodbye', messages: 1 }]);
      assert.deepEqual(m.days, [
        { day: D, messages: 5, conversations: 2, escalated: 0, abandoned: 1, coveredMessages: 3, users: 2 },
        { day: D + 1, messages: 1, conversations: 1, escalated: 1, abandoned: 0, coveredMessages: 1, users: 1 },
      ]);
    });

    test('scopes and ranges: deployment, assistant, days; other instances never count', async () => {
      assert.deepEqual((await store.metrics.totals(scope('m1', D - 5, D + 5, { deployment: 'sms' }), at(0.2))).totals,
        { messages: 1, conversations: 1, escalated: 1, abandoned: 0, coveredMessages: 1, users: 1 });
      assert.equal((await store.metrics.totals(scope('m1', D - 5, D + 5, { assistantId: 'nope' }), at(0.2))).totals.messages, 0);
      assert.equal((await store.metrics.totals(scope('m1', D + 1, D + 1), at(0.2))).totals.users, 1);
      assert.equal((await store.metrics.totals(scope('m1', D + 2, D + 9), at(0.2))).totals.messages, 0);
      assert.equal((await store.metrics.totals(scope('other'), at(0.2))).totals.messages, 1);
    });

    test('a user seen before and after a range is not counted in it', async () => {
      await ingest(store, 'span', [
        { conversation: 'S1', user: 'u5', customer: 'c5', day: D, intent: 'greeting' },
        { conversation: 'S2', user: 'u5', customer: 'c5', day: D + 3, intent: 'greeting' },
        { conversation: 'S3', user: 'u6', customer: 'c6', day: D + 1, intent: 'greeting' },
      ]);
      assert.equal((await store.metrics.totals(scope('span', D + 1, D + 2), at(0.2))).totals.users, 1);
      assert.equal((await store.metrics.totals(scope('span', D + 1, D + 3), at(0.2))).totals.users, 2);
      assert.equal((await store.metrics.totals(scope('span', D, D + 3), at(0.2))).totals.users, 2);
    });

    test('a conversation is re-judged as messages arrive in later batches', async () => {
      await ingest(store, 'later', [{ conversation: 'L', user: 'u7', customer: 'c7', day: D, intent: null }]);
      assert.equal((await store.metrics.totals(scope('later'), at(0.2))).totals.abandoned, 1);
      await ingest(store, 'later', [{ conversation: 'L', user: 'u7', customer: 'c7', day: D, intent: 'billing' }]);
      assert.deepEqual((await store.metrics.totals(scope('later'), at(0.2))).totals, { messages: 2, conversations: 1, escalated: 0, abandoned: 0, coveredMessages: 1, users: 1 });
    });

    test('deletion: every aggregate drops, and annotations go with their logs', async () => {
      const [annotated] = await ingest(store, 'm2', turns.slice(0, 3));
      await ingest(store, 'm2', turns.slice(3));
      const put = await store.annotations.put('m2', annotated!.logId, { verdict: 'correct', rootCause: null, correctedIntent: null, note: null, author: 'k', at: 1 });
      assert.equal(put?.created, true);
      assert.equal((await store.annotations.tally(scope('m2'))).length, 1);

      assert.equal(await deleteCustomer(store, 'm2', 'c1'), 4);
      const m = await store.metrics.totals(scope('m2'), at(0.2));
      assert.deepEqual(m.totals, { messages: 2, conversations: 1, escalated: 0, abandoned: 1, coveredMessages: 1, users: 1 });
      assert.deepEqual(m.topIntents, [{ intent: 'greeting', messages: 1 }]);
      assert.deepEqual(m.days.map((d) => d.day), [D], 'a day left without messages disappears from the series');
      assert.deepEqual(await store.annotations.forLogs('m2', [annotated!.logId]), []);
      assert.deepEqual(await store.annotations.tally(scope('m2')), []);

      assert.equal(await deleteCustomer(store, 'm2', 'c2'), 2);
      const empty = await store.metrics.totals(scope('m2'), at(0.2));
      assert.deepEqual(empty.totals, { messages: 0, conversations: 0, escalated: 0, abandoned: 0, coveredMessages: 0, users: 0 });
      assert.deepEqual(empty.days, []);
    });

    test('deleting the latest message of a shared conversation re-judges it from the one before', async () => {
      await ingest(store, 'm3', [
        { conversation: 'G', user: 'u8', customer: 'x', day: D, intent: 'billing' },
        { conversation: 'G', user: 'u8', customer: 'y', day: D, intent: null },
      ]);
      assert.equal((await store.metrics.totals(scope('m3'), at(0.2))).totals.abandoned, 1);
      await deleteCustomer(store, 'm3', 'y');
      assert.deepEqual((await store.metrics.totals(scope('m3'), at(0.2))).totals,
        { messages: 1, conversations: 1, escalated: 0, abandoned: 0, coveredMessages: 1, users: 1 });
    });

    test('annotations: only on a log of the instance; posting again replaces', async () => {
      const [log] = await ingest(store, 'm4', turns.slice(0, 1));
      const input = { verdict: 'incorrect' as const, rootCause: 'wrong_intent' as const, correctedIntent: 'refund', note: 'asked for money back', author: 'k', at: 5 };
      assert.equal(await store.annotations.put('m1', log!.logId, input), undefined, 'another instance cannot annotate it');
      assert.equal(await store.annotations.put('m4', 'no-such-log', input), undefined);
      assert.equal((await store.annotations.put('m4', log!.logId, input))?.created, true);
      const again = await store.annotations.put('m4', log!.logId, { ...input, verdict: 'correct', rootCause: null, correctedIntent: null, at: 9 });
      assert.equal(again?.created, false);
      assert.equal(again?.annotation.createdAt, 5);
      assert.equal(again?.annotation.updatedAt, 9);
      const [stored] = await store.annotations.forLogs('m4', [log!.logId]);
      assert.equal(stored?.verdict, 'correct');
      assert.equal(stored?.topIntent, 'greeting');
      assert.equal(stored?.deployment, 'web');
      assert.deepEqual(await store.annotations.forLogs('m1', [log!.logId]), []);
    });

    test('annotations of a page of logs: those annotated, of the instance only', async () => {
      const logs = await ingest(store, 'm5', turns.slice(0, 3));
      const [other] = await ingest(store, 'm6', turns.slice(0, 1));
      const review = (verdict: 'correct' | 'incorrect') =>
        ({ verdict, rootCause: verdict === 'correct' ? null : 'dialog_error' as const, correctedIntent: null, note: null, author: 'k', at: 1 });
      await store.annotations.put('m5', logs[0]!.logId, review('correct'));
      await store.annotations.put('m5', logs[2]!.logId, review('incorrect'));
      await store.annotations.put('m6', other!.logId, review('correct'));
      const found = await store.annotations.forLogs('m5', [...logs.map((l) => l.logId), other!.logId, 'no-such-log']);
      assert.deepEqual(found.map((a) => [a.logId, a.verdict]).sort(), [[logs[0]!.logId, 'correct'], [logs[2]!.logId, 'incorrect']].sort());
      assert.deepEqual(await store.annotations.forLogs('m5', []), []);
    });
  });
}
