import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase, storedContent, type FreshDatabase } from '../helpers/test-engines.js';
import { finishedJob } from '../helpers/wait.js';

const V = 'version=2021-06-14';

describeEachEngine('the official coveo.analytics client against Lethe (Node)', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let writeOnly: string;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const client = (token: string) => new CoveoAnalyticsClient({ token, endpoint: `${lethe.url}/rest/ua` });
  const overview = async (userId: string, key = lethe.adminKey) =>
    (await call(lethe.url, 'GET', `/rest/ua/v15/users/${encodeURIComponent(userId)}/overview`, { headers: bearer(key) })).body;

  before(async () => {
    database = await freshDatabase(engine, 'coveo_client');
    lethe = await startLethe({ databaseUrl: database.url });
    const r = await runCli(lethe.env, ['keys', 'create', '--name', 'site', '--privileges', 'analytics:write']);
    writeOnly = JSON.parse(r.stdout).secret;
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  });

  test('search, click and custom events are acknowledged the way the client expects, and attributed to the user', async () => {
    const ua = client(lethe.adminKey);
    const searchQueryUid = randomUUID();
    const search = await ua.sendSearchEvent({
      searchQueryUid, queryText: 'gdpr quillfeather', actionCause: 'searchboxSubmit', responseTime: 42, language: 'en',
      originLevel1: 'MyHub', numberOfResults: 3, anonymous: false, username: 'alice@example.com', customData: { 'Context Role': 'tester' },
    });
    assert.ok(search && 'searchEventUid' in search && search.searchEventUid);
    assert.ok(search.visitId && search.visitorId);
    const visitor = await ua.getCurrentVisitorId();
    assert.equal(search.visitorId, visitor, 'the visitor the client sent is kept');

    const click = await ua.sendClickEvent({
      searchQueryUid, actionCause: 'documentOpen', documentPosition: 1, sourceName: 'Docs', documentUri: 'https://example.com/d1',
      documentUriHash: 'h1', documentTitle: 'Doc 1', language: 'en', username: 'alice@example.com',
    });
    assert.equal(click?.visitId, search.visitId, 'events of one visitor within 30 minutes share a visit');
    await ua.sendCustomEvent({ eventType: 'chat', eventValue: 'opened', lastSearchQueryUid: searchQueryUid, language: 'en', username: 'alice@example.com' });

    const o = await overview('alice@example.com');
    assert.equal(o.userId, 'alice@example.com');
    assert.equal(o.account, 'default');
    assert.deepEqual(o.stats, { search: 1, click: 1, custom: 1 });
    const stored = o.events.find((e: { type: string }) => e.type === 'search');
    assert.equal(stored.payload.queryText, 'gdpr quillfeather');
    assert.deepEqual(stored.payload.customData, { context_role: 'tester' }, 'customData keys are normalised');
    assert.equal(stored.ipHash.length, 32, 'the IP address is kept only as a keyed hash');
    assert.equal(JSON.stringify(o).includes('127.0.0.1'), false);
  });

  test('an API key without the impersonate privilege cannot name the user: events go to the visitor', async () => {
    const ua = client(writeOnly);
    await ua.sendSearchEvent({ searchQueryUid: randomUUID(), queryText: 'q', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username: 'mallory' });
    const visitor = await ua.getCurrentVisitorId();
    assert.deepEqual((await overview('mallory')).stats, {});
    const o = await overview(visitor!);
    assert.deepEqual(o.stats, { search: 1 });
    assert.equal(o.events[0].payload.username, 'anonymous');
  });

  test('anonymous: true masks the identity with a keyed pseudonym that only Lethe can link back', async () => {
    const ua = client(lethe.adminKey);
    for (let i = 0; i < 2; i++) {
      await ua.sendSearchEvent({ searchQueryUid: randomUUID(), queryText: 'private', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', anonymous: true, username: 'bob.zanzibar@example.com', userDisplayName: 'Bob Zanzibar' });
    }
    const o = await overview('bob.zanzibar@example.com');
    assert.deepEqual(o.stats, { search: 2 }, 'the data subject still gets everything held about them');
    assert.match(o.events[0].userId, /^anon-[0-9a-f]{32}$/);
    assert.equal(o.events[0].userId, o.events[1].userId, 'sessions stay distinguishable');
    assert.equal(o.events[0].payload.username, undefined);
    assert.equal((await storedContent(lethe.databaseUrl)).includes('zanzibar'), false, 'the identity is not stored anywhere');
  });

  test('unknown tokens get 400 InvalidToken, which is what the client and JSUI test for', async () => {
    await assert.rejects(client('lethe_not-a-key').sendCustomEvent({ eventType: 'x', eventValue: 'y', language: 'en' }));
    const r = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom', { body: { eventType: 'x', eventValue: 'y' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.type, 'InvalidToken');
    const missing = await call(lethe.url, 'POST', '/rest/v15/analytics/custom', { headers: bearer(lethe.adminKey), body: { eventValue: 'y' } });
    assert.deepEqual([missing.status, missing.body.type], [400, 'MissingParameter']);
    const badJson = await call(lethe.url, 'POST', '/rest/v15/analytics/custom', { headers: bearer(lethe.adminKey), rawBody: '{"eventType":' });
    assert.deepEqual([badJson.status, badJson.body.type], [400, 'InvalidJson']);
    const wrongType = await call(lethe.url, 'POST', '/rest/v15/analytics/search', { headers: bearer(lethe.adminKey), body: { searchQueryUid: 'a', queryText: 'q', actionCause: 'x', responseTime: 'fast' } });
    assert.deepEqual([wrongType.status, wrongType.body.type], [400, 'InvalidObject']);
  });

  test('search batches, beacon forms and the Event Protocol', async () => {
    const uid = () => ({ searchQueryUid: randomUUID(), queryText: 'batch', actionCause: 'searchboxSubmit', responseTime: 5, username: 'carol' });
    const batch = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/searches?visitor=v-carol', { headers: bearer(lethe.adminKey), body: [uid(), uid(), uid()] });
    assert.equal(batch.status, 200);
    assert.equal(batch.body.length, 3);
    assert.ok(batch.body.every((r: { searchEventUid: string; visitorId: string }) => r.searchEventUid && r.visitorId === 'v-carol'));

    // navigator.sendBeacon: form body, token in the query string, visitor as visitorId.
    const form = `clickEvent=${encodeURIComponent(JSON.stringify({ searchQueryUid: 'sq', documentPosition: 2, actionCause: 'documentOpen', sourceName: 'S', language: 'en', username: 'carol' }))}`;
    const beacon = await call(lethe.url, 'POST', `/rest/ua/v15/analytics/click?access_token=${lethe.adminKey}&visitorId=v-carol&discardVisitInfo=true`, {
      rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(beacon.status, 200);
    assert.deepEqual((await overview('carol')).stats, { search: 3, click: 1 });

    const itemClick = { searchUid: 'sq-1', position: 1, itemMetadata: { uniqueFieldName: 'permanentid', uniqueFieldValue: 'abc' }, meta: { type: 'itemClick', ts: Date.now(), clientId: 'c0ffee00-0000-4000-8000-000000000001' } };
    const protocol = await call(lethe.url, 'POST', '/rest/organizations/default/events/v1', {
      headers: bearer(lethe.adminKey), body: [itemClick, { ...itemClick, position: 0 }, { meta: { type: 'itemView', ts: 1 } }],
    });
    assert.equal(protocol.status, 200);
    assert.deepEqual(protocol.body.events.map((e: { accepted: boolean }) => e.accepted), [true, false, false]);
    assert.match(protocol.body.events[1].errorMessage, /position/);
    const other = await call(lethe.url, 'POST', '/rest/organizations/other-org/events/v1', { headers: bearer(lethe.adminKey), body: [itemClick] });
    assert.equal(other.status, 403, 'a key only writes to its own organization');
  });

  test('Do-Not-Track and an instance with collection switched off store nothing, yet answer as usual', async () => {
    const body = { eventType: 'dnt', eventValue: 'v', language: 'en', username: 'dave' };
    const dnt = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom', { headers: { ...bearer(lethe.adminKey), dnt: '1' }, body });
    assert.equal(dnt.status, 200);
    assert.ok(dnt.body.visitorId);
    const gpc = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom', { headers: { ...bearer(lethe.adminKey), 'sec-gpc': '1' }, body });
    assert.equal(gpc.status, 200);
    assert.deepEqual((await overview('dave')).stats, {});

    assert.equal((await call(lethe.url, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { analytics_enabled: false } })).status, 200);
    await client(lethe.adminKey).sendCustomEvent(body);
    assert.deepEqual((await overview('dave')).stats, {});
    await call(lethe.url, 'PUT', '/api/v1/settings', { key: lethe.adminKey, body: { analytics_enabled: true } });
    await client(lethe.adminKey).sendCustomEvent(body);
    assert.deepEqual((await overview('dave')).stats, { custom: 1 });
  });

  test('CORS: a credentialed preflight from a page gets its origin reflected', async () => {
    const res = await fetch(`${lethe.url}/rest/ua/v15/analytics/search`, {
      method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });

  test('alldata deletes events and conversation logs of the user, verified, with no bytes left', async () => {
    const ws = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: { name: 'w', intents: [{ intent: 'hi', examples: [{ text: 'hello' }, { text: 'hi there' }] }] } })).body.workspace_id;
    await call(lethe.url, 'POST', `/v1/workspaces/${ws}/message?${V}`, { key: lethe.adminKey, body: { input: { text: 'hello from erinsecret' }, context: { metadata: { user_id: 'erin' } } } });
    await client(lethe.adminKey).sendSearchEvent({ searchQueryUid: randomUUID(), queryText: 'erinsecret query', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username: 'erin' });
    await client(lethe.adminKey).sendSearchEvent({ searchQueryUid: randomUUID(), queryText: 'masked erinsecret', actionCause: 'searchboxSubmit', responseTime: 1, language: 'en', username: 'erin', anonymous: true });
    const before = await overview('erin');
    assert.deepEqual(before.stats, { search: 2 });
    assert.equal(before.conversationLogs.length, 1, 'the overview shows conversation logs too');

    const del = await call(lethe.url, 'DELETE', '/rest/ua/v15/users/erin/alldata', { headers: bearer(lethe.adminKey) });
    assert.equal(del.status, 202);
    assert.deepEqual([del.body.userId, del.body.account], ['erin', 'default']);
    const job = await finishedJob(lethe.url, lethe.adminKey, del.headers.get('location')!);
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.deleted, { logs: 1, sessions: 0, events: 2 });
    const afterwards = await overview('erin');
    assert.deepEqual([afterwards.stats, afterwards.events, afterwards.conversationLogs], [{}, [], []]);
    assert.equal((await storedContent(lethe.databaseUrl)).includes('erinsecret'), false);
    assert.deepEqual((await overview('alice@example.com')).stats, { search: 1, click: 1, custom: 1 }, 'other users keep their data');
  });

  test('read routes need their privileges', async () => {
    const r = await call(lethe.url, 'GET', '/rest/ua/v15/users/alice@example.com/overview', { headers: bearer(writeOnly) });
    assert.deepEqual([r.status, r.body.type], [403, 'InsufficientPrivileges']);
    const d = await call(lethe.url, 'DELETE', '/rest/ua/v15/users/alice@example.com/alldata', { headers: bearer(writeOnly) });
    assert.equal(d.status, 403);
    const org = await call(lethe.url, 'GET', '/rest/ua/v15/users/alice@example.com/overview?org=elsewhere', { headers: bearer(lethe.adminKey) });
    assert.equal(org.status, 403);
  });
});
