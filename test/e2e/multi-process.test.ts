import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId } from '../../src/model/ids.js';
import type { LogRecord } from '../../src/model/logs.js';
import { openStore } from '../../src/store/open-store.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/postgres-database.js';
import { queryRows } from '../helpers/test-engines.js';
import { waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const SUBJECTS = ['mp-ann', 'mp-bob', 'mp-cid', 'mp-dee', 'mp-eve'];
const PER_SUBJECT = 20_000;
const KEPT = 3_000;

function seedLog(customerId: string, ts: number): LogRecord {
  return {
    logId: newId(), instanceId: 'default', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'seeded', sessionId: null,
    conversationId: 'c', userId: null, customerIds: [customerId], deployment: null, language: 'en', snapshot: null, topIntent: null,
    topConfidence: null, entitiesCount: 0, inputText: `hello from ${customerId}`, learningOptOut: false, requestTs: ts, responseTs: ts,
    request: { input: { text: `hello from ${customerId}` } }, response: { output: { text: ['hi'] } },
  };
}

/** Stateless HTTP nodes on one PostgreSQL database: deletion jobs run exactly once even when a node dies mid-job. */
describePostgres('three Lethe processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  const nodes: LetheProcess[] = [];
  const adminKey = `test-admin-${newId()}`;

  before(async () => {
    database = await createTestDatabase('multi_process');
    const store = await openStore({ databaseUrl: database.url, sqliteSynchronous: 'NORMAL' });
    const base = Date.now() - 3_600_000;
    const all = [...SUBJECTS.flatMap((s) => Array.from({ length: PER_SUBJECT }, () => s)), ...Array.from({ length: KEPT }, () => 'mp-keep')];
    for (let i = 0; i < all.length; i += 5000) {
      await store.ingest(all.slice(i, i + 5000).map((s, j) => ({ log: seedLog(s, base + Math.floor((i + j) / 4)) })));
    }
    await store.close();
    const env = { LETHE_JOB_LEASE_MS: '1000' };
    // The first node creates the admin key; the other two find it.
    nodes.push(await startLethe({ adminKey, env, databaseUrl: database.url }));
    nodes.push(...await Promise.all([1, 2].map(() => startLethe({ adminKey, env, databaseUrl: database.url }))));
  });
  after(async () => {
    for (const node of nodes) {
      await node.stop();
      node.cleanup();
    }
    await database.drop();
  });

  test('every job completes exactly once, with exact counts, although the node running one was SIGKILLed mid-job', async () => {
    // Queued through different nodes: any node may run any job.
    const jobIds: string[] = [];
    for (const [i, subject] of SUBJECTS.entries()) {
      const res = await call(nodes[i % 3]!.url, 'DELETE', `/v1/user_data?${V}&customer_id=${subject}`, { key: adminKey });
      assert.equal(res.status, 202);
      jobIds.push(res.headers.get('location')!.split('/').pop()!);
    }

    // The node that started a job which has deleted some but not all of its logs.
    const runnerOf = (jobId: string) => nodes.findIndex((n) => n.output().includes(`"jobId":"${jobId}","attempt":1,"msg":"deletion job started"`));
    const victim = await waitFor(async () => {
      const { jobs } = (await call(nodes[0]!.url, 'GET', '/api/v1/jobs?limit=100', { key: adminKey })).body as { jobs: any[] };
      const midway = jobs.find((j) => j.status === 'running' && j.deleted.logs > 0 && j.deleted.logs < PER_SUBJECT && runnerOf(j.job_id) > 0);
      return midway ? { jobId: midway.job_id as string, node: runnerOf(midway.job_id), deleted: midway.deleted.logs as number } : undefined;
    }, (v) => v !== undefined, 60_000);
    assert.ok(victim, 'a job was caught mid-way on node 1 or 2');
    await nodes[victim.node]!.kill();
    const survivors = nodes.filter((_, i) => i !== victim.node);

    for (const jobId of jobIds) {
      const job = await waitFor(async () => (await call(survivors[0]!.url, 'GET', `/api/v1/jobs/${jobId}`, { key: adminKey })).body,
        (j) => j.status === 'completed' || j.status === 'failed', 120_000);
      assert.equal(job.status, 'completed', `${jobId}: ${JSON.stringify(job)}`);
      assert.equal(job.deleted.logs, PER_SUBJECT, 'every log of the subject is counted once, across the takeover');
      assert.ok(job.verified);
      if (jobId === victim.jobId) assert.ok(job.attempts >= 2, 'the killed job was taken over by another node');
    }
    // Each job finished on exactly one node (log lines may reach the pipe a little after the job record changed).
    const finishes = (jobId: string) => nodes.map((n) => n.output().split('\n').filter((line) => line.includes(jobId) && line.includes('deletion job completed')).length);
    for (const jobId of jobIds) {
      const counts = await waitFor(async () => finishes(jobId), (c) => c.reduce((a, b) => a + b, 0) > 0, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(finishes(jobId).reduce((a, b) => a + b, 0), 1, `${jobId} completed ${counts.join('/')} times`);
    }
    const [left] = await queryRows(database.url, 'SELECT count(*)::int AS n FROM logs');
    assert.equal(left?.n, KEPT, 'only the logs of the customer nobody asked to delete remain');
    const [subjects] = await queryRows(database.url, "SELECT count(*)::int AS n FROM log_subjects WHERE value <> 'mp-keep'");
    assert.equal(subjects?.n, 0, 'and no index entry of a deleted log');
  });
});
