import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { unzipSync, strFromU8 } from 'fflate';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { finishedJob } from '../helpers/wait.js';

/** The native data-subject request API, driven after real SDK and analytics-client traffic. */
describeEachEngine('data-subject requests: find, access, export, delete, cancel', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let assistant: AssistantV1;
  let workspaceId: string;
  const secret = `zanzibar-${randomUUID().slice(0, 8)}`;

  const message = (text: string, customerId: string) => assistant.message({
    workspaceId, input: { text }, context: { metadata: { user_id: 'ursula' } } as never,
    headers: { 'X-Watson-Metadata': `customer_id=${customerId}` },
  });
  const subjectCall = (path: string, body: unknown, key = lethe.adminKey) => call(lethe.url, 'POST', `/api/v1/subjects/${path}`, { key, body });

  before(async () => {
    database = await freshDatabase(engine, 'dsr');
    lethe = await startLethe({ databaseUrl: database.url });
    assistant = new AssistantV1({ version: '2021-06-14', serviceUrl: lethe.url, authenticator: new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey }) });
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    workspaceId = (await assistant.createWorkspace({ ...rest, dialogNodes } as never)).result.workspace_id!;
    await message(`my balance please ${secret}`, 'cust-u');
    await message('transfer money to savings', 'cust-u');
    await message('an unrelated question', 'someone-else');
    const ua = new CoveoAnalyticsClient({ token: lethe.adminKey, endpoint: `${lethe.url}/rest/ua` });
    await ua.sendSearchEvent({ searchQueryUid: randomUUID(), queryText: `searching ${secret}`, actionCause: 'searchboxSubmit', responseTime: 3, language: 'en', username: 'cust-u' });
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('find counts what is held under every alias of the person', async () => {
    const byCustomer = await subjectCall('find', { kind: 'customer_id', value: 'cust-u' });
    assert.equal(byCustomer.status, 200, JSON.stringify(byCustomer.body));
    assert.deepEqual(byCustomer.body.holdings, { logs: 2, events: 0, exports: 0 });
    assert.equal(byCustomer.body.subject.kind, 'customer_id');
    assert.match(byCustomer.body.subject.hash, /^[0-9a-f]{64}$/);
    const byUser = await subjectCall('find', { kind: 'user_id', value: 'cust-u' });
    assert.deepEqual(byUser.body.holdings, { logs: 2, events: 1, exports: 0 }, 'a user ID also covers logs labelled with it as customer ID, and events');
    const nobody = await subjectCall('find', { kind: 'customer_id', value: 'nobody' });
    assert.deepEqual(nobody.body.holdings, { logs: 0, events: 0, exports: 0 });
  });

  test('access returns everything held as one JSON document', async () => {
    const res = await subjectCall('access', { kind: 'user_id', value: 'cust-u' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/json/);
    assert.equal(res.body.logs.length, 2);
    assert.equal(res.body.logs[0].request.input.text, `my balance please ${secret}`);
    assert.deepEqual(res.body.logs[0].customer_ids, ['cust-u']);
    assert.equal(res.body.events.length, 1);
    assert.equal(res.body.events[0].payload.queryText, `searching ${secret}`);
    assert.ok(!JSON.stringify(res.body).includes('unrelated question'), 'nobody else\'s data');
  });

  test('export is a ZIP of JSON Lines files whose manifest checks them', async () => {
    const res = await fetch(`${lethe.url}/api/v1/subjects/export`, {
      method: 'POST', headers: { authorization: `Bearer ${lethe.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'customer_id', value: 'cust-u' }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition')!, /^attachment; filename="lethe-subject-[0-9a-f]{12}\.zip"$/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), ['README.txt', 'deletion_jobs.jsonl', 'events.jsonl', 'exports.jsonl', 'logs.jsonl', 'manifest.json']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    assert.equal(manifest.files['logs.jsonl'].records, 2);
    for (const [name, entry] of Object.entries(manifest.files) as [string, { sha256: string }][]) {
      assert.equal(createHash('sha256').update(files[name]!).digest('hex'), entry.sha256, name);
    }
    const logs = strFromU8(files['logs.jsonl']!).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(logs.map((l) => l.request.input.text), [`my balance please ${secret}`, 'transfer money to savings']);
  });

  test('the CLI finds, exports and reads out the same data', async () => {
    const found = await runCli(lethe.env, ['dsr', 'find', '--customer-id', 'cust-u']);
    assert.equal(found.code, 0, found.stderr);
    assert.equal(JSON.parse(found.stdout).holdings.logs, 2);
    const access = await runCli(lethe.env, ['dsr', 'access', '--user-id', 'cust-u']);
    assert.equal(JSON.parse(access.stdout).events.length, 1);
    const out = join(lethe.dir, 'cust-u.zip');
    const exported = await runCli(lethe.env, ['dsr', 'export', '--customer-id', 'cust-u', '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(strFromU8(unzipSync(readFileSync(out))['logs.jsonl']!).trim().split('\n').length, 2);
    const ambiguous = await runCli(lethe.env, ['dsr', 'find', '--customer-id', 'a', '--user-id', 'b']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /exactly one of/);
  });

  test('delete erases the person everywhere, and the receipt shows what verification re-counted', async () => {
    const res = await subjectCall('delete', { kind: 'user_id', value: 'cust-u' });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('location'), `/api/v1/jobs/${res.body.job_id}`);
    const job = await finishedJob(lethe.url, lethe.adminKey, res.body.job_id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.deepEqual(job.deleted, { logs: 2, sessions: 0, events: 1 });
    assert.deepEqual(job.verification, { logs: 0, events: 0, exports: 0 });
    assert.ok(Date.parse(job.verified) >= Date.parse(job.started));
    const after = await subjectCall('find', { kind: 'user_id', value: 'cust-u' });
    assert.deepEqual(after.body.holdings, { logs: 0, events: 0, exports: 0 });
    assert.deepEqual(after.body.deletion_jobs.map((j: { job_id: string }) => j.job_id), [res.body.job_id], 'the receipt is found by the person\'s hash');
    // SQLite: every byte of the file and its WAL. PostgreSQL: every row of every table (README, "PostgreSQL").
    assert.equal((await storedContent(lethe.databaseUrl)).includes(secret), false, 'nothing of the deleted text is left in the database');
    assert.equal((await subjectCall('find', { kind: 'customer_id', value: 'someone-else' })).body.holdings.logs, 1, 'others stay');
  });

  test('a queued job can be cancelled; a finished one cannot', async () => {
    await lethe.stop();
    const queued = await runCli(lethe.env, ['dsr', 'delete', '--customer-id', 'someone-else', '--no-wait']);
    assert.equal(queued.code, 0, queued.stderr);
    const { job_id: jobId } = JSON.parse(queued.stdout);
    const cancelled = await runCli(lethe.env, ['dsr', 'cancel', jobId]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(JSON.parse(cancelled.stdout).status, 'cancelled');
    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await subjectCall('find', { kind: 'customer_id', value: 'someone-else' })).body.holdings.logs, 1, 'a cancelled job never runs');
    const again = await call(lethe.url, 'POST', `/api/v1/jobs/${jobId}/cancel`, { key: lethe.adminKey });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /is cancelled; only a queued job can be cancelled/);
  });

  test('every route needs a key with the right privilege, and sees only its own instance', async () => {
    const keyWith = async (privileges: string, instance?: string) => {
      const args = ['keys', 'create', '--name', 't', '--privileges', privileges, ...(instance ? ['--instance', instance] : [])];
      return JSON.parse((await runCli(lethe.env, args)).stdout).secret as string;
    };
    const reader = await keyWith('user_data:read');
    const deleter = await keyWith('user_data:delete');
    const stranger = await keyWith('admin', 'other');
    const body = { kind: 'customer_id', value: 'someone-else' };
    for (const path of ['find', 'access', 'export']) {
      assert.equal((await call(lethe.url, 'POST', `/api/v1/subjects/${path}`, { body })).status, 401, path);
      assert.equal((await subjectCall(path, body, deleter)).status, 403, path);
      assert.equal((await subjectCall(path, body, reader)).status, 200, path);
    }
    assert.equal((await subjectCall('delete', body, reader)).status, 403);
    assert.deepEqual((await subjectCall('find', body, stranger)).body.holdings, { logs: 0, events: 0, exports: 0 });
    assert.equal((await subjectCall('access', body, stranger)).body.logs.length, 0);
    const mine = await subjectCall('delete', { kind: 'customer_id', value: 'nobody-at-all' }, deleter);
    assert.equal((await call(lethe.url, 'POST', `/api/v1/jobs/${mine.body.job_id}/cancel`, { key: stranger })).status, 404, 'another instance\'s job is not found');
    const audit = (await call(lethe.url, 'GET', '/api/v1/audit?limit=500', { key: lethe.adminKey })).body;
    const actions = new Set(audit.entries.map((e: { action: string }) => e.action));
    for (const a of ['dsr.find', 'dsr.access', 'dsr.export', 'dsr.deletion.request', 'dsr.deletion.complete', 'dsr.deletion.cancel']) assert.ok(actions.has(a), a);
    assert.equal(JSON.stringify(audit).includes('cust-u'), false, 'the audit trail names people only by keyed hash');
    const bad = await subjectCall('find', { kind: 'email', value: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'bad_request');
  });
});
