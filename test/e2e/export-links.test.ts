import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, callWithHeaders } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, execute, freshDatabase, type FreshDatabase } from '../helpers/test-engines.js';
import { waitFor } from '../helpers/wait.js';

const PUBLIC_URL = 'https://lethe.example.test/privacy';
/** Every header a client could use to make a server believe it is reached under another name. */
const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'gopher', forwarded: 'host=evil.example;proto=http' };

describeEachEngine('export links: built on LETHE_PUBLIC_URL, dead at expiry', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  const bearer = () => ({ authorization: `Bearer ${lethe.adminKey}` });
  const span = () => `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;

  before(async () => {
    database = await freshDatabase(engine, 'export-links');
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_PUBLIC_URL: `${PUBLIC_URL}/` } });
    const search = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/search', {
      headers: bearer(), body: { searchQueryUid: 'sq-1', language: 'en', queryText: 'anything', actionCause: 'searchboxSubmit', responseTime: 1, username: 'ann' },
    });
    assert.equal(search.status, 200, JSON.stringify(search.body));
  });
  after(async () => { await lethe.stop(); lethe.cleanup(); await database.drop(); });

  /** An export of the last hour, once available, requested with forged headers. */
  async function availableExport(): Promise<any> {
    const created = await callWithHeaders(lethe.url, 'POST', `/rest/ua/v15/exports?${span()}`, { ...FORGED, ...bearer() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return waitFor(async () => (await callWithHeaders(lethe.url, 'GET', `/rest/ua/v15/exports/${created.body.id}`, { ...FORGED, ...bearer() })).body,
      (e) => e.status === 'AVAILABLE');
  }

  test('a forged Host (or X-Forwarded-Host, Forwarded) header appears in no link; every link is on the public URL', async () => {
    const e = await availableExport();
    const links: string[] = [e.downloadLink];
    const list = await callWithHeaders(lethe.url, 'GET', '/rest/ua/v15/exports', { ...FORGED, ...bearer() });
    links.push(...list.body.map((x: { downloadLink?: string }) => x.downloadLink));
    links.push((await callWithHeaders(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/downloadlink`, { ...FORGED, ...bearer() })).body.downloadLink);
    const redirect = await callWithHeaders(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}?redirect=true`, { ...FORGED, ...bearer() });
    assert.equal(redirect.status, 303);
    links.push(redirect.headers.get('location')!);
    const shared = await callWithHeaders(lethe.url, 'POST', `/api/v1/exports/${e.id}/share`, FORGED, lethe.adminKey);
    assert.equal(shared.status, 200, JSON.stringify(shared.body));
    links.push(shared.body.url);

    assert.equal(links.length, 5);
    for (const link of links) {
      assert.ok(!link.includes('evil') && !link.includes('gopher'), link);
      assert.ok(link.startsWith(`${PUBLIC_URL}/`), link);
    }
    assert.equal(e.downloadLink, `${PUBLIC_URL}/rest/ua/v15/exports/${e.id}/file`);
    // Behind a proxy that serves Lethe under /privacy, the share link opens the file.
    const viaProxy = await fetch(`${lethe.url}${new URL(shared.body.url).pathname.slice('/privacy'.length)}`);
    assert.equal(viaProxy.status, 200);
  });

  test('an export past its expiry is refused at once, by key and by share link, before the clean-up erases it', async () => {
    const e = await availableExport();
    const shared = await call(lethe.url, 'POST', `/api/v1/exports/${e.id}/share`, { key: lethe.adminKey });
    const sharedPath = new URL(shared.body.url).pathname.slice('/privacy'.length);
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/file`, { headers: bearer() })).status, 200);
    assert.equal((await fetch(`${lethe.url}${sharedPath}`)).status, 200);

    // Its time runs out; the clean-up that erases the file runs once a minute and has not yet.
    await execute(database.url, 'UPDATE exports SET expires_at = $1 WHERE export_id = $2', [Date.now() - 1000, e.id]);
    const byKey = await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/file`, { headers: bearer() });
    assert.deepEqual([byKey.status, byKey.body.type], [404, 'NotFound']);
    assert.match(byKey.body.message, /expired/);
    const byLink = await fetch(`${lethe.url}${sharedPath}`);
    assert.equal(byLink.status, 404);
    assert.equal(((await byLink.json()) as { error: { code: string } }).error.code, 'not_found');
    const state = (await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}`, { headers: bearer() })).body;
    assert.deepEqual([state.status, state.downloadable, state.downloadLink], ['EXPIRED', false, undefined]);
    assert.equal((await call(lethe.url, 'GET', `/rest/ua/v15/exports/${e.id}/downloadlink`, { headers: bearer() })).body.downloadLink, undefined);
    assert.equal((await call(lethe.url, 'POST', `/api/v1/exports/${e.id}/share`, { key: lethe.adminKey })).status, 404, 'nor can it be shared again');
  });
});
