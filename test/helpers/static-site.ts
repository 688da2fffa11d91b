import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
const COVEO_BROWSER_BUNDLE = require.resolve('coveo.analytics').replace(/library\.cjs$/, 'browser.mjs');

/**
 * A customer's web site on its own origin: pages are HTML strings by path, plus the coveo.analytics browser
 * bundle at /coveo.mjs, so tests exercise the real client cross-origin, as a search page would.
 */
export async function startSite(pages: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const bundle = readFileSync(COVEO_BROWSER_BUNDLE);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/coveo.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(bundle);
    }
    const page = pages[path];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
