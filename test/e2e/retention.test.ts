import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId } from '../../src/model/ids.js';
import type { EventRecord } from '../../src/model/events.js';
import type { LogRecord } from '../../src/model/logs.js';
import { openStore } from '../../src/store/open-store.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { waitFor } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const DAY = 86_400_000;

function seedLog(text: string, ts: number, sessionId: string | null = null): LogRecord {
  return {
    logId: newId(), instanceId: 'default', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'seeded', sessionId,
    conversationId: 'c', userId: null, customerIds: [`cust-${text}`], deployment: null, language: 'en', snapshot: null, topIntent: null,
    topConfidence: null, entitiesCount: 0, inputText: text, learningOptOut: false, requestTs: ts, responseTs: ts,
    request: { input: { text } }, response: { output: { text: [`answer ${text}`] } },
  };
}

function seedEvent(userId: string, ts: number): EventRecord {
  return {
    eventId: newId(), instanceId: 'default', type: 'search', userId, visitorId: null, visitId: null, anonymous: false, searchUid: null,
    originLevel1: null, language: 'en', ipHash: null, receivedTs: ts, batchId: null, payload: { queryText: `query of ${userId}` },
  };
}

describeEachEngine('retention', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let otherAdmin: string;
  let reader: string;
  before(async () => {
    database = await freshDatabase(engine, 'retention');
    lethe = await startLethe({ databaseUrl: database.url });
    otherAdmin = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'other', '--privileges', 'admin', '--instance', 'other'])).stdout).secret;
    reader = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'r', '--privileges', 'logs:read,user_data:delete,analytics:administrate'])).stdout).secret;
  });
  after(async () => { await lethe.stop(); lethe.cleanup(); await database.drop(); });

  test('settings: retention days are validated, per instance, admin only', async () => {
    const base = lethe.url;
    assert.deepEqual((await call(base, 'GET', '/api/v1/settings', { key: lethe.adminKey })).body, { analytics_enabled: true, log_retention_days: null, event_retention_days: null });
    for (const bad of [0, 3651, 1.5, 'seven', -3]) {
      const res = await call(base, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { log_retention_days: bad } });
      assert.equal(res.status, 400, `log_retention_days ${bad}`);
      assert.equal(res.body.error.code, 'bad_request');
    }
    const set = await call(base, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { log_retention_days: 1, event_retention_days: 1 } });
    assert.deepEqual(set.body, { analytics_enabled: true, log_retention_days: 1, event_retention_days: 1 }, 'fields left out keep their value');
    assert.deepEqual((await call(base, 'GET', '/api/v1/settings', { key: otherAdmin })).body.log_retention_days, null, 'another instance is unaffected');
    const off = await call(base, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { event_retention_days: null } });
    assert.deepEqual(off.body, { analytics_enabled: true, log_retention_days: 1, event_retention_days: null }, 'null keeps forever');
    await call(base, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { event_retention_days: 1 } });
    for (const [method, path] of [['GET', '/api/v1/settings'], ['PUT', '/api/v1/settings'], ['GET', '/api/v1/retention/runs']] as const) {
      const body = method === 'PUT' ? { log_retention_days: 2 } : undefined;
      assert.equal((await call(base, method, path, { body })).status, 401, `${method} ${path} without a key`);
      assert.equal((await call(base, method, path, { key: 'lethe_not-a-key', body })).status, 401, `${method} ${path} with a bad key`);
      assert.equal((await call(base, method, path, { key: reader, body })).status, 403, `${method} ${path} without admin`);
    }
    const cli = await runCli(lethe.env, ['settings', 'show']);
    assert.deepEqual(JSON.parse(cli.stdout), { analytics_enabled: true, log_retention_days: 1, event_retention_days: 1 });
    const refused = await runCli(lethe.env, ['settings', 'set', '--event-retention-days', '4000']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /event_retention_days/);
  });

  test('old logs and events disappear from the API, the word search and the database file; recent ones stay', async () => {
    await lethe.stop();
    const now = Date.now();
    const store = await openStore({ databaseUrl: database.url, sqliteSynchronous: 'FULL' });
    const old = Array.from({ length: 30 }, (_, i) => seedLog(`zanzibarold${i}`, now - 3 * DAY + i * 60_000));
    await store.ingest([
      ...old.map((log) => ({ log })),
      { log: seedLog('quokkafresh', now - 3_600_000) },
      { event: seedEvent('oldvisitorxyz', now - 2 * DAY) },
      { event: seedEvent('newvisitorxyz', now - 60_000) },
    ]);
    await store.close();
    assert.ok((await storedContent(database.url)).includes('zanzibarold7'), 'the seeded text is stored before retention runs');

    lethe = await startLethe({ dir: lethe.dir, adminKey: lethe.adminKey, databaseUrl: database.url, env: { LETHE_RETENTION_INTERVAL_SECONDS: '1' } });
    const runs = await waitFor(async () => (await call(lethe.url, 'GET', '/api/v1/retention/runs', { key: lethe.adminKey })).body.runs, (r: any[]) => r.length > 0);
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0].deleted, { logs: 30, sessions: 0, events: 1, exports: 0 });
    assert.ok(Date.parse(runs[0].log_cutoff) > now - DAY - 60_000 && Date.parse(runs[0].log_cutoff) <= Date.now() - DAY);
    assert.ok(Date.parse(runs[0].finished) >= Date.parse(runs[0].started));

    const logs = async (filter?: string) => (await call(lethe.url, 'GET',
      `/v1/workspaces/seeded/logs?${V}&page_limit=100${filter ? `&filter=${encodeURIComponent(filter)}` : ''}`, { key: lethe.adminKey })).body.logs
      .map((l: { request: { input: { text: string } } }) => l.request.input.text);
    assert.deepEqual(await logs(), ['quokkafresh']);
    assert.deepEqual(await logs('request.input.text:zanzibarold7'), [], 'no word of an expired log is found');
    assert.deepEqual(await logs('response.output.text:zanzibarold7'), []);
    assert.deepEqual(await logs('request.input.text:quokkafresh'), ['quokkafresh']);
    assert.deepEqual(await logs('customer_id::cust-zanzibarold3'), []);
    const overview = async (user: string) => (await call(lethe.url, 'GET', `/rest/ua/v15/users/${user}/overview`, { headers: { authorization: `Bearer ${lethe.adminKey}` } })).body;
    assert.equal((await overview('oldvisitorxyz')).events.length, 0);
    assert.equal((await overview('newvisitorxyz')).events.length, 1);

    // SQLite: the bytes of the file and its WAL; PostgreSQL: every row of every table (README, "PostgreSQL").
    const bytes = await storedContent(database.url);
    for (const gone of ['zanzibarold', 'oldvisitorxyz', 'cust-zanzibarold']) assert.ok(!bytes.includes(gone), `${gone} is gone from the database`);
    assert.ok(bytes.includes('quokkafresh'), 'recent logs stay');

    // Nothing more to delete: no further run is recorded.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await call(lethe.url, 'GET', '/api/v1/retention/runs', { key: lethe.adminKey })).body.runs.length, 1);
    assert.deepEqual((await call(lethe.url, 'GET', '/api/v1/retention/runs', { key: otherAdmin })).body.runs, [], 'runs are per instance');
    const cli = await runCli(lethe.env, ['retention', 'runs']);
    assert.equal(JSON.parse(cli.stdout)[0].run_id, runs[0].run_id);
  });
});
