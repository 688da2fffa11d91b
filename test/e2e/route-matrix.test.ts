import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RegisteredRoute } from '../../src/http/route-table.js';
import { PRIVILEGES } from '../../src/model/privileges.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call, type Reply } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { serverRoutes } from '../helpers/route-table.js';
import { finishedJob } from '../helpers/wait.js';

const V = 'version=2021-06-14';

/**
 * Routes without a declared privilege: health checks, CORS preflight, export share links (the token is the
 * credential), the dashboard's static files (they hold no data), and whoami, which authenticates any valid key itself.
 */
const PUBLIC_ROUTES = new Set([
  'GET /healthz', 'OPTIONS /rest*', 'GET /exports/shared/:token', 'GET /', 'GET /dashboard', 'GET /dashboard/*', 'GET /api/v1/whoami',
  'GET /rest/ua/v15/analytics/monitoring/health', 'GET /rest/v15/analytics/monitoring/health',
  'GET /rest/ua/v15/analytics/status', 'GET /rest/v15/analytics/status',
]);

/** Path parameters that name a record of the instance (as opposed to an outside identifier such as a Coveo user). */
const RECORD_PARAMS = ['workspace_id', 'assistant_id', 'session_id', 'log_id', 'job_id', 'key_id', 'webhook_id', 'exportId'];

const search = { searchQueryUid: 'sq', queryText: 'q', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en' };
const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };

/** A plausible body per route (by pattern, ignoring the /instances/{id} and Coveo version prefixes); default `{}`. */
function bodyFor(url: string): unknown {
  const u = url.replace(/^\/instances\/:instance_id/, '').replace(/^\/rest\/(ua\/)?v15/, '/rest');
  if (u.endsWith('/message')) return { input: { text: 'hello' } };
  const bodies: Record<string, unknown> = {
    '/v1/workspaces': { name: 'x' }, '/v1/workspaces/:workspace_id': { description: 'd' }, '/v2/assistants': { name: 'a' },
    '/api/v1/keys': { name: 'k', privileges: ['message'] }, '/api/v1/assistants': { name: 'b' }, '/api/v1/assistants/:assistant_id': { name: 'r' },
    '/api/v1/subjects/find': { kind: 'customer_id', value: 'canary-customer' }, '/api/v1/subjects/access': { kind: 'customer_id', value: 'canary-customer' },
    '/api/v1/subjects/export': { kind: 'customer_id', value: 'canary-customer' }, '/api/v1/subjects/delete': { kind: 'customer_id', value: 'nobody' },
    '/api/v1/settings': { analytics_enabled: true }, '/api/v1/webhooks': { url: 'https://example.invalid/hook', events: ['deletion.completed'] },
    '/api/v1/logs/:log_id/annotations': { verdict: 'correct' },
    '/rest/analytics/search': search, '/rest/analytics/searches': [search],
    '/rest/analytics/click': { searchQueryUid: 'sq', documentPosition: 1, actionCause: 'documentOpen', sourceName: 's' },
    '/rest/analytics/custom': { eventType: 'a', eventValue: 'b' }, '/rest/analytics/view': { location: 'https://x/' },
    '/rest/analytics/collect': { t: 'event', cid: 'c' }, '/rest/exports/create': range,
    '/rest/organizations/:org/events/v1': [{ meta: { type: 'itemView', ts: Date.now() } }],
  };
  return bodies[u] ?? {};
}

function queryFor(url: string): string {
  if (url.startsWith('/rest/')) return /\/exports$/.test(url) ? `?from=${range.from}&to=${range.to}` : '';
  if (url.startsWith('/api/')) return url.endsWith('/logs/export') ? '?format=jsonl' : '';
  if (url.endsWith('/v1/logs')) return `?${V}&filter=language::en`;
  if (url.endsWith('/user_data')) return `?${V}&customer_id=nobody`;
  return `?${V}`;
}

