import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import AssistantV1 from 'ibm-watson/assistant/v1.js';
import AssistantV2 from 'ibm-watson/assistant/v2.js';
import { BasicAuthenticator } from 'ibm-watson/auth/index.js';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { waitFor } from '../helpers/wait.js';

const VERSION = '2021-06-14';
// Values no other test sends, so finding them in the database file can only mean this test stored them.
const CARD = '4556 7375 8689 9855';
const SSN = '219-09-9999';
const EMAIL = 'zanzibar.quill@example.org';
const SAID = `refund my card ${CARD}, ssn ${SSN}, mail ${EMAIL}`;

describeEachEngine('masking and PII', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let v1: AssistantV1;
  let v2: AssistantV2;
  let workspaceId: string;
  let assistantId: string;
  let otherAdmin: string;
  let reader: string;
  let writer: string;
  let dir: string;

  const cli = async (...args: string[]) => {
    const r = await runCli(lethe.env, args);
    assert.equal(r.code, 0, `lethe ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const key = async (privileges: string, instance = 'default') => JSON.parse(await cli('keys', 'create', '--name', privileges, '--privileges', privileges, '--instance', instance)).secret as string;
  const api = (method: string, path: string, k: string | undefined, body?: unknown) => call(lethe.url, method, path, { key: k, body });

  before(async () => {
    database = await freshDatabase(engine, 'privacy');
    lethe = await startLethe({ databaseUrl: database.url });
    dir = mkdtempSync(join(tmpdir(), 'lethe-pii-'));
    const authenticator = new BasicAuthenticator({ username: 'apikey', password: lethe.adminKey });
    v1 = new AssistantV1({ version: VERSION, authenticator, serviceUrl: lethe.url });
    v2 = new AssistantV2({ version: VERSION, authenticator, serviceUrl: lethe.url });
    otherAdmin = await key('admin', 'other');
    reader = await key('logs:read,workspaces:read');
    writer = await key('message,workspaces:write');
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  test('uploading training data with personal data is flagged in a header, and the report says where without the values', async () => {
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    const intents = [...rest.intents, { intent: 'contact', examples: [{ text: 'reach me at clinic.intake@example.net' }, { text: 'call me back' }] }];
    const created = await v1.createWorkspace({ ...rest, intents, dialogNodes });
    assert.equal(created.status, 201);
    assert.equal(created.headers['x-lethe-pii-warnings'], '1');
    workspaceId = created.result.workspace_id!;
    // Log lines are flushed every 250 ms.
    const log = await waitFor(async () => lethe.output(), (o) => o.includes('piiFindings'));
    assert.match(log, /"piiFindings":\{"email":1,/);
    assert.ok(!log.includes('clinic.intake'), 'the server log holds the count, never the text');

    const report = await api('GET', `/api/v1/workspaces/${workspaceId}/pii-report`, reader);
    assert.equal(report.status, 200);
    assert.deepEqual(report.body.findings, [{ location: { section: 'intents', intent: 'contact', example: 0 }, kind: 'email', excerpt: 'reach me at [EMAIL]' }]);
    assert.equal(report.body.total, 1);

    const updated = await v1.updateWorkspace({ workspaceId, intents: rest.intents });
    assert.equal(updated.headers['x-lethe-pii-warnings'], '0', 'the cleaned workspace has nothing left');
    assert.equal((await api('GET', `/api/v1/workspaces/${workspaceId}/pii-report`, reader)).body.total, 0);
    assistantId = (await api('POST', '/api/v1/assistants', lethe.adminKey, { workspace_id: workspaceId })).body.assistant_id;
  });

  test('by default cards, SSNs and emails are redacted in the stored log; the reply to the client is not', async () => {
    assert.deepEqual((await api('GET', '/api/v1/redaction', lethe.adminKey)).body, {
      detectors: { email: true, phone: false, card: true, iban: true, ssn: true, ip: false }, is_default: true,
    });
    const r1 = await v1.message({ workspaceId, input: { text: SAID }, headers: { 'X-Watson-Metadata': 'customer_id=pii-cust' } });
    assert.equal(r1.result.input.text, SAID, 'v1 echoes the input as sent');
    const session = (await v2.createSession({ assistantId, environmentId: assistantId })).result.session_id;
    const r2 = await v2.message({ assistantId, environmentId: assistantId, sessionId: session, input: { text: `what is my balance? ${EMAIL}` } });
    assert.equal(r2.status, 200);

    const stored = (await v1.listLogs({ workspaceId })).result.logs;
    assert.equal(stored.length, 2);
    assert.equal(stored[0]!.request.input?.text, 'refund my card [CARD], ssn [SSN], mail [EMAIL]');
    assert.equal(stored[0]!.response.input?.text, 'refund my card [CARD], ssn [SSN], mail [EMAIL]');
    const v2Logs = (await v2.listLogs({ assistantId })).result.logs;
    assert.equal((v2Logs[0]!.request as { input: { text: string } }).input.text, 'what is my balance? [EMAIL]');

    const search = async (filter: string) => (await v1.listLogs({ workspaceId, filter })).result.logs.length;
    assert.equal(await search('request.input.text:refund'), 1, 'the log is indexed');
    for (const word of ['zanzibar', 'quill', '4556', '9855', '219']) assert.equal(await search(`request.input.text:${word}`), 0, word);
    assert.equal(await search('request.input.text:"zanzibar.quill@example.org"'), 0);

    const onDisk = (await storedContent(lethe.databaseUrl));
    for (const raw of [CARD, CARD.replace(/ /g, ''), SSN, EMAIL, 'zanzibar']) assert.equal(onDisk.includes(raw), false, `${raw} is on disk`);
  });

  test('an admin chooses the detectors; with email redaction off, an email is stored as sent (so the check above can fail)', async () => {
    const put = await api('PUT', '/api/v1/redaction', lethe.adminKey, { detectors: { email: false, phone: true } });
    assert.deepEqual(put.body, { detectors: { email: false, phone: true, card: true, iban: true, ssn: true, ip: false }, is_default: false });
    assert.equal((await api('PUT', '/api/v1/redaction', lethe.adminKey, { detectors: { fax: true } })).status, 400);
    assert.equal((await api('PUT', '/api/v1/redaction', lethe.adminKey, { detectors: {} })).status, 400);
    await v1.message({ workspaceId, input: { text: 'plain.marker@example.org or +44 20 7946 0958' } });
    const last = (await v1.listLogs({ workspaceId, sort: '-request_timestamp', pageLimit: 1 })).result.logs[0]!;
    assert.equal(last.request.input?.text, 'plain.marker@example.org or [PHONE]');
    assert.ok((await storedContent(lethe.databaseUrl)).includes('plain.marker@example.org'));

    assert.deepEqual(JSON.parse(await cli('redaction', 'set', '--enable', 'email,ip', '--disable', 'phone')).detectors,
      { email: true, phone: false, card: true, iban: true, ssn: true, ip: true });
    assert.deepEqual(JSON.parse(await cli('redaction', 'show')).detectors.ip, true);
    const bad = await runCli(lethe.env, ['redaction', 'set', '--enable', 'fax']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown detector fax/);
  });

  test('a Coveo search with an email in queryText is stored redacted when email redaction is on, as sent when off', async () => {
    const ua = new CoveoAnalyticsClient({ token: lethe.adminKey, endpoint: `${lethe.url}/rest/ua` });
    const search = (queryText: string, username: string) => ua.sendSearchEvent({
      searchQueryUid: randomUUID(), queryText, actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username,
      customData: { contact: `mail ${queryText}` },
    });
    const storedQuery = async (username: string) => {
      const o = (await call(lethe.url, 'GET', `/rest/ua/v15/users/${username}/overview`, { headers: { authorization: `Bearer ${lethe.adminKey}` } })).body;
      return o.events[0].payload as { queryText: string; customData: Record<string, string> };
    };
    // The CLI changed the settings in another process; the server sees them within its 5-second cache.
    await new Promise((resolve) => setTimeout(resolve, 5200));
    await search(`invoice for ${EMAIL}`, 'ua-on');
    const on = await storedQuery('ua-on');
    assert.equal(on.queryText, 'invoice for [EMAIL]');
    assert.deepEqual(on.customData, { contact: 'mail invoice for [EMAIL]' });

    await api('PUT', '/api/v1/redaction', lethe.adminKey, { detectors: { email: false } });
    await search('invoice for other.person@example.org', 'ua-off');
    assert.equal((await storedQuery('ua-off')).queryText, 'invoice for other.person@example.org');
    await api('PUT', '/api/v1/redaction', lethe.adminKey, { detectors: { email: true } });
    assert.equal((await storedContent(lethe.databaseUrl)).includes(EMAIL), false);
  });

  test('the training-data export leaves out opted-out messages and opted-out workspaces', async () => {
    await v1.message({ workspaceId, input: { text: 'what is my balance' } });
    await v1.message({ workspaceId, input: { text: 'transfer money secretly' }, headers: { 'X-Watson-Learning-Opt-Out': 'true' } });
    const { dialog_nodes: dialogNodes, ...rest } = bankingWorkspace;
    const closed = (await v1.createWorkspace({ ...rest, name: 'Closed', learningOptOut: true, dialogNodes })).result.workspace_id!;
    await v1.message({ workspaceId: closed, input: { text: 'what is my balance in the closed skill' } });

    const jsonl = await call(lethe.url, 'GET', '/api/v1/training-data', { key: reader });
    assert.equal(jsonl.status, 200);
    assert.match(jsonl.headers.get('content-type')!, /application\/x-ndjson/);
    const rows = String(jsonl.body).trimEnd().split('\n').map((l) => JSON.parse(l) as { utterance: string; intent: string; confidence: number; workspace_id: string });
    const utterances = rows.map((r) => r.utterance);
    assert.ok(utterances.includes('what is my balance'));
    assert.ok(utterances.includes('refund my card [CARD], ssn [SSN], mail [EMAIL]'), 'text is exported as stored, redacted');
    assert.equal(utterances.some((u) => u.includes('secretly')), false, 'a message sent with X-Watson-Learning-Opt-Out never appears');
    assert.equal(utterances.some((u) => u.includes('closed skill')), false, 'nothing of a workspace with learning_opt_out appears');
    const balance = rows.find((r) => r.utterance === 'what is my balance')!;
    assert.equal(balance.intent, 'check_balance');
    assert.ok(balance.confidence > 0.5);

    const csv = await call(lethe.url, 'GET', `/api/v1/training-data?format=csv&workspace_id=${workspaceId}&from=2020-01-01`, { key: reader });
    const lines = String(csv.body).trimEnd().split('\r\n');
    assert.equal(lines[0], 'utterance,intent,confidence,request_timestamp,workspace_id,assistant_id,log_id');
    assert.equal(lines.length, rows.length + 1);
    assert.equal(String(csv.body).includes('secretly'), false);
    const future = await call(lethe.url, 'GET', '/api/v1/training-data?from=2999-01-01', { key: reader });
    assert.equal(future.body, undefined, 'a range with nothing in it is an empty export');
    assert.equal((await call(lethe.url, 'GET', `/api/v1/training-data?workspace_id=${closed}`, { key: reader })).body, undefined);
    assert.equal((await call(lethe.url, 'GET', '/api/v1/training-data?from=yesterday', { key: reader })).status, 400);

    const file = join(dir, 'training.jsonl');
    await cli('training-data', 'export', '--workspace-id', workspaceId, '--output', file);
    const exported = readFileSync(file, 'utf8');
    assert.ok(exported.includes('what is my balance'));
    assert.equal(exported.includes('secretly'), false);
    assert.equal((await cli('training-data', 'export', '--format', 'csv')).includes('secretly'), false);
  });

  test('lethe workspaces scan reports personal data in a file before it is uploaded', async () => {
    const file = join(dir, 'workspace.json');
    writeFileSync(file, JSON.stringify({ ...bankingWorkspace, counterexamples: [{ text: `my iban is DE89 3704 0044 0532 0130 00` }] }));
    const r = await runCli({ ...lethe.env, LETHE_DATABASE_URL: 'sqlite::memory:' }, ['workspaces', 'scan', file, '--fail-on-pii']);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.findings, [{ location: { section: 'counterexamples', example: 0 }, kind: 'iban', excerpt: 'my iban is [IBAN]' }]);
    assert.equal(r.stdout.includes('DE89'), false);
    writeFileSync(file, JSON.stringify(bankingWorkspace));
    assert.equal(JSON.parse(await cli('workspaces', 'scan', file)).total, 0);
  });

  test('every new route: 401 without a key, 403 without the privilege, and no access to another instance', async () => {
    const routes: { method: string; path: string; privileged: string; body?: unknown }[] = [
      { method: 'GET', path: '/api/v1/redaction', privileged: lethe.adminKey },
      { method: 'PUT', path: '/api/v1/redaction', privileged: lethe.adminKey, body: { detectors: { ip: false } } },
      { method: 'GET', path: `/api/v1/workspaces/${workspaceId}/pii-report`, privileged: reader },
      { method: 'GET', path: '/api/v1/training-data', privileged: reader },
    ];
    for (const r of routes) {
      const anonymous = await api(r.method, r.path, undefined, r.body);
      assert.equal(anonymous.status, 401, `${r.method} ${r.path}`);
      assert.equal(anonymous.body.error.code, 'unauthorized');
      const weak = await api(r.method, r.path, r.privileged === lethe.adminKey ? reader : writer, r.body);
      assert.equal(weak.status, 403, `${r.method} ${r.path}`);
      assert.equal(weak.body.error.code, 'forbidden');
      assert.equal((await api(r.method, r.path, r.privileged, r.body)).status, 200, `${r.method} ${r.path}`);
    }
    // Another instance's admin: its own redaction settings, not this workspace, none of these utterances.
    assert.equal((await api('GET', '/api/v1/redaction', otherAdmin)).body.is_default, true);
    await api('PUT', '/api/v1/redaction', otherAdmin, { detectors: { card: false } });
    assert.equal((await api('GET', '/api/v1/redaction', lethe.adminKey)).body.detectors.card, true);
    assert.equal((await api('GET', `/api/v1/workspaces/${workspaceId}/pii-report`, otherAdmin)).status, 404);
    assert.equal((await api('GET', `/api/v1/training-data?workspace_id=${workspaceId}`, otherAdmin)).status, 404);
    assert.equal((await api('GET', '/api/v1/training-data', otherAdmin)).body, undefined, 'the other instance has no utterances');
  });
});
