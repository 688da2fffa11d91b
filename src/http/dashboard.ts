import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/** Where `npm run build:web` writes the bundle; the same place whether this module runs from src/ or dist/. */
export const DASHBOARD_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The page may load only its own bundle and talk only to this server: no inline script or style, no framing (the
 * console deletes people's data, so clickjacking matters), no referrer leaking the page's path elsewhere.
 */
const SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "font-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The dashboard's static files under `/dashboard/`. They hold no data: every datum comes from the authenticated JSON
 * APIs. Paths without a file extension are the single-page app's own routes and get index.html.
 */
function dashboardFiles(root: string): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers(SECURITY_HEADERS);
    });
    if (!existsSync(root)) {
      app.get('/*', async (_request, reply) => reply.status(503).type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build:web` (part of `npm run build`).\n'));
      return;
    }
    // Plain file names, revalidated on every load (ETag), so a new build is never hidden behind a stale cache.
    await app.register(fastifyStatic, { root, prefix: '/', index: 'index.html', cacheControl: false, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') });
    app.setNotFoundHandler((request, reply) => {
      const last = request.url.split('?')[0]!.split('/').pop() ?? '';
      if (request.method !== 'GET' || last.includes('.')) return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
      return reply.sendFile('index.html');
    });
  };
}

export async function registerDashboard(app: FastifyInstance, root = DASHBOARD_ROOT): Promise<void> {
  app.get('/', async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/'));
  await app.register(dashboardFiles(root), { prefix: '/dashboard' });
}