describe('every registered route: authentication, privilege and instance isolation', () => {
  let lethe: LetheProcess;
  let routes: RegisteredRoute[];
  const keys = new Map<string, string>();
  let otherAdmin: string;
  const params: Record<string, string> = { instance_id: 'default', org: 'default', userId: 'canary-visitor' };
  // Values only instance "default" holds and no URL carries: another instance's key must never get them back.
  const canaryText = `canary-text-${randomBytes(6).toString('hex')}`;
  const canaryName = `canary-name-${randomBytes(6).toString('hex')}`;

  async function createKey(privileges: string, instance = 'default'): Promise<{ secret: string; key_id: string }> {
    const r = await runCli(lethe.env, ['keys', 'create', '--name', `matrix ${privileges}`, '--privileges', privileges, '--instance', instance]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  }
  const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(lethe.url, method, path, { key: lethe.adminKey, body, headers });

  function request(route: RegisteredRoute, key: string | undefined, paramsOverride: Record<string, string> = {}): Promise<Reply> {
    const values = { ...params, ...paramsOverride };
    const path = route.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? `unknown-${name}`)) + queryFor(route.url);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyFor(route.url);
    // Coveo clients send Bearer tokens; the Watson SDK sends Basic; both work everywhere else.
    return call(lethe.url, route.method, path, { body, ...(key === undefined ? {} : { key, basic: !route.url.startsWith('/rest/') }) });
  }

  before(async () => {
    routes = (await serverRoutes()).filter((r) => r.method !== 'HEAD');
    lethe = await startLethe();
    for (const p of PRIVILEGES) keys.set(p, (await createKey(p)).secret);
    otherAdmin = (await createKey('admin', 'other')).secret;
    params.key_id = (await createKey('message')).key_id;

    params.workspace_id = (await admin('POST', `/v1/workspaces?${V}`, { ...bankingWorkspace, name: canaryName })).body.workspace_id;
    params.assistant_id = (await admin('POST', '/api/v1/assistants', { workspace_id: params.workspace_id, name: canaryName })).body.assistant_id;
    params.environment_id = params.assistant_id!;
    params.session_id = (await admin('POST', `/v2/assistants/${params.assistant_id}/sessions?${V}`, {})).body.session_id;
    const sent = await admin('POST', `/v1/workspaces/${params.workspace_id}/message?${V}`, { input: { text: `balance ${canaryText}` } }, { 'x-watson-metadata': 'customer_id=canary-customer' });
    assert.equal(sent.status, 200);
    params.log_id = (await admin('GET', `/v1/workspaces/${params.workspace_id}/logs?${V}`)).body.logs[0].log_id;
    const event = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom?visitor=canary-visitor', {
      body: { eventType: canaryName, eventValue: canaryText, customData: { note: canaryText } }, headers: { authorization: `Bearer ${lethe.adminKey}` },
    });
    assert.equal(event.status, 200, JSON.stringify(event.body));
    const job = await admin('DELETE', `/v1/user_data?${V}&customer_id=nobody`);
    params.job_id = job.headers.get('location')!.split('/').pop()!;
    await finishedJob(lethe.url, lethe.adminKey, params.job_id);
    params.webhook_id = (await admin('POST', '/api/v1/webhooks', bodyFor('/api/v1/webhooks'))).body.webhook_id;
    const exported = await call(lethe.url, 'POST', '/rest/ua/v15/exports/create', { body: range, headers: { authorization: `Bearer ${lethe.adminKey}` } });
    params.exportId = exported.body.id;
    for (const [name, value] of Object.entries(params)) assert.ok(value, `fixture ${name}`);
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  test('every route declares a privilege unless it is one of the listed public routes', (t) => {
    assert.ok(routes.length > 100, `${routes.length} routes found`);
    const undeclared = routes.filter((r) => !r.privilege).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undeclared.sort(), [...PUBLIC_ROUTES].sort());
    t.diagnostic(`${routes.length} routes (HEAD aside), ${routes.length - undeclared.length} behind a key, each tried with no key, an unknown key, a key of every other single privilege, another instance's admin key and the right key`);
  });

  test('no key and an unknown key are refused (401; Coveo 400 InvalidToken); a key without the privilege is 403', async () => {
    for (const route of routes.filter((r) => r.privilege)) {
      const label = `${route.method} ${route.url}`;
      for (const key of [undefined, `lethe_${randomBytes(32).toString('base64url')}`]) {
        const r = await request(route, key);
        if (route.url.startsWith('/rest/')) assert.deepEqual([r.status, r.body?.type], [400, 'InvalidToken'], `${label} with ${key ? 'an unknown key' : 'no key'}`);
        else assert.equal(r.status, 401, `${label} with ${key ? 'an unknown key' : 'no key'}: ${JSON.stringify(r.body)}`);
      }
      for (const p of PRIVILEGES) {
        if (p === route.privilege || p === 'admin') continue;
        // analytics:impersonate only widens what analytics:write may do; it is not a privilege of its own route.
        const r = await request(route, keys.get(p));
        assert.equal(r.status, 403, `${label} with only ${p}: ${JSON.stringify(r.body)}`);
        if (route.url.startsWith('/rest/')) assert.equal(r.body.type, 'InsufficientPrivileges', label);
      }
    }
  });

  test("a key of another instance is refused where the path names this instance and never gets or changes this instance's data", async () => {
    for (const route of routes.filter((r) => r.privilege)) {
      const label = `${route.method} ${route.url}`;
      const r = await request(route, otherAdmin);
      assert.ok(r.status < 500, `${label}: ${r.status}`);
      const text = JSON.stringify(r.body) ?? '';
      assert.ok(!text.includes(canaryText) && !text.includes(canaryName), `${label} returned another instance's data: ${text.slice(0, 300)}`);
      if (/:instance_id|:org\b/.test(route.url)) assert.equal(r.status, 403, `${label} naming instance default`);
      // Reads may answer an empty 200 (Watson lists logs of an unknown workspace as none); changes must find nothing.
      else if (route.method !== 'GET' && RECORD_PARAMS.some((p) => route.url.includes(`:${p}`))) assert.ok([400, 404].includes(r.status), `${label} on another instance's record: ${r.status} ${text.slice(0, 200)}`);
      // Coveo reads also take ?org=: naming another instance there is refused as well.
      if (route.url.startsWith('/rest/') && !route.url.includes(':org')) {
        const path = route.url.replace(/:(\w+)/g, (_, n: string) => params[n]!) + (queryFor(route.url) ? `${queryFor(route.url)}&` : '?') + 'org=default';
        const named = await call(lethe.url, route.method, path, { body: route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyFor(route.url), key: otherAdmin, basic: false });
        assert.equal(named.status, 403, `${label}?org=default`);
      }
    }
    // Everything of instance "default" is still there.
    const ws = await admin('GET', `/v1/workspaces/${params.workspace_id}?${V}`);
    assert.equal(ws.body.name, canaryName);
    const logs = await admin('GET', `/v1/workspaces/${params.workspace_id}/logs?${V}&filter=customer_id::canary-customer`);
    assert.equal(logs.body.logs.length, 1);
    assert.equal((await admin('GET', `/api/v1/assistants/${params.assistant_id}`)).status, 200);
    assert.equal((await admin('GET', `/api/v1/webhooks`)).body.webhooks.length, 1);
    const events = await call(lethe.url, 'GET', '/rest/ua/v15/users/canary-visitor/overview', { headers: { authorization: `Bearer ${lethe.adminKey}` } });
    assert.ok(JSON.stringify(events.body).includes(canaryName), 'the visitor\'s events are intact');
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/exports/${params.exportId}`, { headers: { authorization: `Bearer ${lethe.adminKey}` } })).status, 200);
    const keyList = await admin('GET', '/api/v1/keys');
    assert.ok(keyList.body.keys.some((k: { key_id: string }) => k.key_id === params.key_id));
  });

  test('the right key passes authentication and authorization on every route', async () => {
    // Destructive routes last, so they do not remove what the others use.
    const ordered = routes.filter((r) => r.privilege).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const route of ordered) {
      const r = await request(route, keys.get(route.privilege!));
      assert.ok(![401, 403].includes(r.status) && r.status < 500, `${route.method} ${route.url} with ${route.privilege}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  });
});
