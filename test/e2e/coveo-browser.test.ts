import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { startSite } from '../helpers/static-site.js';
import { waitFor } from '../helpers/wait.js';

const ARTIFACTS = new URL('../../.artifacts/screenshots/', import.meta.url).pathname;

/** A search page: the real coveo.analytics browser client sending a view, a search and a (beacon) click. */
function searchPage(token: string, endpoint: string, username: string): string {
  return `<!doctype html><html lang="fr"><head><title>Résultats — boutique</title></head><body>
  <h1>Résultats</h1><p id="status">loading</p>
  <script type="module">
    import { CoveoAnalyticsClient } from '/coveo.mjs';
    const ua = new CoveoAnalyticsClient({ token: ${JSON.stringify(token)}, endpoint: ${JSON.stringify(endpoint)} });
    const common = { username: ${JSON.stringify(username)} };
    try {
      const view = await ua.sendViewEvent({ ...common, contentIdKey: '@permanentid', contentIdValue: 'sku-42', contentType: 'product' });
      const search = await ua.sendSearchEvent({ ...common, searchQueryUid: crypto.randomUUID(), queryText: 'chaussures', actionCause: 'searchboxSubmit', responseTime: 12 });
      const click = await ua.sendClickEvent({ ...common, searchQueryUid: 'sq', actionCause: 'documentOpen', documentPosition: 1, sourceName: 'Catalog', documentTitle: 'Chaussure' });
      window.results = { view, search, click: click ?? null, visitor: await ua.getCurrentVisitorId() };
      document.getElementById('status').textContent = 'sent';
    } catch (err) {
      window.results = { error: String(err) };
      document.getElementById('status').textContent = 'failed: ' + err;
    }
  </script></body></html>`;
}

describe('coveo.analytics in a real Chromium page', () => {
  let lethe: LetheProcess;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  const overview = async (user: string) =>
    (await call(lethe.url, 'GET', `/rest/ua/v15/users/${user}/overview`, { headers: { authorization: `Bearer ${lethe.adminKey}` } })).body;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    lethe = await startLethe();
    const endpoint = `${lethe.url}/rest/ua`;
    site = await startSite({
      '/shop': searchPage(lethe.adminKey, endpoint, 'paula'),
      '/shop-dnt': searchPage(lethe.adminKey, endpoint, 'dora'),
      '/shop-dnt-header': searchPage(lethe.adminKey, endpoint, 'hector'),
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await lethe.stop();
    lethe.cleanup();
  });

  async function visit(path: string, options: { dntScript?: boolean; dntHeader?: boolean } = {}) {
    const context = await browser.newContext(options.dntHeader ? { extraHTTPHeaders: { DNT: '1' } } : {});
    const page = await context.newPage();
    // What a browser with "Do Not Track" switched on reports to page scripts.
    if (options.dntScript) await page.addInitScript('Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })');
    await page.goto(`${site.url}${path}?utm=test`);
    await page.waitForFunction('window.results !== undefined', undefined, { timeout: 15_000 });
    const results = (await page.evaluate('window.results')) as Record<string, unknown>;
    await page.screenshot({ path: `${ARTIFACTS}coveo${path.replace(/\//g, '-')}.png` });
    await context.close();
    return results;
  }

  test('view and search go over credentialed CORS fetch, the click over sendBeacon, all attributed and stored', async () => {
    const results = await visit('/shop');
    assert.equal(results.error, undefined, String(results.error));
    assert.ok((results.search as { searchEventUid?: string }).searchEventUid);
    assert.equal(results.click, null, 'a beacon click resolves without a response, as in Coveo');
    const o = await waitFor(() => overview('paula'), (x) => x.stats.click === 1);
    assert.deepEqual(o.stats, { view: 1, search: 1, click: 1 });
    const view = o.events.find((e: { type: string }) => e.type === 'view');
    assert.equal(view.language, 'fr', 'the client reads <html lang>');
    assert.equal(view.payload.location, `${site.url}/shop?utm=test`);
    assert.equal(view.payload.title, 'Résultats — boutique');
    assert.equal(view.payload.contentIdValue, 'sku-42');
    assert.equal(view.visitorId, results.visitor, 'the visitor the page holds is the one stored');
    const click = o.events.find((e: { type: string }) => e.type === 'click');
    assert.equal(click.payload.documentTitle, 'Chaussure');
  });

  test('navigator.doNotTrack: the client sends nothing', async () => {
    const results = await visit('/shop-dnt', { dntScript: true });
    assert.equal(results.error, undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual((await overview('dora')).stats, {});
  });

  test('a DNT request header: the server stores nothing, even from a client that ignores it', async () => {
    const results = await visit('/shop-dnt-header', { dntHeader: true });
    assert.equal(results.error, undefined, 'the page works as usual');
    assert.ok((results.search as { searchEventUid?: string }).searchEventUid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual((await overview('hector')).stats, {});
  });
});
