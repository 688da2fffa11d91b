import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { finishedJob } from '../helpers/wait.js';

const VERSION = '2021-06-14';
const INJECTION = "=HYPERLINK(\"http://evil\",\"x\") zorblax";

describeEachEngine('metrics, log exports and annotations through the real server', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let v1: AssistantV1;
  let workspaceId: string;
  let readerKey: string;
  let messageKey: string;
  let otherInstanceKey: string;
  const today = new Date().toISOString().slice(0, 10);

  async function createKey(privileges: string, instance = 'default'): Promise<string> {
    const r = await runCli(lethe.env, ['keys', 'create', '--name', privileges, '--privileges', privileges, '--instance', instance]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).secret;
  }

  /** One conversation through the SDK: every message labelled with the user's customer ID. */
  async function converse(user: string, deployment: string, texts: string[]): Promise<void> {
    let context: Record<string, unknown> = { metadata: { user_id: user, deployment } };
    for (const text of texts) {
      const r = await v1.message({ workspaceId, input: { text }, context, headers: { 'X-Watson-Metadata': `customer_id=cust-${user}` } });
      context = r.result.context;
    }
  }

  const overview = (key: string, query = '') => call(lethe.url, 'GET', `/api/v1/metrics/overview?from=${today}&to=${today}${query}`, { key });

  before(async () => {
    database = await freshDatabase(engine, 'metrics');
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_METRICS_ESCALATION_INTENTS: 'transfer_money', LETHE_METRICS_FALLBACK_NODES: 'fallback' } });
    v1 = new AssistantV1({ version: VERSION, authenticator: new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey }), serviceUrl: lethe.url });
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    workspaceId = (await v1.createWorkspace({ ...rest, dialogNodes })).result.workspace_id!;
    [readerKey, messageKey, otherInstanceKey] = [await createKey('logs:read,logs:annotate'), await createKey('message'), await createKey('admin', 'other')];
    await converse('alice', 'web', ['What is my account balance?', 'goodbye']); // contained
    await converse('bob', 'web', ['How much money do I have?', INJECTION]); // ends in the fallback node: abandoned
    await converse('alice', 'app', ['I want to transfer money to my savings']); // escalation intent: escalated
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('overview: the numbers of the conversations just held', async () => {
    const r = await overview(readerKey);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const m = r.body;
    assert.equal(m.messages, 5);
    assert.equal(m.conversations, 3);
    assert.equal(m.unique_users, 2);
    assert.equal(m.conversations_per_user, 1.5);
    assert.deepEqual(m.outcomes, { contained: 1, escalated: 1, abandoned: 1 });
    assert.equal(m.containment, 1 / 3);
    assert.equal(m.coverage, 4 / 5, 'the fallback message is the one not covered');
    assert.deepEqual(m.top_intents[0], { intent: 'check_balance', messages: 2 });
    assert.deepEqual(m.days.map((d: { date: string; messages: number }) => [d.date, d.messages]), [[today, 5]]);
    assert.equal((await overview(readerKey, '&deployment=app')).body.messages, 1);
    assert.equal((await overview(readerKey, '&coverage_threshold=1')).body.covered_messages, 0);
  });

  test('overview: authentication, privilege, instance isolation and validation', async () => {
    assert.equal((await call(lethe.url, 'GET', '/api/v1/metrics/overview')).status, 401);
    const forbidden = await overview(messageKey);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error.code, 'forbidden');
    assert.equal((await overview(otherInstanceKey)).body.messages, 0, 'another instance sees none of these messages');
    const bad = await call(lethe.url, 'GET', '/api/v1/metrics/overview?coverage_threshold=2', { key: readerKey });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'bad_request');
    assert.equal((await call(lethe.url, 'GET', '/api/v1/metrics/overview?from=2026-02-01&to=2026-01-01', { key: readerKey })).status, 400);
  });

  test('the CLI prints the same overview', async () => {
    const r = await runCli(lethe.env, ['metrics', '--from', today, '--to', today]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.messages, 5);
    assert.deepEqual(m.outcomes, { contained: 1, escalated: 1, abandoned: 1 });
  });

  test('export: CSV with the columns of export_logs.py, formulas defused; JSONL per filter', async () => {
    const csv = await call(lethe.url, 'GET', '/api/v1/logs/export?format=csv', { key: readerKey });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = String(csv.body).trimEnd().split('\r\n');
    assert.deepEqual(lines[0]!.split(',').slice(0, 10),
      ['conversation_id', 'request_timestamp', 'response_timestamp', 'User Input', 'Output', 'Intent', 'Confidence', 'Exit Reason', 'Logging', 'Context']);
    assert.equal(lines.length, 6);
    assert.ok(lines.some((l) => l.includes(',What is my account balance?,Your balance is $42.,check_balance,')), lines.join('\n'));
    const injected = lines.find((l) => l.includes('zorblax'))!;
    assert.ok(injected.includes(`"'=HYPERLINK(`), `the formula is defused: ${injected}`);

    const jsonl = await call(lethe.url, 'GET', `/api/v1/logs/export?format=jsonl&filter=${encodeURIComponent('customer_id::cust-bob')}`, { key: readerKey });
    assert.equal(jsonl.status, 200);
    const records = String(jsonl.body).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.request.input.text), ['How much money do I have?', INJECTION]);
    assert.equal(records[0].user_id, 'bob');

    assert.equal((await call(lethe.url, 'GET', '/api/v1/logs/export', { key: messageKey })).status, 403);
    assert.equal((await call(lethe.url, 'GET', '/api/v1/logs/export')).status, 401);
    assert.equal((await call(lethe.url, 'GET', '/api/v1/logs/export?filter=%3D%3D', { key: readerKey })).status, 400, 'a bad filter fails before streaming');
    const other = await call(lethe.url, 'GET', '/api/v1/logs/export?format=jsonl', { key: otherInstanceKey });
    assert.equal(other.body ?? '', '', 'another instance exports nothing');
  });

  test('the CLI exports to a file', async () => {
    const out = `${lethe.dir}/export.jsonl`;
    const r = await runCli(lethe.env, ['logs', 'export', '--filter', 'customer_id::cust-alice', '--format', 'jsonl', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /exported 3 logs/);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(out, 'utf8').trimEnd().split('\n').length, 3);
  });

  let aliceLog: string;
  let bobLog: string;
  test('annotations: mark answers, read them back, report effectiveness', async () => {
    const jsonl = await call(lethe.url, 'GET', '/api/v1/logs/export?format=jsonl', { key: readerKey });
    const records = String(jsonl.body).trimEnd().split('\n').map((l) => JSON.parse(l));
    aliceLog = records.find((r) => r.user_id === 'alice').log_id;
    bobLog = records.find((r) => r.request.input.text === INJECTION).log_id;

    const path = (id: string) => `/api/v1/logs/${id}/annotations`;
    const first = await call(lethe.url, 'POST', path(aliceLog), { key: readerKey, body: { verdict: 'correct' } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal((await call(lethe.url, 'POST', path(aliceLog), { key: readerKey, body: { verdict: 'correct', note: 'fine' } })).status, 200);
    const wrong = await call(lethe.url, 'POST', path(bobLog), { key: readerKey, body: { verdict: 'incorrect', root_cause: 'missing_intent', corrected_intent: 'report_fraud' } });
    assert.equal(wrong.status, 201);
    assert.equal((await call(lethe.url, 'POST', path(bobLog), { key: readerKey, body: { verdict: 'incorrect' } })).status, 400, 'an incorrect answer needs a root cause');
    assert.equal((await call(lethe.url, 'POST', path(bobLog), { key: readerKey, body: { verdict: 'incorrect', root_cause: 'bogus' } })).status, 400);
    assert.equal((await call(lethe.url, 'POST', path('no-such-log'), { key: readerKey, body: { verdict: 'correct' } })).status, 404);
    assert.equal((await call(lethe.url, 'POST', path(aliceLog), { key: otherInstanceKey, body: { verdict: 'correct' } })).status, 404, 'another instance cannot see the log');
    assert.equal((await call(lethe.url, 'POST', path(aliceLog), { key: messageKey, body: { verdict: 'correct' } })).status, 403);
    const readOnly = await createKey('logs:read');
    assert.equal((await call(lethe.url, 'POST', path(aliceLog), { key: readOnly, body: { verdict: 'incorrect', root_cause: 'wrong_intent' } })).status, 403, 'reading is not annotating');
    assert.equal((await call(lethe.url, 'GET', path(aliceLog), { key: readOnly })).status, 200);

    const listed = await call(lethe.url, 'GET', path(aliceLog), { key: readerKey });
    assert.equal(listed.body.annotations.length, 1);
    assert.equal(listed.body.annotations[0].note, 'fine');

    const eff = (await call(lethe.url, 'GET', `/api/v1/metrics/effectiveness?from=${today}&to=${today}`, { key: readerKey })).body;
    assert.equal(eff.annotated, 2);
    assert.equal(eff.accuracy, 0.5);
    assert.equal(eff.root_causes.missing_intent, 1);
    assert.deepEqual(eff.missed_intents, [{ intent: 'report_fraud', messages: 1 }]);
  });

  test('deleteUserData: the metrics drop, the annotation goes, and the user ID leaves the database', async () => {
    assert.ok((await storedContent(lethe.databaseUrl)).includes('alice'), 'the user ID is on disk before deletion (the check can fail)');
    const res = await v1.deleteUserData({ customerId: 'cust-alice' });
    const job = await finishedJob(lethe.url, lethe.adminKey, String(res.headers.location).split('/').pop()!);
    assert.equal(job.status, 'completed');
    assert.equal(job.deleted.logs, 3);

    const m = (await overview(readerKey)).body;
    assert.equal(m.messages, 2);
    assert.equal(m.conversations, 1);
    assert.equal(m.unique_users, 1);
    assert.deepEqual(m.outcomes, { contained: 0, escalated: 0, abandoned: 1 });
    assert.deepEqual((await call(lethe.url, 'GET', `/api/v1/logs/${aliceLog}/annotations`, { key: readerKey })).body.annotations, []);
    assert.equal((await call(lethe.url, 'GET', `/api/v1/metrics/effectiveness?from=${today}&to=${today}`, { key: readerKey })).body.annotated, 1);
    assert.equal((await storedContent(lethe.databaseUrl)).includes('alice'), false, 'no per-user aggregate keeps the user ID');
  });
});
