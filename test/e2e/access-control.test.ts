import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { finishedJob } from '../helpers/wait.js';

const V = 'version=2021-06-14';
const PRIVILEGES = ['message', 'logs:read', 'logs:annotate', 'user_data:read', 'user_data:delete', 'workspaces:read', 'workspaces:write', 'analytics:write', 'analytics:administrate', 'analytics:exports'] as const;

interface Route { method: string; path: string; privilege: (typeof PRIVILEGES)[number] | 'admin'; body?: unknown }

describe('authentication, privileges and instance isolation', () => {
  let lethe: LetheProcess;
  const keys: Record<string, string> = {};
  let otherAdmin: string;
  let ws: string;
  let assistant: string;
  let session: string;
  let otherWs: string;

  async function createKey(privileges: string, instance = 'default'): Promise<string> {
    const r = await runCli(lethe.env, ['keys', 'create', '--name', `test ${privileges}`, '--privileges', privileges, '--instance', instance]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).secret;
  }

  before(async () => {
    lethe = await startLethe();
    for (const p of PRIVILEGES) keys[p] = await createKey(p);
    otherAdmin = await createKey('admin', 'other');
    ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
    assistant = (await call(lethe.url, 'POST', '/api/v1/assistants', { key: lethe.adminKey, body: { workspace_id: ws } })).body.assistant_id;
    session = (await call(lethe.url, 'POST', `/v2/assistants/${assistant}/sessions?${V}`, { key: lethe.adminKey, body: {} })).body.session_id;
    otherWs = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: otherAdmin, body: bankingWorkspace })).body.workspace_id;
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  function routes(): Route[] {
    return [
      { method: 'POST', path: `/v1/workspaces?${V}`, privilege: 'workspaces:write', body: { name: 'x' } },
      { method: 'GET', path: `/v1/workspaces?${V}`, privilege: 'workspaces:read' },
      { method: 'GET', path: `/v1/workspaces/${ws}?${V}`, privilege: 'workspaces:read' },
      { method: 'POST', path: `/v1/workspaces/${ws}?${V}`, privilege: 'workspaces:write', body: { description: 'd' } },
      { method: 'POST', path: `/v1/workspaces/${ws}/message?${V}`, privilege: 'message', body: { input: { text: 'hi' } } },
      { method: 'GET', path: `/v1/workspaces/${ws}/logs?${V}`, privilege: 'logs:read' },
      { method: 'GET', path: `/v1/logs?${V}&filter=language::en,workspace_id::${ws}`, privilege: 'logs:read' },
      { method: 'DELETE', path: `/v1/user_data?${V}&customer_id=nobody`, privilege: 'user_data:delete' },
      { method: 'DELETE', path: `/v2/user_data?${V}&customer_id=nobody`, privilege: 'user_data:delete' },
      { method: 'POST', path: `/v2/assistants?${V}`, privilege: 'workspaces:write', body: { name: 'a' } },
      { method: 'GET', path: `/v2/assistants?${V}`, privilege: 'workspaces:read' },
      { method: 'GET', path: `/v2/assistants/${assistant}/environments?${V}`, privilege: 'workspaces:read' },
      { method: 'GET', path: `/v2/assistants/${assistant}/environments/${assistant}?${V}`, privilege: 'workspaces:read' },
      { method: 'POST', path: `/v2/assistants/${assistant}/sessions?${V}`, privilege: 'message', body: {} },
      { method: 'POST', path: `/v2/assistants/${assistant}/environments/${assistant}/sessions?${V}`, privilege: 'message', body: {} },
      { method: 'POST', path: `/v2/assistants/${assistant}/sessions/${session}/message?${V}`, privilege: 'message', body: { input: { text: 'hi' } } },
      { method: 'POST', path: `/v2/assistants/${assistant}/environments/${assistant}/sessions/${session}/message?${V}`, privilege: 'message', body: { input: { text: 'hi' } } },
      { method: 'POST', path: `/v2/assistants/${assistant}/message?${V}`, privilege: 'message', body: { input: { text: 'hi' } } },
      { method: 'POST', path: `/v2/assistants/${assistant}/environments/${assistant}/message?${V}`, privilege: 'message', body: { input: { text: 'hi' } } },
      { method: 'GET', path: `/v2/assistants/${assistant}/logs?${V}`, privilege: 'logs:read' },
      { method: 'GET', path: '/api/v1/logs?filter=language::en', privilege: 'logs:read' },
      { method: 'GET', path: '/api/v1/keys', privilege: 'admin' },
      { method: 'POST', path: '/api/v1/keys', privilege: 'admin', body: { name: 'k', privileges: ['message'] } },
      { method: 'GET', path: '/api/v1/assistants', privilege: 'workspaces:read' },
      { method: 'GET', path: `/api/v1/assistants/${assistant}`, privilege: 'workspaces:read' },
      { method: 'PATCH', path: `/api/v1/assistants/${assistant}`, privilege: 'workspaces:write', body: { name: 'renamed' } },
      { method: 'POST', path: '/api/v1/assistants', privilege: 'workspaces:write', body: { name: 'b' } },
      { method: 'GET', path: '/api/v1/jobs', privilege: 'user_data:delete' },
      { method: 'GET', path: '/api/v1/audit', privilege: 'admin' },
      { method: 'GET', path: '/api/v1/audit/head', privilege: 'admin' },
      { method: 'GET', path: '/api/v1/audit/verify', privilege: 'admin' },
      { method: 'GET', path: '/api/v1/metrics/overview', privilege: 'logs:read' },
      { method: 'GET', path: '/api/v1/metrics/effectiveness', privilege: 'logs:read' },
      { method: 'GET', path: '/api/v1/logs/export?format=jsonl', privilege: 'logs:read' },
      { method: 'GET', path: '/api/v1/logs/any-log/annotations', privilege: 'logs:read' },
      // Destructive routes last, so the matrix does not remove what later rows use.
      { method: 'DELETE', path: `/v2/assistants/${assistant}/sessions/${session}?${V}`, privilege: 'message' },
      { method: 'DELETE', path: `/v1/workspaces/${ws}?${V}`, privilege: 'workspaces:write' },
    ];
  }

  test('every route: no key and a wrong key are 401, a key without the privilege is 403, the right key passes', async () => {
    for (const r of routes()) {
      const label = `${r.method} ${r.path.split('?')[0]}`;
      const none = await call(lethe.url, r.method, r.path, { body: r.body });
      assert.equal(none.status, 401, `${label} without a key`);
      const wrong = await call(lethe.url, r.method, r.path, { key: 'lethe_not-a-key', body: r.body });
      assert.equal(wrong.status, 401, `${label} with an unknown key`);
      for (const p of PRIVILEGES) {
        if (p === r.privilege) continue;
        const denied = await call(lethe.url, r.method, r.path, { key: keys[p], body: r.body });
        assert.equal(denied.status, 403, `${label} with only ${p}`);
      }
      const key = r.privilege === 'admin' ? lethe.adminKey : keys[r.privilege]!;
      const ok = await call(lethe.url, r.method, r.path, { key, body: r.body });
      assert.ok(ok.status < 300, `${label} with ${r.privilege}: ${ok.status} ${JSON.stringify(ok.body)}`);
    }
  });

  test('every Coveo route: no key and a wrong key are 400 InvalidToken (as Coveo), a key without the privilege is 403', async () => {
    const search = { searchQueryUid: 'sq', queryText: 'q', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en' };
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const coveo: Route[] = [
      ...['/rest/ua/v15', '/rest/v15'].flatMap((base): Route[] => [
        { method: 'POST', path: `${base}/analytics/search`, privilege: 'analytics:write', body: search },
        { method: 'POST', path: `${base}/analytics/searches`, privilege: 'analytics:write', body: [search] },
        { method: 'POST', path: `${base}/analytics/click`, privilege: 'analytics:write', body: { searchQueryUid: 'sq', documentPosition: 1, actionCause: 'documentOpen', sourceName: 's' } },
        { method: 'POST', path: `${base}/analytics/custom`, privilege: 'analytics:write', body: { eventType: 'a', eventValue: 'b' } },
        { method: 'POST', path: `${base}/analytics/view`, privilege: 'analytics:write', body: { location: 'https://x/' } },
        { method: 'POST', path: `${base}/analytics/collect`, privilege: 'analytics:write', body: { t: 'event', cid: 'c' } },
        { method: 'GET', path: `${base}/analytics/visit`, privilege: 'analytics:write' },
        { method: 'GET', path: `${base}/users/someone/overview`, privilege: 'analytics:administrate' },
        { method: 'GET', path: `${base}/exports`, privilege: 'analytics:exports' },
        { method: 'POST', path: `${base}/exports?from=${from}&to=${to}`, privilege: 'analytics:exports' },
        { method: 'POST', path: `${base}/exports/create`, privilege: 'analytics:exports', body: { from, to } },
        { method: 'DELETE', path: `${base}/users/someone/alldata`, privilege: 'user_data:delete' },
      ]),
      { method: 'POST', path: '/rest/organizations/default/events/v1', privilege: 'analytics:write', body: [{ meta: { type: 'itemView', ts: Date.now() } }] },
    ];
    for (const r of coveo) {
      const label = `${r.method} ${r.path.split('?')[0]}`;
      for (const key of [undefined, 'lethe_not-a-key']) {
        const res = await call(lethe.url, r.method, r.path, { body: r.body, ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}) });
        assert.deepEqual([res.status, res.body.type], [400, 'InvalidToken'], `${label} with ${key ?? 'no key'}`);
      }
      for (const p of PRIVILEGES) {
        if (p === r.privilege) continue;
        const denied = await call(lethe.url, r.method, r.path, { body: r.body, headers: { authorization: `Bearer ${keys[p]}` } });
        assert.deepEqual([denied.status, denied.body.type], [403, 'InsufficientPrivileges'], `${label} with only ${p}`);
      }
      const ok = await call(lethe.url, r.method, r.path, { body: r.body, headers: { authorization: `Bearer ${keys[r.privilege]}` } });
      assert.ok(ok.status < 300, `${label} with ${r.privilege}: ${ok.status} ${JSON.stringify(ok.body)}`);
      const foreign = await call(lethe.url, r.method, `${r.path}${r.path.includes('?') ? '&' : '?'}org=other`, { body: r.body, headers: { authorization: `Bearer ${keys[r.privilege]}` } });
      assert.equal(foreign.status, 403, `${label} naming another organization`);
    }
    const settings = await call(lethe.url, 'PUT', '/api/v1/settings', { key: keys['analytics:administrate'], body: { analytics_enabled: false } });
    assert.equal(settings.status, 403, 'switching collection off is for admins');
  });

  test('error bodies follow each API family: Watson {error, code}, Lethe {error: {code, message}}', async () => {
    const watson = await call(lethe.url, 'GET', `/v1/workspaces?${V}`);
    assert.deepEqual(Object.keys(watson.body).sort(), ['code', 'error']);
    assert.equal(watson.body.code, 401);
    const native = await call(lethe.url, 'GET', '/api/v1/keys', { key: keys.message });
    assert.equal(native.body.error.code, 'forbidden');
  });

  test('the /instances/{id} form needs a key of that instance', async () => {
    const own = await call(lethe.url, 'GET', `/instances/default/v1/workspaces?${V}`, { key: lethe.adminKey });
    assert.equal(own.status, 200);
    const foreign = await call(lethe.url, 'GET', `/instances/default/v1/workspaces?${V}`, { key: otherAdmin });
    assert.equal(foreign.status, 403);
    const theirs = await call(lethe.url, 'GET', `/instances/other/v1/workspaces?${V}`, { key: otherAdmin });
    assert.deepEqual(theirs.body.workspaces.map((w: { workspace_id: string }) => w.workspace_id), [otherWs]);
  });

  test("another instance's data is never visible nor deleted", async () => {
    const headers = { 'x-watson-metadata': 'customer_id=shared-customer' };
    const mine = await call(lethe.url, 'POST', `/v1/workspaces/${otherWs}/message?${V}`, { key: otherAdmin, body: { input: { text: 'balance please' } }, headers });
    assert.equal(mine.status, 200);

    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces/${otherWs}?${V}`, { key: lethe.adminKey })).status, 404);
    assert.equal((await call(lethe.url, 'POST', `/v1/workspaces/${otherWs}/message?${V}`, { key: lethe.adminKey, body: {} })).status, 404);
    const logs = await call(lethe.url, 'GET', `/v1/workspaces/${otherWs}/logs?${V}`, { key: lethe.adminKey });
    assert.deepEqual(logs.body.logs, []);
    const keyList = await call(lethe.url, 'GET', '/api/v1/keys', { key: lethe.adminKey });
    assert.ok(keyList.body.keys.every((k: { instance_id: string }) => k.instance_id === 'default'));

    const del = await call(lethe.url, 'DELETE', `/v1/user_data?${V}&customer_id=shared-customer`, { key: lethe.adminKey });
    assert.equal(del.status, 202);
    const jobId = del.headers.get('location')!.split('/').pop();
    assert.equal((await call(lethe.url, 'GET', `/api/v1/jobs/${jobId}`, { key: otherAdmin })).status, 404, 'jobs are per instance');
    assert.equal((await finishedJob(lethe.url, lethe.adminKey, jobId!)).status, 'completed');
    const kept = await call(lethe.url, 'GET', `/v1/workspaces/${otherWs}/logs?${V}&filter=customer_id::shared-customer`, { key: otherAdmin });
    assert.equal(kept.body.logs.length, 1, "a deletion in one instance leaves another instance's logs alone");
  });

  test('a revoked key stops working at once', async () => {
    const created = await call(lethe.url, 'POST', '/api/v1/keys', { key: lethe.adminKey, body: { name: 'temp', privileges: ['workspaces:read'] } });
    assert.equal(created.status, 201);
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: created.body.secret })).status, 200);
    assert.equal((await call(lethe.url, 'DELETE', `/api/v1/keys/${created.body.key_id}`, { key: lethe.adminKey })).status, 204);
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: created.body.secret })).status, 401);
    const listed = await call(lethe.url, 'GET', '/api/v1/keys', { key: lethe.adminKey });
    assert.equal(JSON.stringify(listed.body).includes(created.body.secret), false, 'secrets are never listed');
  });
});
