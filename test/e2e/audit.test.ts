import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, queryRows, type FreshDatabase } from '../helpers/test-engines.js';
import { finishedJob, waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const CUSTOMER = 'audit-customer-4711@example.com';
const CLI_CUSTOMER = 'audit-cli-customer-0815';
const USER = 'audit-analytics-user-9931';
const MESSAGE = 'is my zanzibar mortgage balance overdue';
const KEY_NAME = 'Dana Scully support key';

interface Entry { seq: number; actor: string; action: string; target: string | null; details: Record<string, unknown>; hash: string }

describeEachEngine('the audit trail, through the real server and CLI', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let admin: string;
  const cliActor = `cli:${userInfo().username}`;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const entries = async (key = lethe.adminKey): Promise<Entry[]> => (await call(lethe.url, 'GET', '/api/v1/audit?limit=1000', { key })).body.entries;
  const verifyCli = (...args: string[]) => runCli(lethe.env, ['audit', 'verify', ...args]);

  before(async () => {
    database = await freshDatabase(engine, 'audit');
    lethe = await startLethe({ databaseUrl: database.url });
    const keys = await call(lethe.url, 'GET', '/api/v1/keys', { key: lethe.adminKey });
    admin = `key:${keys.body.keys.find((k: { name: string }) => k.name.startsWith('admin')).key_id}`;
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('privileged operations are recorded with actor, action and target, and the table holds no personal data', async () => {
    const key = (await call(lethe.url, 'POST', '/api/v1/keys', { key: lethe.adminKey, body: { name: KEY_NAME, privileges: ['message', 'workspaces:write'] } })).body;
    const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: key.secret, body: bankingWorkspace })).body;
    const reply = await call(lethe.url, 'POST', `/v1/workspaces/${ws.workspace_id}/message?${V}`, {
      key: key.secret, body: { input: { text: MESSAGE } }, headers: { 'x-watson-metadata': `customer_id=${CUSTOMER}` },
    });
    assert.equal(reply.status, 200);
    const deletion = await call(lethe.url, 'DELETE', `/v2/user_data?${V}&customer_id=${encodeURIComponent(CUSTOMER)}`, { key: lethe.adminKey });
    const job = await finishedJob(lethe.url, lethe.adminKey, deletion.headers.get('location')!);
    assert.equal(job.status, 'completed');

    await call(lethe.url, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { analytics_enabled: false } });
    await call(lethe.url, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { analytics_enabled: true } });
    const ua = new CoveoAnalyticsClient({ token: lethe.adminKey, endpoint: `${lethe.url}/rest/ua` });
    await ua.sendCustomEvent({ eventType: 'chat', eventValue: 'opened', language: 'en', username: USER });
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/users/${USER}/overview`, { headers: bearer(lethe.adminKey) })).status, 200);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const created = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=${from}&to=${to}&format=JSON&f=${encodeURIComponent(`userid=="${USER}"`)}&d=${encodeURIComponent(`DSR for ${USER}`)}`, { headers: bearer(lethe.adminKey) });
    const exportId: string = created.body.id;
    await waitFor(async () => (await call(lethe.url, 'GET', `/rest/ua/v15/exports/${exportId}`, { headers: bearer(lethe.adminKey) })).body.status, (s) => s !== 'PENDING');
    const shared = await call(lethe.url, 'POST', `/api/v1/exports/${exportId}/share`, { key: lethe.adminKey });
    assert.equal((await fetch(shared.body.url)).status, 200);
    assert.equal((await call(lethe.url, 'DELETE', `/rest/ua/v15/exports/${exportId}`, { headers: bearer(lethe.adminKey) })).status, 204);

    const assistant = (await call(lethe.url, 'POST', '/api/v1/assistants', { key: lethe.adminKey, body: { name: 'Audit bot', workspace_id: ws.workspace_id } })).body;
    await call(lethe.url, 'PATCH', `/api/v1/assistants/${assistant.assistant_id}`, { key: lethe.adminKey, body: { workspace_id: null } });
    await call(lethe.url, 'DELETE', `/api/v1/assistants/${assistant.assistant_id}`, { key: lethe.adminKey });
    await call(lethe.url, 'DELETE', `/v1/workspaces/${ws.workspace_id}?${V}`, { key: key.secret });
    assert.equal((await call(lethe.url, 'DELETE', `/api/v1/keys/${key.key_id}`, { key: lethe.adminKey })).status, 204);
    const cli = await runCli(lethe.env, ['delete-user', '--customer-id', CLI_CUSTOMER]);
    assert.equal(cli.code, 0, cli.stderr);
    const cliJob = JSON.parse(cli.stdout);

    const all = await entries();
    const find = (action: string, target: string | null, actor?: string) => {
      const e = all.find((x) => x.action === action && x.target === target && (actor === undefined || x.actor === actor));
      assert.ok(e, `${action} of ${target} by ${actor ?? 'anyone'} in ${JSON.stringify(all.map((x) => [x.actor, x.action, x.target]))}`);
      return e;
    };
    assert.deepEqual(find('key.create', key.key_id, admin).details, { privileges: 'message,workspaces:write' });
    find('workspace.create', ws.workspace_id, `key:${key.key_id}`);
    const request = find('dsr.deletion.request', job.job_id, admin);
    assert.deepEqual([request.details.subject_kind, request.details.subject_hash], ['customer_id', job.subject.hash], 'the subject as the receipt names it');
    for (const action of ['dsr.deletion.verify', 'dsr.deletion.complete']) {
      const outcome = find(action, job.job_id, 'system');
      assert.deepEqual([outcome.details.deleted_logs, outcome.details.subject_hash], [1, job.subject.hash]);
    }
    assert.deepEqual(all.filter((e) => e.action === 'settings.update').map((e) => e.details.analytics_enabled), [true, false]);
    assert.equal(find('dsr.access', null, admin).details.subject_kind, 'user_id');
    assert.deepEqual(find('export.create', exportId, admin).details.filters, 1);
    find('export.share', exportId, admin);
    assert.equal(find('export.download', exportId, 'share-link').details.via, 'share_link');
    find('export.delete', exportId, admin);
    for (const action of ['assistant.create', 'assistant.update', 'assistant.delete']) find(action, assistant.assistant_id, admin);
    find('workspace.delete', ws.workspace_id, `key:${key.key_id}`);
    find('key.revoke', key.key_id, admin);
    find('dsr.deletion.request', cliJob.job_id, cliActor);
    find('dsr.deletion.complete', cliJob.job_id, 'system');
    assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => all.length - i), 'newest first, without gaps');

    const verified = await call(lethe.url, 'GET', '/api/v1/audit/verify', { key: lethe.adminKey });
    assert.deepEqual([verified.body.ok, verified.body.entries, verified.body.head.hash], [true, all.length, all[0]!.hash]);
    const head = await call(lethe.url, 'GET', '/api/v1/audit/head', { key: lethe.adminKey });
    assert.deepEqual([head.body.seq, head.body.anchor], [all.length, `${all.length}:${all[0]!.hash}`]);

    const stored = JSON.stringify([await queryRows(lethe.databaseUrl, 'SELECT * FROM audit_entries'), await queryRows(lethe.databaseUrl, 'SELECT * FROM audit_heads')]);
    for (const personal of [CUSTOMER, CLI_CUSTOMER, USER, 'zanzibar', 'Dana Scully']) assert.equal(stored.includes(personal), false, `${personal} in the audit tables`);
  });

  test('access: no key 401, a key without admin 403, another instance\'s admin sees only its own trail', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit/head', '/api/v1/audit/verify']) {
      const none = await call(lethe.url, 'GET', path);
      assert.deepEqual([none.status, none.body.error.code], [401, 'unauthorized'], path);
    }
    const reader = (await call(lethe.url, 'POST', '/api/v1/keys', { key: lethe.adminKey, body: { name: 'r', privileges: ['logs:read', 'user_data:delete'] } })).body;
    for (const path of ['/api/v1/audit', '/api/v1/audit/head', '/api/v1/audit/verify']) {
      const denied = await call(lethe.url, 'GET', path, { key: reader.secret });
      assert.deepEqual([denied.status, denied.body.error.code], [403, 'forbidden'], path);
    }
    const bad = await call(lethe.url, 'GET', '/api/v1/audit?limit=0', { key: lethe.adminKey });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'bad_request']);
    const badHead = await call(lethe.url, 'GET', '/api/v1/audit/verify?expect_head=nothex', { key: lethe.adminKey });
    assert.deepEqual([badHead.status, badHead.body.error.code], [400, 'bad_request']);

    const created = await runCli(lethe.env, ['keys', 'create', '--instance', 'other', '--name', 'o', '--privileges', 'admin']);
    const other = JSON.parse(created.stdout);
    const seen = await entries(other.secret);
    assert.deepEqual(seen.map((e) => [e.seq, e.actor, e.action, e.target]), [[1, cliActor, 'key.create', other.key_id]]);
    const otherVerify = await call(lethe.url, 'GET', '/api/v1/audit/verify', { key: other.secret });
    assert.deepEqual([otherVerify.body.instance_id, otherVerify.body.entries], ['other', 1]);
    assert.ok((await entries()).some((e) => e.target === reader.key_id), 'the default instance keeps its own');
  });

  // Tampering edits the SQLite file directly; on PostgreSQL the chain and its verification are the same code.
  if (engine === 'sqlite') describe('tampering with the SQLite file is found by `lethe audit verify`', () => {
    let db: Database.Database;
    type Row = Record<string, unknown>;
    const row = (seq: number) => db.prepare(`SELECT * FROM audit_entries WHERE instance_id = 'default' AND seq = ?`).get(seq) as Row;
    const insert = (r: Row) => db.prepare(`INSERT INTO audit_entries VALUES (@instance_id, @seq, @entry_id, @at, @actor, @action, @target, @details, @prev_hash, @hash)`).run(r);
    const last = () => (db.prepare(`SELECT max(seq) AS n FROM audit_entries WHERE instance_id = 'default'`).get() as { n: number }).n;
    const broken = async (args: string[] = []) => {
      const r = await verifyCli(...args);
      assert.equal(r.code, 1, `verify must fail: ${r.stdout}`);
      const out = JSON.parse(r.stdout);
      assert.match(r.stderr, new RegExp(`broken at entry ${out.broken.seq} \\(${out.broken.problem}\\)`));
      const { seq, entry_id, problem } = out.broken as { seq: number; entry_id: string | null; problem: string };
      return { seq, entry_id, problem };
    };
    const intact = async (args: string[] = []) => {
      const r = await verifyCli(...args);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      return JSON.parse(r.stdout);
    };

    before(() => { db = new Database(lethe.databaseUrl.slice('sqlite:'.length)); });
    after(() => db.close());

    test('an edited row: hash mismatch at that entry, in the CLI and the API', async () => {
      await intact();
      const third = row(3);
      db.prepare(`UPDATE audit_entries SET details = ? WHERE instance_id = 'default' AND seq = 3`).run(JSON.stringify({ privileges: 'admin' }));
      assert.deepEqual(await broken(), { seq: 3, entry_id: third.entry_id, problem: 'hash_mismatch' });
      const api = await call(lethe.url, 'GET', '/api/v1/audit/verify', { key: lethe.adminKey });
      assert.deepEqual([api.body.ok, api.body.entries, api.body.broken.seq, api.body.broken.problem], [false, 2, 3, 'hash_mismatch']);
      db.prepare(`UPDATE audit_entries SET details = ? WHERE instance_id = 'default' AND seq = 3`).run(third.details);
      await intact();
    });

    test('a middle row deleted: a gap, named by the entry after it', async () => {
      const fourth = row(4);
      db.prepare(`DELETE FROM audit_entries WHERE instance_id = 'default' AND seq = 4`).run();
      assert.deepEqual(await broken(), { seq: 5, entry_id: row(5).entry_id, problem: 'sequence_gap' });
      insert(fourth);
      await intact();
    });

    test('the last rows deleted: truncated per the stored head; with the head forged too, only the anchor kept elsewhere tells', async () => {
      const anchor = JSON.parse((await runCli(lethe.env, ['audit', 'head'])).stdout).anchor as string;
      const n = last();
      const tail = [row(n - 1), row(n)];
      const headRow = db.prepare(`SELECT * FROM audit_heads WHERE instance_id = 'default'`).get() as Row;
      db.prepare(`DELETE FROM audit_entries WHERE instance_id = 'default' AND seq >= ?`).run(n - 1);
      assert.deepEqual(await broken(), { seq: n - 1, entry_id: null, problem: 'truncated' });

      db.prepare(`UPDATE audit_heads SET seq = ?, hash = ? WHERE instance_id = 'default'`).run(n - 2, row(n - 2).hash);
      await intact();
      assert.deepEqual(await broken(['--expect-head', anchor]), { seq: n - 1, entry_id: null, problem: 'truncated' });

      for (const r of tail) insert(r);
      db.prepare(`UPDATE audit_heads SET seq = ?, hash = ? WHERE instance_id = 'default'`).run(headRow.seq, headRow.hash);
      assert.equal((await intact(['--expect-head', anchor])).entries, n);
    });

    test('two rows reordered: the link to the previous entry breaks', async () => {
      db.transaction(() => {
        db.prepare(`UPDATE audit_entries SET seq = -1 WHERE instance_id = 'default' AND seq = 2`).run();
        db.prepare(`UPDATE audit_entries SET seq = 2 WHERE instance_id = 'default' AND seq = 3`).run();
        db.prepare(`UPDATE audit_entries SET seq = 3 WHERE instance_id = 'default' AND seq = -1`).run();
      })();
      const b = await broken();
      assert.deepEqual([b.seq, b.problem], [2, 'previous_hash_mismatch']);
      db.transaction(() => {
        db.prepare(`UPDATE audit_entries SET seq = -1 WHERE instance_id = 'default' AND seq = 2`).run();
        db.prepare(`UPDATE audit_entries SET seq = 2 WHERE instance_id = 'default' AND seq = 3`).run();
        db.prepare(`UPDATE audit_entries SET seq = 3 WHERE instance_id = 'default' AND seq = -1`).run();
      })();
      await intact(['--all-instances']);
    });
  });
});
