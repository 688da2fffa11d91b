import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CoveoAnalyticsClient } from 'coveo.analytics';
import { call, callWithHeaders } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { finishedJob, waitFor } from '../helpers/wait.js';

describe('Coveo exports: filtered, reviewed, handed over, expired by deletion', () => {
  let lethe: LetheProcess;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = () => new Date(Date.now() + 3_600_000).toISOString();

  const waitAvailable = (id: string): Promise<any> => waitFor(
    async () => (await call(lethe.url, 'GET', `/rest/ua/v15/exports/${id}`, { headers: bearer(lethe.adminKey) })).body,
    (e) => e.status !== 'PENDING',
  );

  async function exportOf(query: string): Promise<any> {
    const r = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=${from}&to=${to()}&${query}`, { headers: bearer(lethe.adminKey) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'PENDING');
    return waitAvailable(r.body.id);
  }

  before(async () => {
    lethe = await startLethe();
    const ua = new CoveoAnalyticsClient({ token: lethe.adminKey, endpoint: `${lethe.url}/rest/ua` });
    const search = (username: string, queryText: string, anonymous = false) =>
      ua.sendSearchEvent({ searchQueryUid: randomUUID(), queryText, actionCause: 'searchboxSubmit', responseTime: 3, language: 'en', username, anonymous });
    await search('alice', 'xylophonic tuning');
    await search('alice', '=HYPERLINK("http://evil")');
    await search('alice', 'private matter', true);
    await ua.sendCustomEvent({ eventType: 'chat', eventValue: 'opened', language: 'en', username: 'alice' });
    await search('bob', 'bob only');
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  test('a DSR export holds every event of the user, pseudonymous ones included, and nobody else\'s', async () => {
    const e = await exportOf(`f=${encodeURIComponent('userid=="alice"')}&format=JSON&d=DSR%20alice`);
    assert.equal(e.status, 'AVAILABLE');
    assert.equal(e.description, 'DSR alice');
    assert.equal(e.downloadLink, `${lethe.url}/rest/ua/v15/exports/${e.id}/file`);
    const forged = await callWithHeaders(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}`, { host: 'evil.example', ...bearer(lethe.adminKey) });
    assert.equal(forged.body.downloadLink, e.downloadLink, 'without LETHE_PUBLIC_URL, links name the listen address, whatever Host says');
    const file = await call(lethe.url, 'GET', new URL(e.downloadLink).pathname, { headers: bearer(lethe.adminKey) });
    assert.equal(file.status, 200);
    assert.equal(file.body.length, 4);
    assert.deepEqual(file.body.map((x: { type: string }) => x.type).sort(), ['custom', 'search', 'search', 'search']);
    assert.ok(file.body.some((x: { anonymous: boolean }) => x.anonymous), 'the anonymous event is found through the pseudonym');
    assert.equal(JSON.stringify(file.body).includes('bob only'), false);
    assert.equal(e.size, Buffer.byteLength(JSON.stringify(file.body, null, 2)));
  });

  test('CSV exports apply table and per-table filters, and defuse spreadsheet formulas', async () => {
    const e = await exportOf(`tables=SEARCHES&fs=${encodeURIComponent('querytext =@ "TUNING" OR querytext =@ "hyperlink"')}`);
    const res = await fetch(`${lethe.url}/rest/ua/v15/exports/${e.id}/file`, { headers: bearer(lethe.adminKey) });
    assert.match(res.headers.get('content-type')!, /text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    assert.equal(lines.length, 3, 'a header and the two matching searches');
    assert.match(lines[0]!, /^datetime,event_kind,event_id,user_id/);
    assert.ok(lines.some((l) => l.includes('xylophonic tuning')));
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil"")"`)), 'a cell starting with = is prefixed with a quote');
  });

  test('the JSON body form (POST /exports/create) works too, and bad requests are 400 with the reason', async () => {
    const r = await call(lethe.url, 'POST', '/rest/ua/v15/exports/create', {
      headers: bearer(lethe.adminKey), body: { from, to: to(), commonFilters: ['username == "bob"'], tables: ['ALL_EVENTS'], exportFormat: 'JSON' },
    });
    assert.equal(r.status, 201);
    const e = await waitAvailable(r.body.id);
    const file = await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/file`, { headers: bearer(lethe.adminKey) });
    assert.equal(file.body.length, 1);

    const badFilter = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=${from}&to=${to()}&f=${encodeURIComponent('userid ==')}`, { headers: bearer(lethe.adminKey) });
    assert.deepEqual([badFilter.status, badFilter.body.type], [400, 'InvalidFilter']);
    assert.match(badFilter.body.message, /f\[0\]: Invalid filter at position 9/);
    const badTable = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=${from}&to=${to()}&tables=PAGES`, { headers: bearer(lethe.adminKey) });
    assert.equal(badTable.status, 400);
    const badDate = await call(lethe.url, 'POST', `/rest/ua/v15/exports?from=yesterday&to=${to()}`, { headers: bearer(lethe.adminKey) });
    assert.match(badDate.body.message, /ISO 8601/);
  });

  test('review, then hand over with a share link; a deletion of the user erases the export and its link', async () => {
    const e = await exportOf(`f=${encodeURIComponent('userid=="alice"')}&format=JSON`);
    const shared = await call(lethe.url, 'POST', `/api/v1/exports/${e.id}/share`, { key: lethe.adminKey });
    assert.equal(shared.status, 200);
    const link = new URL(shared.body.url);
    const handedOver = await fetch(link);
    assert.equal(handedOver.status, 200, 'the link works without an API key');
    assert.match(handedOver.headers.get('content-disposition')!, /attachment/);
    assert.equal((await fetch(`${lethe.url}/exports/shared/${'x'.repeat(43)}`)).status, 404);

    const del = await call(lethe.url, 'DELETE', '/rest/ua/v15/users/alice/alldata', { headers: bearer(lethe.adminKey) });
    assert.equal((await finishedJob(lethe.url, lethe.adminKey, del.headers.get('location')!)).status, 'completed');
    const after = (await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}`, { headers: bearer(lethe.adminKey) })).body;
    assert.equal(after.status, 'EXPIRED');
    assert.equal(after.downloadable, false);
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/file`, { headers: bearer(lethe.adminKey) })).status, 404);
    assert.equal((await fetch(link)).status, 404, 'the handed-over link is dead too');
  });

  test('exports need the Data exports privilege and stay within the instance', async () => {
    const key = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'w', '--privileges', 'analytics:write,analytics:administrate'])).stdout).secret;
    const r = await call(lethe.url, 'GET', '/rest/ua/v15/exports', { headers: bearer(key) });
    assert.deepEqual([r.status, r.body.type], [403, 'InsufficientPrivileges']);
    const other = JSON.parse((await runCli(lethe.env, ['keys', 'create', '--name', 'o', '--privileges', 'admin', '--instance', 'other'])).stdout).secret;
    const list = await call(lethe.url, 'GET', '/rest/ua/v15/exports', { headers: bearer(other) });
    assert.deepEqual(list.body, []);
    const mine = (await call(lethe.url, 'GET', '/rest/ua/v15/exports', { headers: bearer(lethe.adminKey) })).body;
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/exports/${mine[0].id}/file`, { headers: bearer(other) })).status, 404);
  });
});
