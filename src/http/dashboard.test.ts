import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Fastify from 'fastify';
import { registerDashboard } from './dashboard.js';

async function serve(root: string) {
  const app = Fastify();
  await registerDashboard(app, root);
  return app;
}

describe('dashboard static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'lethe-web-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Lethe</title>');
  writeFileSync(join(root, 'app.js'), 'export {};');
  after(() => rmSync(root, { recursive: true, force: true }));

  test('serves files and index.html for app routes, with the security headers', async () => {
    const app = await serve(root);
    for (const url of ['/dashboard/', '/dashboard/logs', '/dashboard/conversations/x-1']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<title>Lethe<\/title>/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
    const js = await app.inject({ url: '/dashboard/app.js' });
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await app.inject({ url: '/dashboard/gone.js' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: '/dashboard/logs' })).statusCode, 404);
    const home = await app.inject({ url: '/' });
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, '/dashboard/');
    assert.equal((await app.inject({ url: '/dashboard' })).headers.location, '/dashboard/');
  });

  test('an unbuilt dashboard says how to build it', async () => {
    const app = await serve(join(root, 'missing'));
    const res = await app.inject({ url: '/dashboard/' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build:web/);
  });
});
