import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../model/ids.js';
import { parseFilter } from '../filter/watson-logs/index.js';
import type { DeletionJobRecord } from '../model/deletion-jobs.js';
import type { EventRecord } from '../model/events.js';
import type { LogRecord } from '../model/logs.js';
import type { WebhookDeliveryRecord } from '../model/webhooks.js';
import type { Store } from './store.js';

const DAY = 86_400_000;

/** Retention deletes, retention runs, settings with retention, and the webhook outbox, on every engine. */
export function retentionAndWebhookContract(engine: string, open: () => Promise<Store>): void {
  describe(`store contract (retention, webhooks): ${engine}`, () => {
    let store: Store;
    before(async () => { store = await open(); });
    after(async () => { await store.close(); });

    const now = Date.parse('2025-06-01T00:00:00Z');
    const log = (instanceId: string, ageDays: number, text: string, patch: Partial<LogRecord> = {}): LogRecord => ({
      logId: newId(), instanceId, api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null,
      conversationId: text, userId: `u-${text}`, customerIds: [`c-${text}`], deployment: null, language: 'en', snapshot: null,
      topIntent: null, topConfidence: null, entitiesCount: 0, inputText: text, learningOptOut: false,
      requestTs: now - ageDays * DAY, responseTs: now - ageDays * DAY, request: { input: { text } }, response: { output: { text: [`re ${text}`] } }, ...patch,
    });
    const event = (instanceId: string, ageDays: number, userId: string): EventRecord => ({
      eventId: newId(), instanceId, type: 'search', userId, visitorId: `v-${userId}`, visitId: null, anonymous: false, searchUid: null,
      originLevel1: null, language: 'en', ipHash: null, receivedTs: now - ageDays * DAY, batchId: null, payload: { queryText: userId },
    });
    const texts = async (instanceId: string, filter: string | null) => (await store.logs.page({
      instanceId, filter: filter ? parseFilter(filter, 'any') : null, scope: {}, descending: false, limit: 100, after: null,
    })).logs.map((l) => l.inputText);

    test('logs.deleteBefore: oldest first, in chunks, with index entries and sessions, this instance only', async () => {
      await store.sessions.insert({ instanceId: 'ret', sessionId: 'old-session', assistantId: 'a', environmentId: 'a', context: {}, createdAt: 1, lastActiveAt: 1, expiresAt: now + DAY });
      await store.ingest([
        { log: log('ret', 40, 'ancient', { sessionId: 'old-session' }) }, { log: log('ret', 35, 'elderly') }, { log: log('ret', 31, 'aged') },
        { log: log('ret', 2, 'fresh') }, { log: log('ret-other', 40, 'foreign') },
      ]);
      const cutoff = now - 30 * DAY;
      assert.deepEqual(await store.logs.deleteBefore('ret', cutoff, 2), { logs: 2, sessions: 1, done: false });
      assert.deepEqual(await texts('ret', null), ['aged', 'fresh'], 'the two oldest went first');
      assert.deepEqual(await store.logs.deleteBefore('ret', cutoff, 2), { logs: 1, sessions: 0, done: true });
      assert.deepEqual(await store.logs.deleteBefore('ret', cutoff, 2), { logs: 0, sessions: 0, done: true }, 'running it again is harmless');
      assert.deepEqual(await texts('ret', null), ['fresh']);
      assert.equal(await store.sessions.get('ret', 'old-session'), undefined, 'the session of a deleted log goes with it');
      for (const gone of ['ancient', 'elderly', 'aged']) {
        assert.deepEqual(await texts('ret', `request.input.text:${gone}`), [], `no full-text entry of ${gone}`);
        assert.deepEqual(await texts('ret', `response.output.text:${gone}`), [], `no output-text entry of ${gone}`);
        assert.equal((await store.subjects.holdings('ret', { logs: [{ kind: 'customer_id', value: `c-${gone}` }], events: [] }, now)).logs, 0, `no subject entry of ${gone}`);
        assert.equal((await store.subjects.holdings('ret', { logs: [{ kind: 'user_id', value: `u-${gone}` }], events: [] }, now)).logs, 0);
      }
      assert.deepEqual(await texts('ret', 'request.input.text:fresh'), ['fresh']);
      assert.deepEqual(await texts('ret-other', null), ['foreign'], 'another instance keeps its logs');
      await store.logs.eraseResidue();
    });

    test('events.deleteBefore: chunked, with subject entries, this instance only', async () => {
      await store.ingest([event('ret', 10, 'ann'), event('ret', 9, 'bob'), event('ret', 1, 'cy'), event('ret-other', 10, 'dee')].map((e) => ({ event: e })));
      const cutoff = now - 7 * DAY;
      assert.deepEqual(await store.events.deleteBefore('ret', cutoff, 1), { events: 1, done: false });
      assert.deepEqual(await store.events.deleteBefore('ret', cutoff, 5), { events: 1, done: true });
      const left = await store.events.list({ instanceId: 'ret', subjects: [], limit: 10 });
      assert.deepEqual(left.map((e) => e.userId), ['cy']);
      assert.equal((await store.subjects.holdings('ret', { logs: [], events: [{ kind: 'visitor_id', value: 'v-ann' }] }, now)).events, 0);
      assert.equal((await store.events.list({ instanceId: 'ret-other', subjects: [], limit: 10 })).length, 1);
    });

    test('exports.eraseStartingBefore erases exports whose period reaches before the cutoff', async () => {
      const exp = (id: string, fromTs: number) => ({
        exportId: id, instanceId: 'ret', status: 'PENDING' as const, author: 'k', description: '', createdAt: now, finishedAt: null, expiresAt: now + DAY,
        request: { fromTs, toTs: now, filters: { f: [], fs: [], fc: [] }, tables: ['ALL_EVENTS'], format: 'CSV' as const }, size: 0, shareHash: null, sharedAt: null, error: null,
      });
      await store.exports.insert(exp('old-period', now - 10 * DAY));
      await store.exports.insert(exp('new-period', now - DAY));
      await store.exports.complete('old-period', Buffer.from('x'), [], now);
      await store.exports.complete('new-period', Buffer.from('y'), [], now);
      assert.equal(await store.exports.eraseStartingBefore('ret', now - 7 * DAY), 1);
      assert.equal(await store.exports.content('ret', 'old-period', now), undefined);
      assert.equal((await store.exports.content('ret', 'new-period', now))?.toString(), 'y');
      assert.equal(await store.exports.eraseStartingBefore('ret', now - 7 * DAY), 0, 'an erased export is not counted again');
    });

    test('settings: retention days stored, listed only when set', async () => {
      await store.settings.set('keep-all', { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: null });
      await store.settings.set('short', { analyticsEnabled: false, logRetentionDays: 30, eventRetentionDays: null });
      await store.settings.set('events-only', { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: 3650 });
      assert.deepEqual(await store.settings.get('short'), { analyticsEnabled: false, logRetentionDays: 30, eventRetentionDays: null });
      const listed = (await store.settings.withRetention()).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
      assert.deepEqual(listed, [
        { instanceId: 'events-only', settings: { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: 3650 } },
        { instanceId: 'short', settings: { analyticsEnabled: false, logRetentionDays: 30, eventRetentionDays: null } },
      ]);
    });

    test('retention runs: recorded and listed newest first per instance', async () => {
      const run = (instanceId: string, startedAt: number) => ({
        runId: newId(), instanceId, logCutoffTs: startedAt - DAY, eventCutoffTs: null, deletedLogs: 3, deletedSessions: 1, deletedEvents: 0,
        deletedExports: 0, startedAt, finishedAt: startedAt + 5,
      });
      const [a, b, c] = [run('runs', 1000), run('runs', 2000), run('runs-other', 1500)];
      for (const r of [a, b, c]) await store.retentionRuns.insert(r);
      assert.deepEqual(await store.retentionRuns.list('runs', 10), [b, a]);
      assert.deepEqual((await store.retentionRuns.list(null, 10)).map((r) => r.runId), [b.runId, c.runId, a.runId]);
      assert.deepEqual(await store.retentionRuns.list('runs', 1), [b]);
    });

    describe('webhooks and their outbox', () => {
      const hook = { webhookId: newId(), instanceId: 'hooks', url: 'https://example.test/h', events: ['deletion.requested' as const], secret: 'whsec_x', createdAt: 1 };
      const job = (): DeletionJobRecord => ({
        jobId: newId(), instanceId: 'hooks', subjectKind: 'customer_id', subjectValue: 'zed', subjectHash: 'h', cutoffTs: 1, status: 'queued',
        attempts: 0, createdAt: 1, startedAt: null, finishedAt: null, verifiedAt: null, verification: null, deletedLogs: 0, deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
      });
      const delivery = (jobId: string, createdAt = 100): WebhookDeliveryRecord => ({
        deliveryId: newId(), webhookId: hook.webhookId, instanceId: 'hooks', event: 'deletion.requested', jobId, payload: '{"subject":"zed"}',
        status: 'pending', attempts: 0, nextAttemptAt: 100, lastHttpStatus: null, lastError: null, createdAt, finishedAt: null,
      });

      test('webhooks: per instance, deleted with their deliveries', async () => {
        await store.webhooks.insert(hook);
        const other = { ...hook, webhookId: newId(), instanceId: 'hooks-other' };
        await store.webhooks.insert(other);
        assert.deepEqual(await store.webhooks.get('hooks', hook.webhookId), hook);
        assert.equal(await store.webhooks.get('hooks-other', hook.webhookId), undefined);
        assert.deepEqual((await store.webhooks.list('hooks')).map((h) => h.webhookId), [hook.webhookId]);
        assert.equal((await store.webhooks.list(null)).length, 2);
        assert.equal(await store.webhooks.delete('hooks', other.webhookId), false, 'a webhook is removed only within its instance');
        const j = job();
        await store.jobs.insert(j);
        await store.webhooks.enqueue([{ ...delivery(j.jobId), webhookId: other.webhookId, instanceId: 'hooks-other' }]);
        assert.equal(await store.webhooks.delete('hooks-other', other.webhookId), true);
        assert.deepEqual(await store.webhooks.deliveries('hooks-other', other.webhookId, 10), []);
        assert.equal(await store.webhooks.delete('hooks-other', other.webhookId), false);
      });

      test('outbox: due only once its job exists, one claimant, attempts recorded, payload erased when it ends', async () => {
        const j = job();
        const d = delivery(j.jobId);
        await store.webhooks.enqueue([d]);
        await store.webhooks.enqueue([{ ...d, deliveryId: newId() }]);
        assert.equal((await store.webhooks.deliveries('hooks', hook.webhookId, 10)).length, 1, 'one delivery per webhook, event and job');
        assert.deepEqual(await store.webhooks.claimDue('w1', 1000, 2000, 10), [], 'not before the job is recorded');
        await store.jobs.insert(j);
        const [claimed] = await store.webhooks.claimDue('w1', 1000, 2000, 10);
        assert.deepEqual(claimed, d);
        assert.deepEqual(await store.webhooks.claimDue('w2', 1500, 2500, 10), [], 'a leased delivery is not handed out again');
        await store.webhooks.recordAttempt(d.deliveryId, 'w2', { at: 1600, status: 'delivered', httpStatus: 200, error: null, nextAttemptAt: 1600 });
        assert.equal((await store.webhooks.deliveries('hooks', hook.webhookId, 10))[0]?.attempts, 0, 'only the lease holder records');
        await store.webhooks.recordAttempt(d.deliveryId, 'w1', { at: 1100, status: 'pending', httpStatus: 500, error: 'HTTP 500', nextAttemptAt: 3000 });
        let [state] = await store.webhooks.deliveries('hooks', hook.webhookId, 10);
        assert.deepEqual([state?.status, state?.attempts, state?.lastHttpStatus, state?.nextAttemptAt, state?.payload], ['pending', 1, 500, 3000, d.payload]);
        assert.deepEqual(await store.webhooks.claimDue('w1', 2000, 3000, 10), [], 'not before its next attempt is due');
        assert.equal((await store.webhooks.claimDue('w2', 3000, 4000, 10)).length, 1);
        await store.webhooks.recordAttempt(d.deliveryId, 'w2', { at: 3100, status: 'delivered', httpStatus: 204, error: null, nextAttemptAt: 3100 });
        [state] = await store.webhooks.deliveries('hooks', hook.webhookId, 10);
        assert.deepEqual([state?.status, state?.attempts, state?.finishedAt, state?.payload], ['delivered', 2, 3100, null]);
        assert.deepEqual(await store.webhooks.claimDue('w1', 10_000, 11_000, 10), []);
      });

      test('outbox: a cancelled job\'s request is withdrawn unsent; the webhooks it reached, or was reaching, are named', async () => {
        const [sent, inFlight, waiting] = [newId(), newId(), newId()].map((webhookId) => ({ ...hook, webhookId }));
        for (const h of [sent!, inFlight!, waiting!]) await store.webhooks.insert(h);
        const j = job();
        await store.jobs.insert(j);
        const forHook = (h: typeof hook, nextAttemptAt: number) => ({ ...delivery(j.jobId), webhookId: h.webhookId, nextAttemptAt });
        await store.webhooks.enqueue([forHook(sent!, 100), forHook(inFlight!, 200), forHook(waiting!, 9000)]);
        const [first] = await store.webhooks.claimDue('w1', 1000, 2000, 1);
        await store.webhooks.recordAttempt(first!.deliveryId, 'w1', { at: 1100, status: 'delivered', httpStatus: 200, error: null, nextAttemptAt: 1100 });
        const [second] = await store.webhooks.claimDue('w2', 1200, 5000, 1);
        assert.equal(second?.webhookId, inFlight!.webhookId);

        const told = await store.webhooks.withdrawRequested(j.jobId, 1500);
        assert.deepEqual([...told].sort(), [sent!.webhookId, inFlight!.webhookId].sort());
        // The attempt in flight ends after the withdrawal: whatever its outcome, the delivery stays withdrawn.
        await store.webhooks.recordAttempt(second!.deliveryId, 'w2', { at: 1600, status: 'pending', httpStatus: 500, error: 'HTTP 500', nextAttemptAt: 1700 });
        const states = await Promise.all([sent!, inFlight!, waiting!].map(async (h) => (await store.webhooks.deliveries('hooks', h.webhookId, 10))[0]!));
        assert.deepEqual(states.map((d) => [d.status, d.payload]), [['delivered', null], ['withdrawn', null], ['withdrawn', null]]);
        assert.deepEqual(await store.webhooks.claimDue('w3', 10_000, 11_000, 10), [], 'a withdrawn request is never sent');
        assert.deepEqual(await store.webhooks.withdrawRequested(j.jobId, 1800), [sent!.webhookId], 'withdrawing again changes nothing');
      });

      test('outbox: instances take turns, and one instance never holds more than its share of leases', async () => {
        const hooks = { busy: { ...hook, webhookId: newId(), instanceId: 'fair-busy' }, quiet: { ...hook, webhookId: newId(), instanceId: 'fair-quiet' } };
        for (const h of Object.values(hooks)) await store.webhooks.insert(h);
        const queue = async (h: typeof hook, n: number, dueAt: number) => {
          const jobs = Array.from({ length: n }, () => ({ ...job(), instanceId: h.instanceId }));
          for (const j of jobs) await store.jobs.insert(j);
          await store.webhooks.enqueue(jobs.map((j) => ({ ...delivery(j.jobId), webhookId: h.webhookId, instanceId: h.instanceId, nextAttemptAt: dueAt })));
        };
        // The busy instance's six deliveries were all due before the quiet one's.
        await queue(hooks.busy, 6, 50_000);
        await queue(hooks.quiet, 1, 60_000);
        const instances = (ds: WebhookDeliveryRecord[]) => ds.map((d) => d.instanceId);

        const first = await store.webhooks.claimDue('w1', 70_000, 80_000, 3, 2);
        assert.deepEqual(instances(first).sort(), ['fair-busy', 'fair-busy', 'fair-quiet'], 'the quiet instance gets its turn within the first claim');
        assert.deepEqual(await store.webhooks.claimDue('w2', 70_000, 80_000, 10, 2), [], 'the busy instance holds its two leases; nobody else is due');
        await store.webhooks.recordAttempt(first.find((d) => d.instanceId === 'fair-busy')!.deliveryId, 'w1',
          { at: 71_000, status: 'delivered', httpStatus: 200, error: null, nextAttemptAt: 71_000 });
        assert.deepEqual(instances(await store.webhooks.claimDue('w2', 72_000, 80_000, 10, 2)), ['fair-busy'], 'one attempt ended: one more may start');
        assert.deepEqual(instances(await store.webhooks.claimDue('w3', 85_000, 90_000, 10, 2)).sort(), ['fair-busy', 'fair-busy', 'fair-quiet'],
          'leases that ran out no longer count');
        assert.equal((await store.webhooks.claimDue('w4', 85_000, 90_000, 10)).length, 3, 'without a share, every due delivery is claimed');
      });

      test('outbox: deliveries of a job never recorded are dropped after a while', async () => {
        const recorded = job();
        await store.jobs.insert(recorded);
        await store.webhooks.enqueue([delivery(newId(), 50), delivery(newId(), 500), delivery(recorded.jobId, 50)]);
        assert.equal(await store.webhooks.dropOrphans(100), 1);
        assert.equal((await store.webhooks.deliveries('hooks', hook.webhookId, 10)).filter((d) => d.status === 'pending').length, 2);
      });
    });
  });
}
