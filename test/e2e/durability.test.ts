import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newId } from '../../src/model/ids.js';
import type { LogRecord } from '../../src/model/logs.js';
import { openStore } from '../../src/store/open-store.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe } from '../helpers/lethe-process.js';
import { waitFor } from '../helpers/wait.js';
import { describeEachEngine, freshDatabase, type FreshDatabase } from '../helpers/test-engines.js';

const V = 'version=2021-06-14';

function seedLog(customerId: string, text: string, ts: number): LogRecord {
  return {
    logId: newId(), instanceId: 'default', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'seeded',
    sessionId: null, conversationId: 'c', userId: 'u', customerIds: [customerId], deployment: null, language: 'en',
    snapshot: null, topIntent: null, topConfidence: null, entitiesCount: 0, inputText: text, learningOptOut: false,
    requestTs: ts, responseTs: ts, request: { input: { text } }, response: { output: { text: [] } },
  };
}

async function jobStatus(url: string, key: string, jobId: string) {
  return (await call(url, 'GET', `/api/v1/jobs/${jobId}`, { key })).body;
}

describeEachEngine('durability of acknowledged messages and of deletion jobs', (engine) => {
  let dir: string;
  let database: FreshDatabase;
  const adminKey = `test-admin-${newId()}`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lethe-durability-'));
    database = await freshDatabase(engine, 'durability');
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  test('every acknowledged message survives a SIGKILL right after its reply', async () => {
    const lethe = await startLethe({ dir, adminKey, databaseUrl: database.url });
    const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: adminKey, body: bankingWorkspace })).body.workspace_id;
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { key: adminKey, body: { input: { text: `balance ${i}` } }, headers: { 'x-watson-metadata': 'customer_id=durable' } })));
    assert.ok(replies.every((r) => r.status === 200));
    await lethe.kill();

    const again = await startLethe({ dir, adminKey, databaseUrl: database.url });
    const logs = await call(again.url, 'GET', `/v1/workspaces/${ws}/logs?${V}&page_limit=1000&filter=customer_id::durable`, { key: adminKey });
    assert.equal(logs.body.logs.length, 200);
    await again.stop();
  });

  test('a deletion queued while no server runs is carried out when one starts', async () => {
    const lethe = await startLethe({ dir, adminKey, databaseUrl: database.url });
    await lethe.stop();
    const queued = await runCli(lethe.env, ['delete-user', '--customer-id', 'durable', '--no-wait']);
    assert.equal(queued.code, 0, queued.stderr);
    const { job_id: jobId, status } = JSON.parse(queued.stdout);
    assert.equal(status, 'queued');

    const again = await startLethe({ dir, adminKey, databaseUrl: database.url });
    const job = await waitFor(() => jobStatus(again.url, adminKey, jobId), (j) => j.status === 'completed');
    assert.equal(job.status, 'completed');
    assert.equal(job.deleted.logs, 200);
    const listed = await runCli(lethe.env, ['jobs', jobId]);
    assert.equal(JSON.parse(listed.stdout).status, 'completed', 'the CLI sees the same job record');
    await again.stop();
  });

  test('a deletion job killed mid-way resumes after restart, deletes everything exactly once and verifies', async (t) => {
    const total = 60_000;
    const store = await openStore({ databaseUrl: database.url, sqliteSynchronous: 'NORMAL' });
    const base = Date.now() - 60_000;
    for (let i = 0; i < total; i += 5000) {
      await store.ingest(Array.from({ length: 5000 }, (_, j) => ({ log: seedLog(j % 2 ? 'big' : 'big-other', `seeded ${i + j}`, base + i + j) })));
    }
    await store.close();

    const env = { LETHE_JOB_LEASE_MS: '500' };
    const lethe = await startLethe({ dir, adminKey, env, databaseUrl: database.url });
    const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=big`, { key: adminKey });
    const jobId = del.headers.get('location')!.split('/').pop()!;
    const partial = await waitFor(() => jobStatus(lethe.url, adminKey, jobId), (j) => j.deleted.logs > 0);
    await lethe.kill();
    assert.equal(partial.status, 'running', 'the kill landed while the job was running');
    assert.ok(partial.deleted.logs < total / 2, `killed part-way (${partial.deleted.logs} deleted)`);

    const again = await startLethe({ dir, adminKey, env, databaseUrl: database.url });
    const job = await waitFor(() => jobStatus(again.url, adminKey, jobId), (j) => j.status === 'completed');
    assert.equal(job.status, 'completed');
    assert.equal(job.deleted.logs, total / 2, 'counts stay exact across the restart');
    assert.ok(job.attempts >= 2);
    assert.ok(job.verified);
    t.diagnostic(`killed with ${partial.deleted.logs} of ${total / 2} logs deleted; completed after ${job.attempts} attempts with ${job.deleted.logs} deleted`);
    const left = await call(again.url, 'GET', `/v1/workspaces/seeded/logs?${V}&filter=customer_id::big`, { key: adminKey });
    assert.equal(left.body.logs.length, 0);
    const kept = await call(again.url, 'GET', `/v1/workspaces/seeded/logs?${V}&page_limit=1&filter=customer_id::big-other`, { key: adminKey });
    assert.equal(kept.body.logs.length, 1);

    const repeat = await call(again.url, 'DELETE', `/v1/user_data?${V}&customer_id=big`, { key: adminKey });
    const second = await waitFor(() => jobStatus(again.url, adminKey, repeat.headers.get('location')!.split('/').pop()!), (j) => j.status === 'completed');
    assert.equal(second.deleted.logs, 0, 'running a deletion again is harmless');
    await again.stop();
  });
});
