import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { storedContent } from '../../../test/helpers/test-engines.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { DeletionRequests } from '../dsr/deletion-requests.js';
import { SubjectHasher } from '../subjects/subject-hash.js';
import { AddressPolicy } from './address-policy.js';
import { Webhooks } from './webhooks.js';

/** Cancelling a queued deletion: what the linked services hear, with no deletion runner or delivery worker started. */
const dir = mkdtempSync(join(tmpdir(), 'lethe-webhooks-'));
let store: Store;
let webhooks: Webhooks;
let deletions: DeletionRequests;

before(async () => {
  store = openSqliteStore(`sqlite:${join(dir, 'w.db')}`, { synchronous: 'NORMAL' });
  const hasher = await SubjectHasher.load(store.secrets);
  const audit = new AuditTrail(store.audit, hasher);
  webhooks = new Webhooks(store.webhooks, store.jobs, store.logs, audit, AddressPolicy.publicOnly());
  deletions = new DeletionRequests(store.jobs, hasher, audit, () => {}, (job) => webhooks.announceRequested(job), (job) => webhooks.announceCancelled(job));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a cancelled job: the request already sent is retracted, the one still waiting is withdrawn, nobody else hears of it', async () => {
  const register = async (path: string, events: string[]) => (await webhooks.register('i', `https://example.test/${path}`, events, 'test')).hook;
  const [reached, waiting, receiptsOnly] = [
    await register('reached', ['deletion.requested', 'deletion.completed']),
    await register('waiting', ['deletion.requested']),
    await register('receipts', ['deletion.completed']),
  ];
  const job = await deletions.request('i', { kind: 'customer_id', value: 'changed-her-mind@example.test' }, 'test');
  // The delivery worker's part: the first webhook's request goes out and is accepted; the second's is not due yet.
  const [sent] = await store.webhooks.claimDue('worker', Date.now(), Date.now() + 60_000, 1);
  assert.equal(sent?.webhookId, reached!.webhookId);
  await store.webhooks.recordAttempt(sent.deliveryId, 'worker', { at: Date.now(), status: 'delivered', httpStatus: 200, error: null, nextAttemptAt: Date.now() });

  const cancelled = await deletions.cancel(job.jobId, 'i', 'test');
  assert.equal(cancelled.status, 'cancelled');

  const [toReached, toWaiting, toReceipts] = await Promise.all([reached!, waiting!, receiptsOnly!].map((h) => store.webhooks.deliveries('i', h.webhookId, 10)));
  const retraction = toReached!.find((d) => d.event === 'deletion.cancelled');
  assert.ok(retraction, 'the webhook that was told of the request is told it no longer stands');
  const body = JSON.parse(retraction.payload!);
  assert.deepEqual(body.data, { job_id: job.jobId, subject: { kind: 'customer_id', hash: job.subjectHash }, cancelled: new Date(cancelled.finishedAt!).toISOString() });
  assert.ok(!retraction.payload!.includes('changed-her-mind'), 'the retraction names the subject only by its hash');
  assert.deepEqual(toWaiting!.map((d) => [d.event, d.status, d.payload]), [['deletion.requested', 'withdrawn', null]], 'never sent, and its body erased');
  assert.deepEqual(toReceipts, [], 'a webhook never told of the request hears nothing');
  assert.equal((await storedContent(`sqlite:${join(dir, 'w.db')}`)).includes('changed-her-mind'), false, 'the subject is gone from the files and WAL');
  assert.deepEqual((await store.webhooks.claimDue('worker', Date.now() + 120_000, Date.now() + 180_000, 10)).map((d) => [d.webhookId, d.event]),
    [[reached!.webhookId, 'deletion.cancelled']], 'only the retraction is left to send');
});
